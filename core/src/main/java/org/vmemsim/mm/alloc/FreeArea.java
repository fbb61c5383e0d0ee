package org.vmemsim.mm.alloc;

import it.unimi.dsi.fastutil.longs.Long2ObjectOpenHashMap;
import it.unimi.dsi.fastutil.longs.Long2ObjectRBTreeMap;

/**
 * One free list of a zone ({@code struct free_area} of one order): the set of free blocks of
 * {@code 2^order} pages, by first pfn, lowest first.
 *
 * <p>Stored as a bitmap over block numbers ({@code pfn >> order}) in chunks of
 * {@value #CHUNK_BITS} blocks, the chunks in a sorted map. Booting terabytes of RAM puts millions
 * of MAX_ORDER blocks on one list, and a memmap of base pages takes millions of order-0 pages off
 * the lists one at a time; as a bitmap both are a few word operations per block instead of a
 * balanced-tree node each. Buddy blocks are naturally aligned (the kernel's buddy arithmetic
 * {@code pfn ^ (1 << order)} depends on it), so a misaligned block is refused.
 */
final class FreeArea {
    private static final int CHUNK_SHIFT = 12;
    private static final int CHUNK_BITS = 1 << CHUNK_SHIFT;
    private static final int WORDS = CHUNK_BITS / 64;

    /** The bits of {@value #CHUNK_BITS} consecutive block numbers and how many are set. */
    private static final class Chunk {
        final long[] bits = new long[WORDS];
        int count;
        /** No bit is set in words below this one. */
        int lowWord;

        Chunk copy() {
            Chunk c = new Chunk();
            System.arraycopy(bits, 0, c.bits, 0, WORDS);
            c.count = count;
            c.lowWord = lowWord;
            return c;
        }
    }

    private final int order;
    private final Long2ObjectRBTreeMap<Chunk> chunks = new Long2ObjectRBTreeMap<>();
    /** The same chunks by key, for the point lookups that dominate (is this block free?). */
    private final Long2ObjectOpenHashMap<Chunk> index = new Long2ObjectOpenHashMap<>();
    private long size;
    private long lastKey = -1;
    private Chunk lastChunk;
    /**
     * The lowest chunk that held a block when last looked up, or null: valid while it is not
     * empty, since an add below it resets it.
     */
    private long firstKey;
    private Chunk firstChunk;

    FreeArea(int order) {
        this.order = order;
    }

    private Chunk chunk(long key, boolean create) {
        if (key == lastKey && lastChunk != null) {
            return lastChunk;
        }
        Chunk c = index.get(key);
        if (c == null && create) {
            c = new Chunk();
            chunks.put(key, c);
            index.put(key, c);
        }
        if (c != null) {
            lastKey = key;
            lastChunk = c;
        }
        return c;
    }

    private long blockOf(long pfn) {
        if ((pfn & ((1L << order) - 1)) != 0 || pfn < 0) {
            throw new IllegalStateException(String.format("free block pfn 0x%x is not aligned to order %d", pfn, order));
        }
        return pfn >>> order;
    }

    /** Adds the block at {@code pfn}; false when it was already free. */
    boolean add(long pfn) {
        long b = blockOf(pfn);
        Chunk c = chunk(b >>> CHUNK_SHIFT, true);
        int bit = (int) (b & (CHUNK_BITS - 1));
        long mask = 1L << bit;
        long w = c.bits[bit >>> 6];
        if ((w & mask) != 0) {
            return false;
        }
        c.bits[bit >>> 6] = w | mask;
        c.lowWord = Math.min(c.lowWord, bit >>> 6);
        c.count++;
        size++;
        if (firstChunk != null && (b >>> CHUNK_SHIFT) < firstKey) {
            firstChunk = null;
        }
        return true;
    }

    /** Removes the block at {@code pfn}; false when it was not on the list. */
    boolean remove(long pfn) {
        if ((pfn & ((1L << order) - 1)) != 0 || pfn < 0) {
            return false;
        }
        long b = pfn >>> order;
        long key = b >>> CHUNK_SHIFT;
        Chunk c = chunk(key, false);
        if (c == null) {
            return false;
        }
        int bit = (int) (b & (CHUNK_BITS - 1));
        long mask = 1L << bit;
        long w = c.bits[bit >>> 6];
        if ((w & mask) == 0) {
            return false;
        }
        c.bits[bit >>> 6] = w & ~mask;
        size--;
        c.count--;
        // an empty chunk stays in the map (a list that drains and refills reuses it); the search
        // for the first block skips and drops empty chunks
        return true;
    }

