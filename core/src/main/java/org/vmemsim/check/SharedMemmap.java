package org.vmemsim.check;

import it.unimi.dsi.fastutil.longs.Long2LongMap;
import it.unimi.dsi.fastutil.longs.Long2ObjectLinkedOpenHashMap;
import java.util.List;
import org.vmemsim.mm.memremap.DevPagemap;

/**
 * The sharing rule of {@link VmemmapBacking} for deduplicated device-dax memmap pages: which
 * compound page a shared leaf belongs to, and per shared frame the run of leaves that map it.
 */
final class SharedMemmap {
    /** One shared frame: first and last VA seen, leaves seen, the head pfn of the compound page. */
    private static final class Run {
        long firstVa;
        long lastVa;
        long count;
        long headPfn;
    }

    private final CheckContext c;
    private final Long2ObjectLinkedOpenHashMap<Run> runs = new Long2ObjectLinkedOpenHashMap<>();

    SharedMemmap(CheckContext c) {
        this.c = c;
    }

    /** Records leaf {@code va} -> {@code pfn}; returns why it may not share its frame, or null. */
    String add(long va, long pfn) {
        long pagePfn = c.k.mm.pageToPfn(va);
        DevPagemap pg = c.pgmapOf(pagePfn);
        if (pg == null) {
            return String.format("describes pfn 0x%x, which belongs to no pgmap", pagePfn);
        }
        if (!c.k.sparseVmemmap.compound().vmemmapCanOptimize(pg.pgmapAltmap(), pg)) {
            return "the memmap of pgmap " + pg.id + " (vmemmap_shift " + pg.vmemmapShift + ", "
                    + (pg.pgmapAltmap() == null ? "no altmap" : "altmap") + ") is not deduplicated";
        }
        long nr = pg.pgmapVmemmapNr();
        long rangePfn = pg.rangeStart >>> c.g.pageShift;
        long headPfn = rangePfn + ((pagePfn - rangePfn) & -nr);
        if (va == c.k.mm.pfnToPage(headPfn)) {
            return String.format("it holds the head struct page of compound page 0x%x of %s", headPfn, pg.id);
        }
        Run r = runs.get(pfn);
        if (r == null) {
            r = new Run();
            r.firstVa = va;
            r.headPfn = headPfn;
            runs.put(pfn, r);
        } else if (r.headPfn != headPfn) {
            return String.format("another leaf mapping it describes compound page 0x%x, this one 0x%x", r.headPfn, headPfn);
        }
        r.lastVa = va;
        r.count++;
        return null;
    }

    /** Run shape and reference counts, once every leaf in scope was added. */
    void finish(List<Violation> out) {
        long page = c.g.pageSize;
        for (var e : runs.long2ObjectEntrySet()) {
            long pfn = e.getLongKey();
            Run r = e.getValue();
            if (r.lastVa - r.firstVa != (r.count - 1) * page) {
                out.add(new Violation(VmemmapBacking.NAME, pfn, String.format(
                        "shared memmap page pfn 0x%x: its %d leaves in [0x%016x, 0x%016x] are not one run of consecutive pages",
                        pfn, r.count, r.firstVa, r.lastVa)));
            }
            long refs = c.k.mm.buddy.pageCount(pfn);
            if (c.isFull() ? refs != r.count : refs < r.count) {
                out.add(new Violation(VmemmapBacking.NAME, pfn, String.format(
                        "shared memmap page pfn 0x%x has page_count %d but %d vmemmap leaves map it", pfn, refs, r.count)));
            }
        }
        if (!c.isFull()) {
            return;
        }
        for (Long2LongMap.Entry e : c.k.mm.buddy.extraRefs().long2LongEntrySet()) {
            if (!runs.containsKey(e.getLongKey())) {
                out.add(new Violation(VmemmapBacking.NAME, e.getLongKey(), String.format(
                        "pfn 0x%x holds %d extra page references but no vmemmap leaf shares it (reference leak)",
                        e.getLongKey(), e.getLongValue())));
            }
        }
    }
}
