package org.vmemsim.mm.pgtable;

import org.vmemsim.arch.Geometry;
import org.vmemsim.arch.PteFormat;
import org.vmemsim.mm.phys.FrameStore;
import org.vmemsim.mm.phys.PgTable;

/**
 * The kernel's page tables, rooted at {@code swapper_pg_dir}, and the generic accessors of
 * {@code include/linux/pgtable.h}: locate the entry for a VA at a level, install a table, walk to a
 * translation exactly as the MMU does. Tables live in {@link FrameStore} frames; the pages that hold
 * them were obtained by the callers from memblock or the buddy allocator.
 *
 * <p>Levels are hardware levels, 0 = the PGD; folded software levels do not exist.
 */
public final class KernelPgtable {
    /** The result of an MMU walk that found a valid leaf. */
    public record Translation(long pa, int level, long desc) {}

    /** Visits valid leaves; a run is {@code count} consecutive entries of one table. */
    public interface LeafVisitor {
        void leafRun(long va, long count, int level, long firstDesc, long stride);
    }

    /** Visits tables below the PGD: level, table pfn, and the VA window the table maps. */
    public interface TableVisitor {
        void table(int level, long tablePfn, long windowStart);
    }

    public final Geometry g;
    public final PteFormat fmt;
    private final FrameStore frames;
    public final long pgdPfn;

    /** Creates the PGD contents in frame {@code pgdPfn}. */
    public KernelPgtable(Geometry g, PteFormat fmt, FrameStore frames, long pgdPfn) {
        this.g = g;
        this.fmt = fmt;
        this.frames = frames;
        this.pgdPfn = pgdPfn;
        frames.createTable(pgdPfn, g.ptrs(0));
    }

    private KernelPgtable(Geometry g, PteFormat fmt, FrameStore frames, long pgdPfn, boolean existing) {
        this.g = g;
        this.fmt = fmt;
        this.frames = frames;
        this.pgdPfn = pgdPfn;
    }

    /** The same page tables viewed over a copied frame store. */
    public KernelPgtable over(FrameStore copy) {
        return new KernelPgtable(g, fmt, copy, pgdPfn, true);
    }

    public FrameStore frames() {
        return frames;
    }

    public PgTable table(long pfn) {
        PgTable t = frames.table(pfn);
        if (t == null) {
            throw new IllegalStateException(String.format("pfn 0x%x does not hold a page table", pfn));
        }
        return t;
    }

    /** Pfn of the next-level table a table descriptor points at. */
    public long nextTablePfn(long desc) {
        return fmt.outputAddress(desc) >>> g.pageShift;
    }

    public boolean isTable(long desc, int level) {
        return fmt.isTable(desc, level, g.levels);
    }

    public boolean isLeaf(long desc, int level) {
        return level == g.leafLevel() ? fmt.isPage(desc, level, g.levels) : fmt.isBlock(desc, level, g.levels);
    }

    /**
     * Pfn of the table at {@code level} that holds the entry for {@code va}, or -1 when a table above
     * it is missing or a block above it maps {@code va}.
     */
    public long tableAt(long va, int level) {
        long t = pgdPfn;
        for (int l = 0; l < level; l++) {
            long d = table(t).get(g.index(va, l));
            if (!isTable(d, l)) {
                return -1;
            }
            t = nextTablePfn(d);
        }
        return t;
    }

    /** The descriptor for {@code va} at {@code level}, or 0 when the walk stops above it. */
    public long entry(long va, int level) {
        long t = tableAt(va, level);
        return t == -1 ? 0 : table(t).get(g.index(va, level));
    }

    /** Installs a fresh zeroed table (frame {@code childPfn}) under entry {@code idx} of table {@code parentPfn}. */
    public void installTable(long parentPfn, int idx, long childPfn, int childLevel) {
        frames.createTable(childPfn, g.ptrs(childLevel));
        table(parentPfn).set(idx, fmt.mkTable(childPfn << g.pageShift, childLevel));
    }

    /** Forgets the contents of a table frame that was unlinked from its parent. */
    public void dropTable(long pfn) {
        frames.dropTable(pfn);
    }

    /**
     * Translates {@code va} as the MMU would: descends from the PGD through table descriptors until a
     * block or page descriptor. Returns null on a translation fault (an invalid entry on the way).
     */
    public Translation translate(long va) {
        long t = pgdPfn;
        for (int l = 0; l < g.levels; l++) {
            long d = table(t).get(g.index(va, l));
            if (!fmt.present(d)) {
                return null;
            }
            if (isLeaf(d, l)) {
                long span = g.entrySpan(l);
                long base = fmt.outputAddress(d) & -span;
                return new Translation(base + (va & (span - 1)), l, d);
            }
            if (!isTable(d, l)) {
                return null; // reserved encoding
            }
            t = nextTablePfn(d);
        }
        return null;
    }

