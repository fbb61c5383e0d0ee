package org.vmemsim.check;

import it.unimi.dsi.fastutil.longs.LongArrayList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.vmemsim.arch.Geometry;
import org.vmemsim.kernel.Kernel;
import org.vmemsim.mm.hotplug.MemoryBlock;
import org.vmemsim.mm.memremap.DevPagemap;
import org.vmemsim.mm.pgtable.KernelPgtable;
import org.vmemsim.mm.sparse.MemSection;
import org.vmemsim.mm.vmemmap.VmemAltmap;
import org.vmemsim.util.U64;

/**
 * What one invariant run looks at: a kernel, a scope, and the facts several invariants share
 * (altmap pools, the vmemmap leaves and the page tables in scope), computed once per run.
 *
 * <p>The scope is either the whole model, or a list of pfn ranges widened to whole sections: the
 * sections of those ranges, their memmap in the vmemmap, their linear map, and every page table on
 * the way to either. A hot-plug step only changes state inside the sections it names (the memmap
 * of a section never shares a page or block with another section's), so checking the scope of a
 * step after the step is as strong as a full check, provided the model stays local; a periodic
 * full check (see {@code Fuzzer}) covers the rest, e.g. a leaked unreachable table.
 */
public final class CheckContext {
    public final Kernel k;
    public final Geometry g;
    /** Section-aligned pfn ranges [start, end), sorted and disjoint; null = the whole model. */
    private final long[][] ranges;
    private final List<Pool> pools = new ArrayList<>();
    /** pgmaps gone from pgmap_array whose failed hot-add left sections (and their memmap) behind (H7). */
    private final List<DevPagemap> leakedPgmaps = new ArrayList<>();
    private Leaves leaves;
    private Tables tables;

    private CheckContext(Kernel k, long[][] ranges, List<Pool> extraPools) {
        this.k = k;
        this.g = k.g;
        this.ranges = ranges;
        for (DevPagemap pg : k.memremap.pgmaps().values()) {
            VmemAltmap a = pg.pgmapAltmap();
            if (a != null) {
                pools.add(new Pool(pg.id, a.poolStartPfn(), a.poolEndPfn(), false));
            }
        }
        // memmap_on_memory: a hot-added block's memmap sits in its own first pages (6.6+: the
        // block's altmap; 6.1: nr_vmemmap_pages at the start of the single block)
        for (MemoryBlock mem : k.ramHotplug.blocks.blocks()) {
            if (mem.altmap != null) {
                pools.add(new Pool("memory" + mem.id, mem.altmap.poolStartPfn(), mem.altmap.poolEndPfn(), false));
            } else if (mem.nrVmemmapPages > 0) {
                long start = g.sectionToPfn(mem.startSectionNr);
                pools.add(new Pool("memory" + mem.id, start, start + mem.nrVmemmapPages, false));
            }
        }
        pools.addAll(extraPools);
    }

    /** Adds a pgmap whose failed memremap_pages left sections behind (H7); returns this context. */
    public CheckContext withLeakedPgmap(DevPagemap pg) {
        if (pg != null) {
            leakedPgmaps.add(pg);
        }
        return this;
    }

    /** The live pgmap covering {@code pfn}, else a leaked one (see {@link #withLeakedPgmap}), else null. */
    public DevPagemap pgmapOf(long pfn) {
        DevPagemap pg = k.memremap.getDevPagemap(pfn);
        if (pg != null) {
            return pg;
        }
        for (DevPagemap l : leakedPgmaps) {
            if (U64.inRange(pfn, l.rangeStart >>> g.pageShift, (l.rangeEnd >>> g.pageShift) + 1)) {
                return l;
            }
        }
        return null;
    }

    /** The whole model. */
    public static CheckContext full(Kernel k) {
        return new CheckContext(k, null, List.of());
    }

    public static CheckContext full(Kernel k, List<Pool> leakedPools) {
        return new CheckContext(k, null, leakedPools);
    }

    /**
     * The sections of the given pfn ranges (pairs {@code [start, end)}), each widened to whole
     * sections; empty ranges are ignored.
     */
    public static CheckContext scoped(Kernel k, List<Pool> leakedPools, long... pfnRanges) {
        List<long[]> rs = new ArrayList<>();
        long sec = k.g.pagesPerSection;
        for (int i = 0; i + 1 < pfnRanges.length; i += 2) {
            long s = pfnRanges[i];
            long e = pfnRanges[i + 1];
            if (!U64.lt(s, e)) {
                continue;
            }
            long ws = s & -sec;
            long we = U64.alignUp(e, sec);
            rs.add(new long[] {ws, we == 0 ? -sec : we});
        }
        rs.sort((a, b) -> U64.cmp(a[0], b[0]));
        List<long[]> merged = new ArrayList<>();
        for (long[] r : rs) {
            if (!merged.isEmpty() && U64.ge(merged.get(merged.size() - 1)[1], r[0])) {
                long[] last = merged.get(merged.size() - 1);
                last[1] = U64.max(last[1], r[1]);
            } else {
                merged.add(r);
            }
        }
        return new CheckContext(k, merged.toArray(new long[0][]), leakedPools);
    }

