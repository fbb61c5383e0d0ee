package org.vmemsim.mm.alloc;

import it.unimi.dsi.fastutil.longs.Long2ObjectRBTreeMap;
import java.util.ArrayList;
import java.util.List;
import org.vmemsim.util.KernelBug;
import org.vmemsim.util.U64;

/**
 * Boot-time memory management ({@code mm/memblock.c}): the memory regions the firmware reported and
 * the reserved regions carved out of them. Allocations are top-down, as on arm64 after
 * {@code paging_init}. arm64 keeps memblock after boot (ARCH_KEEP_MEMBLOCK), so hot-added RAM is
 * added here too.
 */
public final class Memblock {
    /** A region {@code [base, base + size)} on {@code nid}; {@code label} names its purpose (reserved only). */
    public record Region(long base, long size, int nid, String label) {
        public long end() {
            return base + size;
        }
    }

    private final List<Region> memory = new ArrayList<>();
    /** Immutable copy of {@link #memory} handed out by {@link #memory()}; null after a change. */
    private List<Region> memorySnapshot;
    /**
     * Reserved regions by base address, adjacent regions merged as the kernel merges them. Physical
     * addresses are below 2^52, so signed key order is the unsigned order.
     */
    private final Long2ObjectRBTreeMap<Region> reserved = new Long2ObjectRBTreeMap<>();
    private final FaultInjector faults;

    public Memblock(FaultInjector faults) {
        this.faults = faults;
    }

    /** @kernel mm/memblock.c: memblock_add_node */
    public void memblockAddNode(long base, long size, int nid) {
        memory.add(new Region(base, size, nid, "memory"));
        memory.sort((a, b) -> U64.cmp(a.base(), b.base()));
        memorySnapshot = null;
    }

    /** @kernel mm/memblock.c: memblock_remove */
    public void memblockRemove(long base, long size) {
        long end = base + size;
        List<Region> out = new ArrayList<>();
        for (Region r : memory) {
            if (!U64.overlaps(r.base(), r.end(), base, end)) {
                out.add(r);
                continue;
            }
            if (U64.lt(r.base(), base)) {
                out.add(new Region(r.base(), base - r.base(), r.nid(), r.label()));
            }
            if (U64.gt(r.end(), end)) {
                out.add(new Region(end, r.end() - end, r.nid(), r.label()));
            }
        }
        memory.clear();
        memory.addAll(out);
        memorySnapshot = null;
    }

    /** @kernel mm/memblock.c: memblock_reserve */
    public void memblockReserve(long base, long size, String label) {
        long start = base;
        long end = base + size;
        String l = label;
        // merge with a region ending at or overlapping our start
        var head = reserved.headMap(start + 1);
        if (!head.isEmpty()) {
            Region prev = head.get(head.lastLongKey());
            if (prev.end() >= start) {
                start = prev.base();
                end = Math.max(end, prev.end());
                l = prev.label().equals(l) ? l : "memblock";
                reserved.remove(prev.base());
            }
        }
        // absorb regions starting inside or right at our end
        while (true) {
            var tail = reserved.tailMap(start);
            if (tail.isEmpty()) {
                break;
            }
            Region next = tail.get(tail.firstLongKey());
            if (next.base() > end) {
                break;
            }
            end = Math.max(end, next.end());
            l = next.label().equals(l) ? l : "memblock";
            reserved.remove(next.base());
        }
        reserved.put(start, new Region(start, end - start, nidOf(start), l));
    }

    /** @kernel mm/memblock.c: memblock_phys_free (E5.9: memblock_free) */
    public void memblockPhysFree(long base, long size) {
        long end = base + size;
        List<Region> hit = new ArrayList<>();
        var head = reserved.headMap(base);
        if (!head.isEmpty()) {
            Region prev = head.get(head.lastLongKey());
            if (prev.end() > base) {
                hit.add(prev);
            }
        }
        for (Region r : reserved.subMap(base, end).values()) {
            hit.add(r);
        }
        for (Region r : hit) {
            reserved.remove(r.base());
            if (r.base() < base) {
                reserved.put(r.base(), new Region(r.base(), base - r.base(), r.nid(), r.label()));
            }
            if (r.end() > end) {
                reserved.put(end, new Region(end, r.end() - end, r.nid(), r.label()));
            }
        }
    }

