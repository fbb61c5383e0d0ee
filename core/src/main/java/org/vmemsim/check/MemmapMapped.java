package org.vmemsim.check;

import java.util.List;
import org.vmemsim.arch.Geometry;
import org.vmemsim.mm.memremap.DevPagemap;
import org.vmemsim.mm.sparse.MemSection;
import org.vmemsim.util.U64;

/**
 * I14 / H2 / H3: the memmap of every present section is mapped in the vmemmap — the whole
 * section for a boot (early) section, each active sub-section (usage bitmap bit set) for a
 * hot-added one. A sub-section that is active while its memmap VA does not translate is a
 * dangling memmap: any access to its struct pages would fault. Removing one range can cause this
 * for another range whose memmap shared the PMD block (H2, 4K) or the base page (H3, 16K/64K).
 */
public final class MemmapMapped implements Invariant {
    public static final String NAME = "memmap-mapped";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "every active sub-section of a present section has its memmap mapped (I14; dangling memmap = H2/H3)";
    }

    @Override
    public void check(CheckContext c, List<Violation> out) {
        Geometry g = c.g;
        long subBytes = g.pagesPerSubsection * Geometry.STRUCT_PAGE_SIZE;
        c.forEachSection((nr, ms) -> {
            if (!ms.present() || !ms.valid()) {
                return;
            }
            long secPfn = g.sectionToPfn(nr);
            if (ms.early()) {
                long va = c.k.mm.pfnToPage(secPfn);
                long hole = firstUnmapped(c, va, va + g.memmapPerSection());
                if (hole != 0) {
                    out.add(violation(c, nr, -1, c.k.mm.pageToPfn(hole), hole, ms, ""));
                }
                return;
            }
            if (ms.usage == null) {
                return;
            }
            Violation first = null;
            int more = 0;
            int n = g.subsectionsPerSection;
            int i = 0;
            while (i < n) {
                if (!ms.usage.test(i)) {
                    i++;
                    continue;
                }
                int j = i + 1;
                while (j < n && ms.usage.test(j)) {
                    j++;
                }
                // a run of active sub-sections [i, j): their memmap is one VA range; only when it
                // has a hole are the sub-sections looked at one by one, to name each
                long runVa = c.k.mm.pfnToPage(secPfn + i * g.pagesPerSubsection);
                if (firstUnmapped(c, runVa, runVa + (j - i) * subBytes) != 0) {
                    for (int x = i; x < j; x++) {
                        long pfn = secPfn + x * g.pagesPerSubsection;
                        long va = c.k.mm.pfnToPage(pfn);
                        long hole = firstUnmapped(c, va, va + subBytes);
                        if (hole == 0) {
                            continue;
                        }
                        if (first == null) {
                            first = violation(c, nr, x, Math.max(pfn, c.k.mm.pageToPfn(hole)), hole, ms, "");
                        } else {
                            more++;
                        }
                    }
                }
                i = j;
            }
            if (first != null) {
                out.add(more == 0 ? first : new Violation(NAME, first.pfn(),
                        first.message() + " and " + more + " more sub-section(s) of the section"));
            }
        });
    }

    private static Violation violation(CheckContext c, long nr, int sub, long pfn, long va, MemSection ms, String tail) {
        DevPagemap pg = c.k.memremap.getDevPagemap(pfn);
        String owner = pg != null ? "pgmap " + pg.id : ms.early() ? "boot memory" : "no live pgmap";
        String hazard = c.g.pageShift == 12 ? "H2" : "H3";
        return new Violation(NAME, pfn, String.format(
                "section %d%s, pfn 0x%x (%s): memmap VA 0x%016x does not translate (dangling memmap, hazard %s)%s",
                nr, sub < 0 ? "" : " sub-section " + sub, pfn, owner, va, hazard, tail));
    }

    /** The first VA of {@code [start, end)} that no vmemmap leaf maps, or 0 when all of it is mapped. */
    static long firstUnmapped(CheckContext c, long start, long end) {
        CheckContext.Leaves l = c.leaves();
        int lo = 0;
        int hi = l.size() - 1;
        int idx = -1;
        while (lo <= hi) { // last leaf with va <= start
            int mid = (lo + hi) >>> 1;
            if (U64.le(l.va.getLong(mid), start)) {
                idx = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        long cur = start;
        int i = Math.max(idx, 0);
        while (U64.lt(cur, end)) {
            if (i >= l.size()) {
                return cur;
            }
            long va = l.va.getLong(i);
            long leafEnd = va + (l.nrPages.getLong(i) << c.g.pageShift);
            if (U64.le(va, cur) && U64.lt(cur, leafEnd)) {
                cur = leafEnd;
                i++;
            } else if (U64.le(leafEnd, cur)) {
                i++;
            } else {
                return cur;
            }
        }
        return 0;
    }
}
