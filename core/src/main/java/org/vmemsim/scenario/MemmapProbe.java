package org.vmemsim.scenario;

import org.vmemsim.arch.Geometry;
import org.vmemsim.kernel.Kernel;
import org.vmemsim.mm.memremap.DevPagemap;
import org.vmemsim.util.U64;

/**
 * A read-only probe for expectations: how many pages of memmap that should be mapped are not.
 * For every live ZONE_DEVICE pgmap it walks the vmemmap of the pgmap's range, sub-section by
 * sub-section; for each sub-section the section's usage map says is active, it translates every
 * page of that sub-section's struct pages through the kernel page tables, as the MMU would on the
 * first access to one of them, and counts the pages that fault. A correct kernel gives 0; a
 * non-zero count is a memmap that was freed (or never mapped) under a live device (hazard H2).
 *
 * <p>This is not the invariant checker (org.vmemsim.check sits above the scenario layer); it is a
 * single number an {@code expect} can assert.
 */
final class MemmapProbe {
    private MemmapProbe() {}

    /** Pages of the vmemmap of live pgmaps' active sub-sections that fail to translate. */
    static long danglingMemmapPages(Kernel k) {
        Geometry g = k.g;
        long dangling = 0;
        long perSub = g.pagesPerSubsection;
        for (DevPagemap pg : k.memremap.pgmaps().values()) {
            long startPfn = pg.rangeStart >>> g.pageShift;
            long endPfn = (pg.rangeEnd + 1) >>> g.pageShift;
            long lastVa = -1; // the last vmemmap page counted, so a page shared by two sub-sections counts once
            for (long pfn = U64.alignDown(startPfn, perSub); U64.lt(pfn, endPfn); pfn += perSub) {
                if (!k.sparse.subsectionActive(pfn)) {
                    continue;
                }
                long from = U64.max(pfn, startPfn);
                long to = U64.min(pfn + perSub, endPfn);
                long va = U64.alignDown(k.mm.pfnToPage(from), g.pageSize);
                long vaEnd = k.mm.pfnToPage(to);
                for (; U64.lt(va, vaEnd); va += g.pageSize) {
                    if (va == lastVa) {
                        continue;
                    }
                    lastVa = va;
                    if (k.mm.pgtable.translatePhys(va) == -1) {
                        dangling++;
                    }
                }
            }
        }
        return dangling;
    }
}
