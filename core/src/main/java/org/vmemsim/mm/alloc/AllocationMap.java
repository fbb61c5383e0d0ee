package org.vmemsim.mm.alloc;

import it.unimi.dsi.fastutil.longs.Long2ObjectOpenHashMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The buddy allocator's record of live allocations, keyed by first pfn: a compact stand-in for a
 * {@code pfn -> Allocation} hash map. A memmap of base pages is millions of order-0 allocations
 * with consecutive pfns and a handful of distinct (order, node, zone, site) tuples, so each tuple
 * ("kind") is stored once and each pfn holds a 16-bit kind number in a chunk of
 * {@value #CHUNK_PFNS} consecutive pfns. Same contents as the map it replaces; only the storage
 * differs (about 2 bytes per allocated pfn instead of a boxed record and a hash slot, and
 * neighbouring pfns share a cache line).
 */
final class AllocationMap {
    private static final int CHUNK_SHIFT = 12;
    private static final int CHUNK_PFNS = 1 << CHUNK_SHIFT;
    private static final int SMALL_MAX = 64;

    /** What an allocation is, without where it starts. */
    private record Kind(int order, int nid, ZoneType zone, String site) {}

    /**
     * Kind numbers (kind index + 1; 0 = no allocation starts here) of one chunk of pfns, and how
     * many are set. A chunk with few allocations (blocks of a high order) keeps sorted
     * (offset, kind) pairs; past {@value #SMALL_MAX} it switches to one slot per pfn.
     */
    private static final class Chunk {
        short[] offs = new short[4];
        short[] kinds = new short[4];
        short[] dense;
        int count;

        int get(int off) {
            if (dense != null) {
                return Short.toUnsignedInt(dense[off]);
            }
            int i = find(off);
            return i >= 0 ? Short.toUnsignedInt(kinds[i]) : 0;
        }

        /** Binary search over the small form: index, or -(insertion point) - 1. */
        private int find(int off) {
            int lo = 0;
            int hi = count - 1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                int v = Short.toUnsignedInt(offs[mid]);
                if (v < off) {
                    lo = mid + 1;
                } else if (v > off) {
                    hi = mid - 1;
                } else {
                    return mid;
                }
            }
            return -(lo + 1);
        }

        /** Sets slot {@code off} to kind number {@code k} (non-zero); true when the slot was empty. */
        boolean set(int off, int k) {
            if (dense != null) {
                boolean fresh = dense[off] == 0;
                dense[off] = (short) k;
                if (fresh) {
                    count++;
                }
                return fresh;
            }
            int i = find(off);
            if (i >= 0) {
                kinds[i] = (short) k;
                return false;
            }
            if (count == SMALL_MAX) {
                dense = new short[CHUNK_PFNS];
                for (int j = 0; j < count; j++) {
                    dense[Short.toUnsignedInt(offs[j])] = kinds[j];
                }
                offs = null;
                kinds = null;
                dense[off] = (short) k;
                count++;
                return true;
            }
            int at = -i - 1;
            if (count == offs.length) {
                offs = java.util.Arrays.copyOf(offs, count * 2);
                kinds = java.util.Arrays.copyOf(kinds, count * 2);
            }
            System.arraycopy(offs, at, offs, at + 1, count - at);
            System.arraycopy(kinds, at, kinds, at + 1, count - at);
            offs[at] = (short) off;
            kinds[at] = (short) k;
            count++;
            return true;
        }

        /** Empties slot {@code off}; true when it held an allocation. */
        boolean clear(int off) {
            if (dense != null) {
                if (dense[off] == 0) {
                    return false;
                }
                dense[off] = 0;
                count--;
                return true;
            }
            int i = find(off);
            if (i < 0) {
                return false;
            }
            System.arraycopy(offs, i + 1, offs, i, count - i - 1);
            System.arraycopy(kinds, i + 1, kinds, i, count - i - 1);
            count--;
            return true;
        }

        /** The lowest occupied offset at or above {@code from}, or -1. */
        int next(int from) {
            if (dense != null) {
                for (int off = from; off < CHUNK_PFNS; off++) {
                    if (dense[off] != 0) {
                        return off;
                    }
                }
                return -1;
            }
            int i = find(from);
            int at = i >= 0 ? i : -i - 1;
            return at < count ? Short.toUnsignedInt(offs[at]) : -1;
        }

        Chunk copy() {
            Chunk c = new Chunk();
            c.offs = offs == null ? null : offs.clone();
            c.kinds = kinds == null ? null : kinds.clone();
            c.dense = dense == null ? null : dense.clone();
            c.count = count;
            return c;
        }
    }

    private final List<Kind> kinds = new ArrayList<>();
    private final Map<Kind, Integer> kindIndex = new HashMap<>();
    private final Long2ObjectOpenHashMap<Chunk> chunks = new Long2ObjectOpenHashMap<>();
    private int size;
    private long lastKey = -1;
    private Chunk lastChunk;
    private Kind lastKind;
    private int lastKindNumber;

    private Chunk chunk(long pfn, boolean create) {
        long key = pfn >>> CHUNK_SHIFT;
        if (key == lastKey && lastChunk != null) {
            return lastChunk;
        }
        Chunk c = chunks.get(key);
        if (c == null && create) {
            c = new Chunk();
            chunks.put(key, c);
        }
        if (c != null) {
            lastKey = key;
            lastChunk = c;
        }
        return c;
    }

    private int kindNumber(int order, int nid, ZoneType zone, String site) {
        Kind last = lastKind;
        if (last != null && last.order() == order && last.nid() == nid && last.zone() == zone
                && last.site().equals(site)) {
            return lastKindNumber;
        }
        Kind k = new Kind(order, nid, zone, site);
        Integer i = kindIndex.get(k);
        if (i == null) {
            if (kinds.size() >= Short.MAX_VALUE * 2) {
                throw new IllegalStateException("more than " + Short.MAX_VALUE * 2 + " kinds of allocation");
            }
            i = kinds.size();
            kinds.add(k);
            kindIndex.put(k, i);
        }
        lastKind = k;
        lastKindNumber = i + 1;
        return i + 1;
    }

    /** Records an allocation starting at {@code pfn} (replacing any record there). */
    void put(long pfn, int order, int nid, ZoneType zone, String site) {
        Chunk c = chunk(pfn, true);
        if (c.set((int) (pfn & (CHUNK_PFNS - 1)), kindNumber(order, nid, zone, site))) {
            size++;
        }
    }

    /** Records {@code count} allocations of the same kind at {@code pfn}, {@code pfn + 1}, ... */
    void putRun(long pfn, long count, int order, int nid, ZoneType zone, String site) {
        int k = kindNumber(order, nid, zone, site);
        for (long i = 0; i < count; i++) {
            long p = pfn + i;
            if (chunk(p, true).set((int) (p & (CHUNK_PFNS - 1)), k)) {
                size++;
            }
        }
    }

    /** The allocation starting at {@code pfn}, or null. */
    PageAlloc.Allocation get(long pfn) {
        Chunk c = chunk(pfn, false);
        if (c == null) {
            return null;
        }
        int n = c.get((int) (pfn & (CHUNK_PFNS - 1)));
        return n == 0 ? null : decode(pfn, n);
    }

    private PageAlloc.Allocation decode(long pfn, int n) {
        Kind k = kinds.get(n - 1);
        return new PageAlloc.Allocation(pfn, k.order(), k.nid(), k.zone(), k.site());
    }

    /** Forgets the allocation at {@code pfn}; no-op when there is none. */
    void remove(long pfn) {
        long key = pfn >>> CHUNK_SHIFT;
        Chunk c = chunk(pfn, false);
        if (c == null) {
            return;
        }
        if (c.clear((int) (pfn & (CHUNK_PFNS - 1)))) {
            size--;
            if (c.count == 0) {
                chunks.remove(key);
                lastChunk = null;
                lastKey = -1;
            }
        }
    }

    int size() {
        return size;
    }

    /** All live allocations sorted by pfn. */
    List<PageAlloc.Allocation> sorted() {
        long[] keys = chunks.keySet().toLongArray();
        Arrays.sort(keys);
        List<PageAlloc.Allocation> out = new ArrayList<>(size);
        for (long key : keys) {
            Chunk c = chunks.get(key);
            for (int off = c.next(0); off >= 0; off = off + 1 < CHUNK_PFNS ? c.next(off + 1) : -1) {
                out.add(decode((key << CHUNK_SHIFT) | off, c.get(off)));
            }
        }
        return out;
    }

    AllocationMap copy() {
        AllocationMap m = new AllocationMap();
        m.kinds.addAll(kinds);
        m.kindIndex.putAll(kindIndex);
        for (var e : chunks.long2ObjectEntrySet()) {
            m.chunks.put(e.getLongKey(), e.getValue().copy());
        }
        m.size = size;
        return m;
    }

    /** Same allocations (pfn, order, node, zone, site), however the kinds happen to be numbered. */
    boolean sameContents(AllocationMap o) {
        if (size != o.size || chunks.size() != o.chunks.size()) {
            return false;
        }
        for (var e : chunks.long2ObjectEntrySet()) {
            Chunk a = e.getValue();
            Chunk b = o.chunks.get(e.getLongKey());
            if (b == null || a.count != b.count) {
                return false;
            }
            for (int off = a.next(0); off >= 0; off = off + 1 < CHUNK_PFNS ? a.next(off + 1) : -1) {
                int nb = b.get(off);
                if (nb == 0 || !kinds.get(a.get(off) - 1).equals(o.kinds.get(nb - 1))) {
                    return false;
                }
            }
        }
        return true;
    }
}
