package org.vmemsim.check;

import java.util.List;
import org.vmemsim.mm.alloc.PageAlloc;

/**
 * I2: every page-table page (vmemmap and linear map, every level) is system RAM that the buddy
 * allocator handed out as one order-0 page, or that memblock reserved at boot; never a page of
 * an altmap pool or of device memory.
 */
public final class PgtableFromRam implements Invariant {
    public static final String NAME = "pgtable-from-ram";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "page-table pages are order-0 RAM from the buddy allocator or boot memblock, never altmap (I2)";
    }

    private static String what(CheckContext c, Tables t, int i) {
        return String.format("%s table pfn 0x%x (window 0x%016x)", c.g.tableName((int) t.level.getLong(i)), t.pfn.getLong(i),
                t.window.getLong(i));
    }

    @Override
    public void check(CheckContext c, List<Violation> out) {
        Tables t = c.tables();
        int shift = c.g.pageShift;
        for (int i = 0; i < t.size(); i++) {
            long pfn = t.pfn.getLong(i);
            long pa = pfn << shift;
            Pool pool = c.poolOf(pfn);
            if (pool != null) {
                out.add(new Violation(NAME, pfn, what(c, t, i) + " lies in the altmap pool of " + pool.owner() + " (I2)"));
                continue;
            }
            if (c.k.mm.memblock.nidOf(pa) < 0) {
                out.add(new Violation(NAME, pfn, what(c, t, i) + " is not system RAM"));
                continue;
            }
            PageAlloc.Allocation a = c.k.mm.buddy.allocation(pfn);
            if (a != null ? a.order() != 0 : !c.k.mm.memblock.isReserved(pa, c.g.pageSize)) {
                out.add(new Violation(NAME, pfn, what(c, t, i) + (a != null
                        ? " is part of an order-" + a.order() + " allocation by '" + a.site() + "'"
                        : " was handed out by neither the buddy allocator nor memblock")));
            }
        }
    }
}
