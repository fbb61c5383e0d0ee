package org.vmemsim.check;

import it.unimi.dsi.fastutil.longs.LongArrayList;
import it.unimi.dsi.fastutil.longs.LongOpenHashSet;
import org.vmemsim.arch.Geometry;
import org.vmemsim.mm.pgtable.KernelPgtable;
import org.vmemsim.mm.phys.PgTable;
import org.vmemsim.util.U64;

/**
 * The page tables below the PGD that a {@link CheckContext} can reach: in full mode every table
 * linked from {@code swapper_pg_dir}; in scoped mode the tables whose window intersects the
 * scope's vmemmap or linear-map ranges. A table reached through two table descriptors is listed
 * once in {@link #pfn} and once more in {@link #duplicates}.
 */
public final class Tables {
    public final LongArrayList pfn = new LongArrayList();
    public final LongArrayList level = new LongArrayList();
    public final LongArrayList window = new LongArrayList();
    /** Pairs (table pfn, VA window of the second link). */
    public final LongArrayList duplicates = new LongArrayList();
    private final LongOpenHashSet seen = new LongOpenHashSet();
    private final KernelPgtable pt;
    private final Geometry g;

    private Tables(KernelPgtable pt, Geometry g) {
        this.pt = pt;
        this.g = g;
    }

    static Tables walk(CheckContext c) {
        Tables t = new Tables(c.k.mm.pgtable, c.g);
        if (c.isFull()) {
            t.seen.add(t.pt.pgdPfn);
            t.pt.walkTables(t::record);
            return t;
        }
        long[][] vm = c.vmemmapRanges();
        long[][] lin = c.linearRanges();
        long[][] all = new long[vm.length + lin.length][];
        System.arraycopy(vm, 0, all, 0, vm.length);
        System.arraycopy(lin, 0, all, vm.length, lin.length);
        java.util.Arrays.sort(all, (a, b) -> U64.cmp(a[0], b[0]));
        t.walkScoped(t.pt.pgdPfn, 0, t.pt.ttbr1Base(), all);
        return t;
    }

    public boolean reached(long tablePfn) {
        return seen.contains(tablePfn);
    }

    public int size() {
        return pfn.size();
    }

    /** Records a table reached through a table descriptor; false when it was reached before. */
    private boolean record(int lvl, long tablePfn, long windowStart) {
        if (!seen.add(tablePfn)) {
            duplicates.add(tablePfn);
            duplicates.add(windowStart);
            return false;
        }
        pfn.add(tablePfn);
        level.add(lvl);
        window.add(windowStart);
        return true;
    }

    /** Visits the entries of one table that the (sorted, disjoint) VA ranges touch, each entry once. */
    private void walkScoped(long tablePfn, int lvl, long windowStart, long[][] ranges) {
        if (lvl == g.leafLevel()) {
            return;
        }
        PgTable t = pt.table(tablePfn);
        if (t.allNone()) {
            return;
        }
        long span = g.entrySpan(lvl);
        long windowLast = windowStart + (long) g.ptrs(lvl) * span - 1;
        int prevLast = -1;
        for (long[] r : ranges) {
            long s = r[0];
            long eLast = r[1] - 1;
            if (U64.gt(s, windowLast) || U64.lt(eLast, windowStart)) {
                continue;
            }
            int first = U64.gt(s, windowStart) ? (int) Long.divideUnsigned(s - windowStart, span) : 0;
            int last = U64.lt(eLast, windowLast) ? (int) Long.divideUnsigned(eLast - windowStart, span) : g.ptrs(lvl) - 1;
            first = Math.max(first, prevLast + 1);
            for (int i = first; i <= last; i++) {
                long d = t.get(i);
                if (d == 0 || !pt.isTable(d, lvl)) {
                    continue;
                }
                long child = pt.nextTablePfn(d);
                long childWindow = windowStart + (long) i * span;
                if (record(lvl + 1, child, childWindow)) {
                    walkScoped(child, lvl + 1, childWindow, ranges);
                }
            }
            prevLast = Math.max(prevLast, last);
        }
    }
}
