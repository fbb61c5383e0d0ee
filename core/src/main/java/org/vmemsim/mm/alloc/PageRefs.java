package org.vmemsim.mm.alloc;

import it.unimi.dsi.fastutil.longs.Long2LongAVLTreeMap;
import it.unimi.dsi.fastutil.longs.Long2LongSortedMap;
import it.unimi.dsi.fastutil.longs.Long2ObjectOpenHashMap;

/**
 * Extra page references by pfn (beyond the one an allocation holds), zero for almost every page.
 * Shared pages come from the buddy allocator in runs of nearby pfns, so the counts live in chunks of
 * {@value #CHUNK} consecutive pfns, found by {@code pfn >>> CHUNK_SHIFT} with a one-entry cache; a
 * chunk goes when its last count drops to zero.
 */
final class PageRefs {
    private static final int CHUNK_SHIFT = 12;
    private static final int CHUNK = 1 << CHUNK_SHIFT;

    private static final class Chunk {
        final int[] refs = new int[CHUNK];
        int nonZero;
    }

    private final Long2ObjectOpenHashMap<Chunk> chunks = new Long2ObjectOpenHashMap<>();
    private long lastKey = -1;
    private Chunk last;

    private Chunk chunk(long pfn, boolean create) {
        long key = pfn >>> CHUNK_SHIFT;
        if (key == lastKey) {
            return last;
        }
        Chunk c = chunks.get(key);
        if (c == null) {
            if (!create) {
                return null;
            }
            c = new Chunk();
            chunks.put(key, c);
        }
        lastKey = key;
        last = c;
        return c;
    }

    long get(long pfn) {
        if (chunks.isEmpty()) {
            return 0; // no shared page anywhere: the common case
        }
        Chunk c = chunk(pfn, false);
        return c == null ? 0 : c.refs[(int) pfn & (CHUNK - 1)];
    }

    /** Adds {@code delta} (+1 or -1) to the count of {@code pfn}; the count never goes below zero. */
    void add(long pfn, int delta) {
        Chunk c = chunk(pfn, true);
        int i = (int) pfn & (CHUNK - 1);
        int before = c.refs[i];
        int after = before + delta;
        if (after < 0) {
            throw new IllegalStateException(String.format("page reference count of pfn 0x%x below zero", pfn));
        }
        c.refs[i] = after;
        if (before == 0 && after != 0) {
            c.nonZero++;
        } else if (before != 0 && after == 0 && --c.nonZero == 0) {
            chunks.remove(pfn >>> CHUNK_SHIFT);
            lastKey = -1;
            last = null;
        }
    }

    /** Every non-zero count, by pfn. */
    Long2LongSortedMap toMap() {
        Long2LongAVLTreeMap m = new Long2LongAVLTreeMap();
        for (var e : chunks.long2ObjectEntrySet()) {
            long base = e.getLongKey() << CHUNK_SHIFT;
            int[] r = e.getValue().refs;
            for (int i = 0; i < CHUNK; i++) {
                if (r[i] != 0) {
                    m.put(base + i, r[i]);
                }
            }
        }
        return m;
    }

    PageRefs copy() {
        PageRefs p = new PageRefs();
        for (var e : chunks.long2ObjectEntrySet()) {
            Chunk c = new Chunk();
            System.arraycopy(e.getValue().refs, 0, c.refs, 0, CHUNK);
            c.nonZero = e.getValue().nonZero;
            p.chunks.put(e.getLongKey(), c);
        }
        return p;
    }

    boolean sameContents(PageRefs o) {
        if (!chunks.keySet().equals(o.chunks.keySet())) {
            return false;
        }
        for (var e : chunks.long2ObjectEntrySet()) {
            if (!java.util.Arrays.equals(e.getValue().refs, o.chunks.get(e.getLongKey()).refs)) {
                return false;
            }
        }
        return true;
    }
}
