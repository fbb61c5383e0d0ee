package org.vmemsim.mm.phys;

import it.unimi.dsi.fastutil.longs.Long2ObjectOpenHashMap;
import it.unimi.dsi.fastutil.longs.LongArrayList;
import java.util.Arrays;

/**
 * Contents of simulated physical frames, created on demand. Only frames that hold page tables have
 * contents: a {@link PgTable} of hardware descriptors, one per table entry. Every other frame (memmap
 * backing, free RAM, device data) has no stored contents: cost follows tables, not pages.
 */
public final class FrameStore {
    private final Long2ObjectOpenHashMap<PgTable> tables = new Long2ObjectOpenHashMap<>();

    /** Gives frame {@code pfn} zeroed table contents of {@code entries} descriptors. */
    public PgTable createTable(long pfn, int entries) {
        PgTable t = new PgTable(entries);
        PgTable prev = tables.put(pfn, t);
        if (prev != null) {
            tables.put(pfn, prev);
            throw new IllegalStateException(String.format("frame pfn 0x%x already holds a table", pfn));
        }
        return t;
    }

    /** The table held by frame {@code pfn}, or null. */
    public PgTable table(long pfn) {
        return tables.get(pfn);
    }

    public boolean holdsTable(long pfn) {
        return tables.containsKey(pfn);
    }

    /** Drops the contents of a frame that no longer holds a table. */
    public void dropTable(long pfn) {
        if (tables.remove(pfn) == null) {
            throw new IllegalStateException(String.format("frame pfn 0x%x holds no table", pfn));
        }
    }

    public int tableCount() {
        return tables.size();
    }

    /** Pfns of all table frames, sorted ascending (unsigned). */
    public long[] tablePfns() {
        LongArrayList l = new LongArrayList(tables.keySet());
        long[] a = l.toLongArray();
        Arrays.sort(a);
        return a;
    }

    /** Deep copy, for state comparison. */
    public FrameStore copy() {
        FrameStore c = new FrameStore();
        for (var e : tables.long2ObjectEntrySet()) {
            c.tables.put(e.getLongKey(), e.getValue().copy());
        }
        return c;
    }

    public boolean sameContents(FrameStore o) {
        if (tables.size() != o.tables.size()) {
            return false;
        }
        for (var e : tables.long2ObjectEntrySet()) {
            PgTable other = o.tables.get(e.getLongKey());
            if (other == null || !other.sameContents(e.getValue())) {
                return false;
            }
        }
        return true;
    }
}