    /**
     * The physical address {@link #translate} finds for {@code va}, or -1 on a translation fault
     * (physical addresses are below 2^52, so -1 is never one). Same walk, no result object: for
     * callers that run once per page.
     */
    public long translatePhys(long va) {
        long t = pgdPfn;
        for (int l = 0; l < g.levels; l++) {
            long d = table(t).get(g.index(va, l));
            if (!fmt.present(d)) {
                return -1;
            }
            if (isLeaf(d, l)) {
                long span = g.entrySpan(l);
                return (fmt.outputAddress(d) & -span) + (va & (span - 1));
            }
            if (!isTable(d, l)) {
                return -1; // reserved encoding
            }
            t = nextTablePfn(d);
        }
        return -1;
    }

    /**
     * Start VA of the kernel's translated region (entry 0 of the PGD): the TTBR1 region on arm64, the
     * upper canonical half on x86-64, quadrant 3 ({@code 0xc000...}) on powerpc radix.
     */
    public long ttbr1Base() {
        if (g.arch == org.vmemsim.arch.Arch.IA64) {
            return org.vmemsim.arch.ia64.Ia64Geometry.RGN5_BASE; // the kernel PGD covers region 5 only
        }
        return g.pageOffset & -(1L << g.vaBits);
    }

    /**
     * Visits every valid leaf intersecting {@code [start, end)} in ascending VA order. Runs of a
     * compact table are passed as one call; dense tables are passed entry by entry.
     */
    public void walkLeaves(long start, long end, LeafVisitor v) {
        walkLeaves(pgdPfn, 0, ttbr1Base(), start, end, v);
    }

    private void walkLeaves(long tablePfn, int level, long windowStart, long start, long end, LeafVisitor v) {
        PgTable t = table(tablePfn);
        if (t.allNone()) {
            return;
        }
        long span = g.entrySpan(level);
        int n = g.ptrs(level);
        long windowLast = windowStart + (long) n * span - 1;
        if (Long.compareUnsigned(start, windowLast) > 0 || Long.compareUnsigned(end - 1, windowStart) < 0) {
            return;
        }
        int first = 0;
        int last = n - 1;
        if (Long.compareUnsigned(start, windowStart) > 0) {
            first = (int) Long.divideUnsigned(start - windowStart, span);
        }
        if (Long.compareUnsigned(end - 1, windowLast) < 0) {
            last = (int) Long.divideUnsigned(end - 1 - windowStart, span);
        }
        boolean leafLevel = level == g.leafLevel();
        int i = first;
        while (i <= last) {
            long d = t.get(i);
            long va = windowStart + (long) i * span;
            if (!fmt.present(d)) {
                i++;
                continue;
            }
            if (!leafLevel && isTable(d, level)) {
                walkLeaves(nextTablePfn(d), level + 1, va, start, end, v);
                i++;
                continue;
            }
            if (isLeaf(d, level)) {
                if (t.compact()) {
                    // the rest of the run of leaves up to `last` in one call; a compact table may
                    // also hold a table descriptor right after a leaf, which ends the leaf run
                    int j = i + 1;
                    long stride = j <= last ? t.get(j) - d : 0;
                    while (j <= last && t.get(j) != 0 && isLeaf(t.get(j), level) && t.get(j) - t.get(j - 1) == stride) {
                        j++;
                    }
                    v.leafRun(va, j - i, level, d, stride);
                    i = j;
                } else {
                    v.leafRun(va, 1, level, d, 0);
                    i++;
                }
                continue;
            }
            i++;
        }
    }

    /** Visits every table below the PGD, parents before children. */
    public void walkTables(TableVisitor v) {
        walkTables(pgdPfn, 0, ttbr1Base(), v);
    }

    private void walkTables(long tablePfn, int level, long windowStart, TableVisitor v) {
        if (level == g.leafLevel()) {
            return;
        }
        PgTable t = table(tablePfn);
        if (t.allNone()) {
            return;
        }
        long span = g.entrySpan(level);
        for (int i = 0; i < g.ptrs(level); i++) {
            long d = t.get(i);
            if (isTable(d, level)) {
                long child = nextTablePfn(d);
                long va = windowStart + (long) i * span;
                v.table(level + 1, child, va);
                walkTables(child, level + 1, va, v);
            }
        }
    }
}