    public boolean isFull() {
        return ranges == null;
    }

    /** Whether {@code [startPfn, endPfn)} intersects the scope (always true for a full check). */
    public boolean intersectsScope(long startPfn, long endPfn) {
        if (ranges == null) {
            return true;
        }
        for (long[] r : ranges) {
            if (U64.overlaps(r[0], r[1], startPfn, endPfn)) {
                return true;
            }
        }
        return false;
    }

    /** Altmap pools of live pgmaps, then the leaked pools given by the caller. */
    public List<Pool> pools() {
        return Collections.unmodifiableList(pools);
    }

    /** The pool containing {@code pfn}, or null. */
    public Pool poolOf(long pfn) {
        for (Pool p : pools) {
            if (p.contains(pfn)) {
                return p;
            }
        }
        return null;
    }

    /** Callback of {@link #forEachSection}. */
    public interface SectionVisitor {
        void section(long nr, MemSection ms);
    }

    /** Visits the sections in scope whose root exists, ascending. */
    public void forEachSection(SectionVisitor v) {
        if (ranges == null) {
            k.sparse.forEachSection(v::section);
            return;
        }
        for (long[] r : ranges) {
            long first = g.pfnToSection(r[0]);
            long last = g.pfnToSection(r[1] - 1);
            for (long nr = first; nr <= last && nr < g.nrMemSections; nr++) {
                MemSection ms = k.sparse.nrToSection(nr);
                if (ms != null) {
                    v.section(nr, ms);
                }
            }
        }
    }

    /** Vmemmap VA ranges in scope (pairs [start, end)). */
    long[][] vmemmapRanges() {
        if (ranges == null) {
            return new long[][] {{g.vmemmapStart, g.vmemmapEnd}};
        }
        long[][] out = new long[ranges.length][];
        for (int i = 0; i < ranges.length; i++) {
            out[i] = new long[] {k.mm.pfnToPage(ranges[i][0]), k.mm.pfnToPage(ranges[i][1])};
        }
        return out;
    }

    /** Linear-map VA ranges in scope, clipped to [PAGE_OFFSET, PAGE_END). */
    long[][] linearRanges() {
        if (ranges == null) {
            return new long[][] {{g.pageOffset, g.pageEnd}};
        }
        List<long[]> out = new ArrayList<>();
        for (long[] r : ranges) {
            long pa = r[0] << g.pageShift;
            long paEnd = r[1] << g.pageShift;
            if (U64.lt(pa, k.mm.memstartAddr)) {
                pa = k.mm.memstartAddr;
            }
            if (!U64.lt(pa, paEnd)) {
                continue;
            }
            long lin = k.mm.physToVirt(pa);
            long size = paEnd - pa;
            if (U64.ge(lin, g.pageEnd) || U64.lt(lin, g.pageOffset)) {
                continue;
            }
            long end = U64.gt(size, g.pageEnd - lin) ? g.pageEnd : lin + size;
            out.add(new long[] {lin, end});
        }
        return out.toArray(new long[0][]);
    }

    /** The vmemmap leaves in scope: parallel arrays of VA, backing pa, pages and level. */
    public static final class Leaves {
        // sized for the memmap of a 128 MiB section in 4K pages, so a scoped check rarely grows them
        public final LongArrayList va = new LongArrayList(1024);
        public final LongArrayList pa = new LongArrayList(1024);
        public final LongArrayList nrPages = new LongArrayList(1024);
        public final LongArrayList level = new LongArrayList(1024);

        public int size() {
            return va.size();
        }
    }

    /** Every valid vmemmap leaf intersecting the scope, ascending by VA. */
    public Leaves leaves() {
        if (leaves == null) {
            Leaves l = new Leaves();
            KernelPgtable pt = k.mm.pgtable;
            for (long[] r : vmemmapRanges()) {
                pt.walkLeaves(r[0], r[1], (va, count, level, firstDesc, stride) -> {
                    long span = g.entrySpan(level);
                    for (long j = 0; j < count; j++) {
                        long d = firstDesc + j * stride;
                        l.va.add(va + j * span);
                        l.pa.add(k.mm.fmt.outputAddress(d) & -span);
                        l.nrPages.add(span >>> g.pageShift);
                        l.level.add(level);
                    }
                });
            }
            leaves = l;
        }
        return leaves;
    }

    /** Page tables below the PGD reachable through the scope; see {@link Tables}. */
    public Tables tables() {
        if (tables == null) {
            tables = Tables.walk(this);
        }
        return tables;
    }
}
