package org.vmemsim.check;

import java.util.List;
import org.vmemsim.mm.memremap.DevPagemap;
import org.vmemsim.mm.vmemmap.VmemAltmap;

/**
 * I4 / I5 / I10 for the altmap of every live pgmap: {@code alloc >= 0} (an underflow is what an
 * H2 removal leaves behind), {@code alloc + align <= free}, {@code base_pfn} is the first pfn of
 * the range and {@code reserve + free} fits in it; in 5.8 arm64 ignores the altmap so
 * {@code alloc} stays 0.
 */
public final class AltmapCounters implements Invariant {
    public static final String NAME = "altmap-counters";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "altmap alloc >= 0, alloc + align <= free, base_pfn/reserve/free fit the range (I4, I5, I10)";
    }

    @Override
    public void check(CheckContext c, List<Violation> out) {
        for (DevPagemap pg : c.k.memremap.pgmaps().values()) {
            VmemAltmap a = pg.pgmapAltmap();
            if (a == null) {
                continue;
            }
            long first = pg.rangeStart >>> c.g.pageShift;
            long nrPages = pg.rangeLen() >>> c.g.pageShift;
            if (a.alloc < 0) {
                out.add(new Violation(NAME, a.basePfn, pg.id + ": " + a + ": alloc underflowed (memmap freed to the wrong altmap, H2)"));
            }
            if (Long.compareUnsigned(a.alloc + a.align, a.free) > 0) {
                out.add(new Violation(NAME, a.basePfn, pg.id + ": " + a + ": alloc + align exceeds free (I5)"));
            }
            if (a.basePfn != first || Long.compareUnsigned(a.reserve + a.free, nrPages) > 0) {
                out.add(new Violation(NAME, a.basePfn, String.format(
                        "%s: %s does not fit the range pfn 0x%x + %d pages (I10)", pg.id, a, first, nrPages)));
            }
            if (!c.g.profile.arm64HonoursAltmap() && a.alloc != 0) {
                out.add(new Violation(NAME, a.basePfn, pg.id + ": " + a + ": arm64 " + c.g.profile.label
                        + " ignores the altmap, so alloc must stay 0 (I4)"));
            }
        }
    }
}