    public int nidOf(long pa) {
        for (int i = 0; i < memory.size(); i++) { // indexed: called per vmemmap page, no iterator garbage
            Region r = memory.get(i);
            if (U64.inRange(pa, r.base(), r.end())) {
                return r.nid();
            }
        }
        return -1;
    }

    /**
     * Allocates {@code size} bytes aligned to {@code align}, top-down, preferring node {@code nid}
     * (any node when -1 or when the node has no room). Returns the physical address, or -1.
     *
     * @kernel mm/memblock.c: memblock_alloc_try_nid_raw
     */
    public long memblockAllocTryNid(long size, long align, int nid, String label) {
        if (faults.shouldFail(label)) {
            return -1;
        }
        long pa = findFree(size, align, nid);
        if (pa == -1 && nid >= 0) {
            pa = findFree(size, align, -1);
        }
        if (pa != -1) {
            memblockReserve(pa, size, label);
        }
        return pa;
    }

    /**
     * Allocates on node {@code nid} only; -1 when it has no room.
     *
     * @kernel mm/memblock.c: memblock_alloc_exact_nid_raw
     */
    public long memblockAllocExactNid(long size, long align, int nid, String label) {
        if (faults.shouldFail(label)) {
            return -1;
        }
        long pa = findFree(size, align, nid);
        if (pa != -1) {
            memblockReserve(pa, size, label);
        }
        return pa;
    }

    /** As {@link #memblockAllocTryNid} but a failure panics, as memblock_alloc at boot does. */
    public long memblockAllocOrPanic(long size, long align, int nid, String label) {
        long pa = memblockAllocTryNid(size, align, nid, label);
        if (pa == -1) {
            throw new KernelBug(String.format("%s: Failed to allocate %d bytes align=0x%x nid=%d", label, size, align, nid));
        }
        return pa;
    }

    private long findFree(long size, long align, int nid) {
        for (int i = memory.size() - 1; i >= 0; i--) {
            Region m = memory.get(i);
            if (nid >= 0 && m.nid() != nid) {
                continue;
            }
            long top = m.end();
            // walk down past reserved regions that overlap the candidate
            while (U64.ge(top, m.base() + size) && U64.ge(top - size, m.base())) {
                long cand = U64.alignDown(top - size, align);
                if (U64.lt(cand, m.base())) {
                    break;
                }
                Region clash = clash(cand, cand + size);
                if (clash == null) {
                    return cand;
                }
                top = clash.base();
            }
        }
        return -1;
    }

    /** The highest reserved region intersecting {@code [start, end)}, or null. */
    private Region clash(long start, long end) {
        var head = reserved.headMap(end);
        if (head.isEmpty()) {
            return null;
        }
        Region r = head.get(head.lastLongKey());
        return r.end() > start ? r : null;
    }

    /** True when any byte of the page {@code [pa, pa + pageSize)} is reserved. */
    public boolean isReserved(long pa, long pageSize) {
        return clash(pa, pa + pageSize) != null;
    }

    /** The memory regions, ascending; an immutable list, shared between calls until memory changes. */
    public List<Region> memory() {
        if (memorySnapshot == null) {
            memorySnapshot = List.copyOf(memory);
        }
        return memorySnapshot;
    }

    public List<Region> reserved() {
        return List.copyOf(reserved.values());
    }

    public long reservedBytes() {
        long n = 0;
        for (Region r : reserved.values()) {
            n += r.size();
        }
        return n;
    }

    /** Lowest address of memory, memblock_start_of_DRAM. */
    public long memblockStartOfDram() {
        return memory.isEmpty() ? 0 : memory.get(0).base();
    }

    public Memblock copy(FaultInjector f) {
        Memblock c = new Memblock(f);
        c.memory.addAll(memory);
        c.reserved.putAll(reserved);
        return c;
    }

    public boolean sameState(Memblock o) {
        return memory.equals(o.memory) && reserved().equals(o.reserved());
    }
}
