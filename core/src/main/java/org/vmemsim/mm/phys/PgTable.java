package org.vmemsim.mm.phys;

import java.util.Arrays;

/**
 * The contents of one page-table frame: {@code entries} hardware descriptors.
 *
 * <p>Stored densely as a {@code long[]}, or, while the contents are a single run of descriptors
 * whose values grow by a constant stride ({@code d[i] = first + (i - from) * stride} for
 * {@code from <= i < to}, zero elsewhere), as that run. A linear map of RAM with base pages fills
 * whole tables with such runs; the run form keeps a 1 TiB linear map cheap. The two forms are the
 * same state: every read sees the same descriptor, and the first write that breaks the run turns
 * the table dense.
 */
public final class PgTable {
    private final int entries;
    private long[] dense;
    private int runFrom;
    private int runTo;
    private long runFirst;
    private long runStride;
    private int nonNone;

    public PgTable(int entries) {
        this.entries = entries;
    }

    public int entries() {
        return entries;
    }

    public long get(int i) {
        if (dense != null) {
            return dense[i];
        }
        return i >= runFrom && i < runTo ? runFirst + (i - runFrom) * runStride : 0;
    }

    public void set(int i, long v) {
        if (i < 0 || i >= entries) {
            throw new IndexOutOfBoundsException("table index " + i + " of " + entries);
        }
        long old = get(i);
        if (old == v) {
            return;
        }
        if (dense == null) {
            if (v == 0 && (i == runFrom || i == runTo - 1)) {
                // clearing either end of the run keeps the run form (a hot-remove clears in order)
                if (i == runFrom) {
                    runFrom++;
                    runFirst += runStride;
                } else {
                    runTo--;
                }
                nonNone--;
                if (nonNone == 0) {
                    runFrom = 0;
                    runTo = 0;
                    runFirst = 0;
                    runStride = 0;
                }
                return;
            }
            if (nonNone == 0 && v != 0) {
                runFrom = i;
                runTo = i + 1;
                runFirst = v;
                runStride = 0;
                nonNone = 1;
                return;
            }
            if (v != 0 && i == runTo && (runTo - runFrom == 1 || v - get(i - 1) == runStride)) {
                if (runTo - runFrom == 1) {
                    runStride = v - runFirst;
                }
                runTo++;
                nonNone++;
                return;
            }
            // clearing the first or last entry of the run shortens it (unmapping walks in VA order)
            if (v == 0 && (i == runFrom || i == runTo - 1)) {
                if (runTo - runFrom == 1) {
                    runFrom = 0;
                    runTo = 0;
                    runFirst = 0;
                    runStride = 0;
                } else if (i == runFrom) {
                    runFrom++;
                    runFirst += runStride;
                } else {
                    runTo--;
                }
                nonNone--;
                return;
            }
            materialise();
        }
        dense[i] = v;
        if (old == 0) {
            nonNone++;
        } else if (v == 0) {
            nonNone--;
        }
    }

    /** Writes {@code d[i] = first + (i - from) * stride} for {@code from <= i < to}. */
    public void setRun(int from, int to, long first, long stride) {
        if (from < 0 || to > entries || from > to) {
            throw new IndexOutOfBoundsException("run [" + from + ", " + to + ") of " + entries);
        }
        if (from == to) {
            return;
        }
        if (dense == null && nonNone == 0 && first != 0 && (stride != 0 || to - from == 1)) {
            runFrom = from;
            runTo = to;
            runFirst = first;
            runStride = stride;
            nonNone = to - from;
            return;
        }
        for (int i = from; i < to; i++) {
            set(i, first + (i - from) * stride);
        }
    }

    private void materialise() {
        long[] d = new long[entries];
        for (int i = runFrom; i < runTo; i++) {
            d[i] = runFirst + (i - runFrom) * runStride;
        }
        dense = d;
    }

    /** Clears entries {@code [from, to)}; a compact run inside the range is dropped without iterating. */
    public void clearRange(int from, int to) {
        if (nonNone == 0 || from >= to) {
            return;
        }
        if (dense == null && from <= runFrom && to >= runTo) {
            runFrom = runTo = 0;
            runFirst = runStride = 0;
            nonNone = 0;
            return;
        }
        for (int i = from; i < to; i++) {
            set(i, 0);
        }
    }

    /** Number of entries that are not none. */
    public int nonNone() {
        return nonNone;
    }

    public boolean allNone() {
        return nonNone == 0;
    }

    /** True while stored in the compact run form. */
    public boolean compact() {
        return dense == null;
    }

    public PgTable copy() {
        PgTable c = new PgTable(entries);
        c.dense = dense == null ? null : dense.clone();
        c.runFrom = runFrom;
        c.runTo = runTo;
        c.runFirst = runFirst;
        c.runStride = runStride;
        c.nonNone = nonNone;
        return c;
    }

    public boolean sameContents(PgTable o) {
        if (entries != o.entries || nonNone != o.nonNone) {
            return false;
        }
        if (dense != null && o.dense != null) {
            return Arrays.equals(dense, o.dense);
        }
        if (dense == null && o.dense == null) {
            // two runs: the same entries exactly when they cover the same indices with the same values
            return nonNone == 0 || runFrom == o.runFrom && runTo == o.runTo && runFirst == o.runFirst
                    && (runTo - runFrom == 1 || runStride == o.runStride);
        }
        for (int i = 0; i < entries; i++) {
            if (get(i) != o.get(i)) {
                return false;
            }
        }
        return true;
    }
}
