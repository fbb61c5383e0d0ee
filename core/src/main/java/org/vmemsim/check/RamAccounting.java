package org.vmemsim.check;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.vmemsim.mm.alloc.PageAlloc;
import org.vmemsim.mm.alloc.Zone;

/**
 * RAM adds up, read off {@code PageAlloc}: in every zone the free lists hold exactly
 * {@code nr_free} pages and {@code nr_free <= managed}; (full check) {@code nr_free} plus the pages
 * of live buddy allocations in the zone is at most {@code managed}, and over all zones the live
 * allocations are exactly {@code managed - free}: every page the buddy allocator was given at boot
 * is either free or allocated (a surplus of free pages means boot memory was freed to the buddy,
 * hazard H6).
 */
public final class RamAccounting implements Invariant {
    public static final String NAME = "ram-accounting";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "per zone free lists == nr_free <= managed; live allocations == managed - free";
    }

    @Override
    public void check(CheckContext c, List<Violation> out) {
        PageAlloc buddy = c.k.mm.buddy;
        for (Zone z : buddy.zones()) {
            long onLists = 0;
            for (int o = 0; o <= z.maxOrder(); o++) {
                onLists += (long) z.freeBlocks(o) << o;
            }
            if (onLists != z.nrFree()) {
                out.add(new Violation(NAME, -1, String.format("node %d zone %s: free lists hold %d pages but nr_free is %d",
                        z.nid, z.type, onLists, z.nrFree())));
            }
            if (z.nrFree() > z.managed()) {
                out.add(new Violation(NAME, -1, String.format("node %d zone %s: nr_free %d exceeds managed %d", z.nid,
                        z.type, z.nrFree(), z.managed())));
            }
        }
        if (!c.isFull()) {
            return;
        }
        Map<String, Long> allocatedByZone = new HashMap<>();
        long allocated = 0;
        for (PageAlloc.Allocation a : buddy.allocations()) {
            allocatedByZone.merge(a.nid() + "/" + a.zone(), a.nrPages(), Long::sum);
            allocated += a.nrPages();
        }
        for (Zone z : buddy.zones()) {
            long inZone = allocatedByZone.getOrDefault(z.nid + "/" + z.type, 0L);
            if (z.nrFree() + inZone > z.managed()) {
                out.add(new Violation(NAME, -1, String.format(
                        "node %d zone %s: nr_free %d + allocated %d exceeds managed %d", z.nid, z.type, z.nrFree(), inZone,
                        z.managed())));
            }
        }
        long managed = buddy.totalramPages();
        long free = buddy.nrFreePages();
        if (allocated != managed - free) {
            out.add(new Violation(NAME, -1, String.format(
                    "live buddy allocations hold %d pages but managed - free = %d - %d = %d%s", allocated, managed, free,
                    managed - free, allocated < managed - free ? " (pages lost)" : " (more free than managed: boot memory freed, H6)")));
        }
    }
}
