package org.vmemsim.mm.phys;

import it.unimi.dsi.fastutil.longs.Long2ObjectOpenHashMap;
import it.unimi.dsi.fastutil.longs.LongArrayList;
import java.util.Arrays;

/**
 * Contents of simulated physical frames, created on demand. Only frames that hold page tables have
 * contents: a {@link PgTable} of hardware descriptors, one per table entry. Every other frame (memmap
 * backing, free RAM, device data) has no stored contents: cost follows tables, not pages.
 *
 * <p>Storage: a 1 TiB linear map with base pages has half a million table frames, and table lookups
 * by pfn are on every walk. Table frames come from memblock (top down) and the buddy allocator
 * (lowest pfn first), so they cluster: frames are kept in chunks of {@value #CHUNK} consecutive
 * pfns, found through a hash map by {@code pfn >>> CHUNK_SHIFT} with a one-entry cache of the last
 * chunk used. A chunk is dropped when its last table is.
 */
public final class FrameStore {
    private static final int CHUNK_SHIFT = 9;
    private static final int CHUNK = 1 << CHUNK_SHIFT;

    /** Tables of {@code CHUNK} consecutive pfns. */
    private static final class Chunk {
        final PgTable[] slots = new PgTable[CHUNK];
        int count;

        Chunk copy() {
            Chunk c = new Chunk();
            for (int i = 0; i < CHUNK; i++) {
                c.slots[i] = slots[i] == null ? null : slots[i].copy();
            }
            c.count = count;
            return c;
        }
    }

    private final Long2ObjectOpenHashMap<Chunk> chunks = new Long2ObjectOpenHashMap<>();
    private int count;
    private long lastKey = -1;
    private Chunk last;

    private Chunk chunk(long pfn) {
        long key = pfn >>> CHUNK_SHIFT;
        if (key != lastKey) {
            Chunk c = chunks.get(key);
            if (c == null) {
                return null;
            }
            lastKey = key;
            last = c;
        }
        return last;
    }

    /** Gives frame {@code pfn} zeroed table contents of {@code entries} descriptors. */
    public PgTable createTable(long pfn, int entries) {
        Chunk c = chunk(pfn);
        if (c == null) {
            c = new Chunk();
            chunks.put(pfn >>> CHUNK_SHIFT, c);
            lastKey = pfn >>> CHUNK_SHIFT;
            last = c;
        }
        int slot = (int) pfn & (CHUNK - 1);
        if (c.slots[slot] != null) {
            throw new IllegalStateException(String.format("frame pfn 0x%x already holds a table", pfn));
        }
        PgTable t = new PgTable(entries);
        c.slots[slot] = t;
        c.count++;
        count++;
        return t;
    }

    /** The table held by frame {@code pfn}, or null. */
    public PgTable table(long pfn) {
        Chunk c = chunk(pfn);
        return c == null ? null : c.slots[(int) pfn & (CHUNK - 1)];
    }

    public boolean holdsTable(long pfn) {
        return table(pfn) != null;
    }

    /** Drops the contents of a frame that no longer holds a table. */
    public void dropTable(long pfn) {
        Chunk c = chunk(pfn);
        int slot = (int) pfn & (CHUNK - 1);
        if (c == null || c.slots[slot] == null) {
            throw new IllegalStateException(String.format("frame pfn 0x%x holds no table", pfn));
        }
        c.slots[slot] = null;
        count--;
        if (--c.count == 0) {
            chunks.remove(pfn >>> CHUNK_SHIFT);
            lastKey = -1;
            last = null;
        }
    }

    public int tableCount() {
        return count;
    }

    /** Pfns of all table frames, sorted ascending (unsigned). */
    public long[] tablePfns() {
        long[] keys = new LongArrayList(chunks.keySet()).toLongArray();
        Arrays.sort(keys); // chunk keys are pfn >>> 9: never negative, so signed order is unsigned order
        long[] out = new long[count];
        int n = 0;
        for (long key : keys) {
            Chunk c = chunks.get(key);
            for (int i = 0; i < CHUNK; i++) {
                if (c.slots[i] != null) {
                    out[n++] = (key << CHUNK_SHIFT) | i;
                }
            }
        }
        return out;
    }

    /** Deep copy, for state comparison. */
    public FrameStore copy() {
        FrameStore c = new FrameStore();
        for (var e : chunks.long2ObjectEntrySet()) {
            c.chunks.put(e.getLongKey(), e.getValue().copy());
        }
        c.count = count;
        return c;
    }

    public boolean sameContents(FrameStore o) {
        if (count != o.count || chunks.size() != o.chunks.size()) {
            return false;
        }
        for (var e : chunks.long2ObjectEntrySet()) {
            Chunk other = o.chunks.get(e.getLongKey());
            if (other == null) {
                return false;
            }
            PgTable[] a = e.getValue().slots;
            for (int i = 0; i < CHUNK; i++) {
                if ((a[i] == null) != (other.slots[i] == null) || a[i] != null && !other.slots[i].sameContents(a[i])) {
                    return false;
                }
            }
        }
        return true;
    }
}