    boolean contains(long pfn) {
        if ((pfn & ((1L << order) - 1)) != 0 || pfn < 0) {
            return false;
        }
        long b = pfn >>> order;
        Chunk c = chunk(b >>> CHUNK_SHIFT, false);
        if (c == null) {
            return false;
        }
        int bit = (int) (b & (CHUNK_BITS - 1));
        return (c.bits[bit >>> 6] & (1L << bit)) != 0;
    }

    boolean isEmpty() {
        return size == 0;
    }

    long size() {
        return size;
    }

    /** The lowest free block; the list must not be empty. */
    long firstLong() {
        if (size == 0) {
            throw new java.util.NoSuchElementException("free list of order " + order + " is empty");
        }
        if (firstChunk == null || firstChunk.count == 0) {
            while (true) {
                long key = chunks.firstLongKey();
                Chunk c = chunks.get(key);
                if (c.count != 0) {
                    firstKey = key;
                    firstChunk = c;
                    break;
                }
                chunks.remove(key);
                index.remove(key);
                if (c == lastChunk) {
                    lastChunk = null;
                    lastKey = -1;
                }
            }
        }
        return pfnOf(firstKey, firstBit(firstChunk, 0));
    }

    /** The lowest free block at or above {@code pfn}, or -1. */
    long ceiling(long pfn) {
        long b = pfn <= 0 ? 0 : (pfn + (1L << order) - 1) >>> order; // pfns are below 2^52
        long key = b >>> CHUNK_SHIFT;
        Chunk c = index.get(key);
        if (c != null) {
            int bit = firstBit(c, (int) (b & (CHUNK_BITS - 1)));
            if (bit >= 0) {
                return pfnOf(key, bit);
            }
        }
        for (var e : chunks.tailMap(key + 1).long2ObjectEntrySet()) {
            int bit = firstBit(e.getValue(), 0);
            if (bit >= 0) {
                return pfnOf(e.getLongKey(), bit);
            }
        }
        return -1;
    }

    private long pfnOf(long key, int bit) {
        return ((key << CHUNK_SHIFT) | bit) << order;
    }

    /** The lowest set bit at or above {@code from} in a chunk, or -1. */
    private static int firstBit(Chunk c, int from) {
        if (c.count == 0) {
            return -1;
        }
        int wi = from >>> 6;
        long w;
        if (wi <= c.lowWord) {
            // move the hint up to the first non-zero word (one exists: count > 0)
            while (c.bits[c.lowWord] == 0) {
                c.lowWord++;
            }
        }
        if (wi < c.lowWord) {
            wi = c.lowWord;
            w = c.bits[wi];
        } else {
            w = c.bits[wi] & (-1L << (from & 63));
        }
        while (true) {
            if (w != 0) {
                return (wi << 6) | Long.numberOfTrailingZeros(w);
            }
            if (++wi == WORDS) {
                return -1;
            }
            w = c.bits[wi];
        }
    }

    FreeArea copy() {
        FreeArea f = new FreeArea(order);
        for (var e : chunks.long2ObjectEntrySet()) {
            if (e.getValue().count != 0) {
                Chunk c = e.getValue().copy();
                f.chunks.put(e.getLongKey(), c);
                f.index.put(e.getLongKey(), c);
            }
        }
        f.size = size;
        return f;
    }

    /** Same free blocks (empty chunks kept for reuse do not count). */
    boolean sameContents(FreeArea o) {
        if (size != o.size) {
            return false;
        }
        for (var e : chunks.long2ObjectEntrySet()) {
            if (e.getValue().count == 0) {
                continue;
            }
            Chunk b = o.chunks.get(e.getLongKey());
            if (b == null || !java.util.Arrays.equals(e.getValue().bits, b.bits)) {
                return false;
            }
        }
        return true; // equal sizes and every non-empty chunk matched: the sets are equal
    }
}
