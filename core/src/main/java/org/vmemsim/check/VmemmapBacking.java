package org.vmemsim.check;

import it.unimi.dsi.fastutil.longs.LongOpenHashSet;
import java.util.List;
import org.vmemsim.mm.alloc.PageAlloc;

/**
 * I1 / I2 / I6: every vmemmap leaf (PTE page or PMD block) is backed either by an altmap pool of a
 * live pgmap ({@code [base + reserve, base + reserve + free)}, the block naturally aligned to its
 * size), or by system RAM that the buddy allocator handed out in exactly that size, or that
 * memblock reserved at boot. A leaf backed by a pool outside the section it describes is fine
 * (the pool hosts the memmap of the whole device). The backing is never a page-table frame.
 *
 * <p>Sharing: (full check) no two leaves share a backing frame, with one exception, device-dax
 * memmap deduplication ({@code vmemmap_populate_compound_pages}). A RAM page may back several PTE
 * leaves when all of them (a) describe pfns of one compound page of a live pgmap whose memmap is
 * deduplicated ({@code vmemmap_can_optimize}: arch switch, no altmap, compound memmap larger than
 * two pages), (b) are not that compound page's head memmap page, (c) form one run of consecutive
 * vmemmap pages; and the page's reference count equals the number of leaves mapping it (full check;
 * in a scoped check at least the number seen). (Full check) no page holds extra references unless
 * vmemmap leaves map it.
 */
public final class VmemmapBacking implements Invariant {
    public static final String NAME = "vmemmap-backing";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "vmemmap leaves are backed by a live altmap pool or by RAM from the buddy/memblock (I1, I2, I6)";
    }

    private static String what(long va, long pfn, long n) {
        return String.format("vmemmap leaf 0x%016x -> pfn 0x%x (%d page%s)", va, pfn, n, n == 1 ? "" : "s");
    }

    @Override
    public void check(CheckContext c, List<Violation> out) {
        CheckContext.Leaves l = c.leaves();
        LongOpenHashSet seen = c.isFull() ? new LongOpenHashSet(l.size() * 2) : null;
        SharedMemmap shared = new SharedMemmap(c);
        int shift = c.g.pageShift;
        for (int i = 0; i < l.size(); i++) {
            long va = l.va.getLong(i);
            long pa = l.pa.getLong(i);
            long pfn = pa >>> shift;
            long n = l.nrPages.getLong(i);
            if (c.k.mm.frames.holdsTable(pfn)) {
                out.add(new Violation(NAME, pfn, what(va, pfn, n) + " is a page-table frame"));
            }
            if (n == 1 && c.k.mm.buddy.extraRefCount(pfn) > 0) {
                String why = shared.add(va, pfn);
                if (why != null) {
                    out.add(new Violation(NAME, pfn, what(va, pfn, n) + " is shared (page_count "
                            + c.k.mm.buddy.pageCount(pfn) + ") but " + why));
                }
            } else if (seen != null && !seen.add(pfn)) {
                out.add(new Violation(NAME, pfn, what(va, pfn, n) + ": another vmemmap leaf maps the same frame"));
            }
            Pool pool = c.poolOf(pfn);
            if (pool != null) {
                if (!pool.contains(pfn + n - 1)) {
                    out.add(new Violation(NAME, pfn, what(va, pfn, n) + " runs past the end of the altmap pool of " + pool.owner()
                            + String.format(" [0x%x, 0x%x)", pool.startPfn(), pool.endPfn())));
                }
                if ((pfn & (n - 1)) != 0) {
                    out.add(new Violation(NAME, pfn, what(va, pfn, n) + " is not aligned to its size inside the altmap pool of "
                            + pool.owner() + " (I6)"));
                }
                continue;
            }
            if (c.k.mm.memblock.nidOf(pa) < 0) {
                out.add(new Violation(NAME, pfn, what(va, pfn, n) + " is neither system RAM nor inside the altmap pool of a live pgmap"));
                continue;
            }
            PageAlloc.Allocation a = c.k.mm.buddy.allocation(pfn);
            if (a != null && a.nrPages() == n) {
                continue;
            }
            if (a == null && c.k.mm.memblock.isReserved(pa, n << shift)) {
                continue;
            }
            out.add(new Violation(NAME, pfn, what(va, pfn, n) + (a != null
                    ? " is RAM allocated by '" + a.site() + "' with order " + a.order() + ", not as one leaf"
                    : " is RAM that neither the buddy allocator nor memblock handed out")));
        }
        shared.finish(out);
    }
}
