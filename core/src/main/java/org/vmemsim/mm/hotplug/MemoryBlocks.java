package org.vmemsim.mm.hotplug;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.vmemsim.arch.Geometry;
import org.vmemsim.mm.alloc.ZoneType;
import org.vmemsim.mm.pgtable.MmCore;
import org.vmemsim.mm.sparse.Sparse;
import org.vmemsim.mm.vmemmap.VmemAltmap;
import org.vmemsim.util.Errno;

/**
 * Memory block devices ({@code drivers/base/memory.c}): one {@link MemoryBlock} per
 * {@code memory_block_size_bytes()} of present memory, created at boot for boot memory (online)
 * and after {@code arch_add_memory} for hot-added memory (offline); onlining and offlining a block
 * ({@code memory_block_online}/{@code memory_block_offline}) including its self-hosted memmap.
 *
 * <p>arm64 does not override {@code memory_block_size_bytes()}: the block is one section
 * ({@link Geometry#memoryBlockSize}). A memory block's slab object is counted as
 * {@link #MEMORY_BLOCK_BYTES} (an estimate: struct memory_block embeds a struct device and lands in
 * kmalloc-1k). Left out: sysfs/uevents, memory groups, hwpoison, the probe interface.
 */
public final class MemoryBlocks {
    /** Slab bytes per memory block device (estimate, see the class comment). */
    public static final long MEMORY_BLOCK_BYTES = 1024;

    private final MmCore mm;
    private final Geometry g;
    private final Sparse sparse;
    private final OnlinePages online;
    private final TreeMap<Long, MemoryBlock> blocks = new TreeMap<>();

    public MemoryBlocks(MmCore mm, Sparse sparse, OnlinePages online) {
        this.mm = mm;
        this.g = mm.g;
        this.sparse = sparse;
        this.online = online;
    }

    /** @kernel drivers/base/memory.c: memory_block_size_bytes */
    public long memoryBlockSizeBytes() {
        return g.memoryBlockSize;
    }

    public long sectionsPerBlock() {
        return g.memoryBlockSize >>> g.sectionSizeBits;
    }

    public long pagesPerBlock() {
        return g.memoryBlockSize >>> g.pageShift;
    }

    /** @kernel drivers/base/memory.c: pfn_to_block_id */
    public long pfnToBlockId(long pfn) {
        return g.pfnToSection(pfn) / sectionsPerBlock();
    }

    public long startPfn(MemoryBlock mem) {
        return g.sectionToPfn(mem.startSectionNr);
    }

    public long startPhys(MemoryBlock mem) {
        return startPfn(mem) << g.pageShift;
    }

    /** @kernel drivers/base/memory.c: find_memory_block_by_id */
    public MemoryBlock findMemoryBlockById(long id) {
        return blocks.get(id);
    }

    /** All blocks by id. */
    public List<MemoryBlock> blocks() {
        return new ArrayList<>(blocks.values());
    }

    /**
     * The blocks that exist in {@code [start, start + size)}, ascending.
     *
     * @kernel drivers/base/memory.c: walk_memory_blocks
     */
    public List<MemoryBlock> walkMemoryBlocks(long start, long size) {
        if (size == 0) {
            return List.of();
        }
        long first = pfnToBlockId(start >>> g.pageShift);
        long last = pfnToBlockId((start + size - 1) >>> g.pageShift);
        return new ArrayList<>(blocks.subMap(first, true, last, true).values());
    }

    /** @kernel drivers/base/memory.c: add_memory_block */
    int addMemoryBlock(long blockId, MemoryBlock.State state, VmemAltmap altmap, long nrVmemmapPages, int nid,
                       boolean early) {
        if (blocks.containsKey(blockId)) {
            return mm.log.fail(Errno.EEXIST, "add_memory_block", "memory" + blockId + " already exists");
        }
        long id = mm.slab.kzalloc(MEMORY_BLOCK_BYTES, "add_memory_block");
        if (id == -1) {
            return mm.log.fail(Errno.ENOMEM, "add_memory_block", "cannot allocate memory" + blockId);
        }
        MemoryBlock mem = new MemoryBlock(blockId, blockId * sectionsPerBlock(), state, nid, early, id);
        mem.altmap = altmap;
        mem.nrVmemmapPages = nrVmemmapPages;
        if (state == MemoryBlock.State.ONLINE) {
            mem.zone = ZoneType.NORMAL; // early_node_zone_for_memory_block (DMA zones are folded into Normal)
        }
        blocks.put(blockId, mem);
        return 0;
    }

    /** @kernel drivers/base/memory.c: remove_memory_block */
    void removeMemoryBlock(MemoryBlock mem) {
        blocks.remove(mem.id);
        mm.slab.kfree(mem.slabId);
    }

    /**
     * Creates the (offline) block devices of a hot-added range, all or nothing.
     *
     * @kernel drivers/base/memory.c: create_memory_block_devices
     */
    public int createMemoryBlockDevices(long start, long size, VmemAltmap altmap, long nrVmemmapPages, int nid) {
        if (start % g.memoryBlockSize != 0 || size % g.memoryBlockSize != 0) {
            mm.log.warnOnce("create_memory_block_devices", "align", "unaligned range");
            return mm.log.fail(Errno.EINVAL, "create_memory_block_devices",
                    String.format("range %#x + %#x is not memory-block aligned", start, size));
        }
        long first = pfnToBlockId(start >>> g.pageShift);
        long end = pfnToBlockId((start + size) >>> g.pageShift);
        for (long id = first; id != end; id++) {
            int ret = addMemoryBlock(id, MemoryBlock.State.OFFLINE, altmap, nrVmemmapPages, nid, false);
            if (ret != 0) {
                for (long undo = first; undo != id; undo++) {
                    removeMemoryBlock(blocks.get(undo));
                }
                return ret;
            }
        }
        return 0;
    }

    /** @kernel drivers/base/memory.c: remove_memory_block_devices */
    public void removeMemoryBlockDevices(long start, long size) {
        for (MemoryBlock mem : walkMemoryBlocks(start, size)) {
            removeMemoryBlock(mem);
        }
    }

    /**
     * Boot: one online block per block that has a present section.
     *
     * @kernel drivers/base/memory.c: memory_dev_init
     */
    public void memoryDevInit() {
        sparse.forEachSection((nr, ms) -> {
            long id = nr / sectionsPerBlock();
            if (ms.present() && !blocks.containsKey(id)) {
                if (addMemoryBlock(id, MemoryBlock.State.ONLINE, null, 0, ms.nid, true) != 0) {
                    throw new org.vmemsim.util.KernelBug("memory_dev_init: " + mm.log.lastError());
                }
            }
        });
    }

    /**
     * Onlines a block: its self-hosted memmap pages first (present, never managed), then the rest
     * through {@code online_pages}.
     *
     * @kernel drivers/base/memory.c: memory_block_online
     */
    int memoryBlockOnline(MemoryBlock mem) {
        long start = startPfn(mem);
        long nr = pagesPerBlock();
        long nrVmemmap = mem.vmemmapPages();
        ZoneType zone = online.zoneForPfnRange(mem.onlineType, mem.nid, start, nr);
        if (nrVmemmap != 0) {
            int ret = online.mhpInitMemmapOnMemory(start, nrVmemmap, mem.nid, zone);
            if (ret != 0) {
                return ret;
            }
        }
        int ret = online.onlinePages(start + nrVmemmap, nr - nrVmemmap, mem.nid, zone);
        if (ret != 0) {
            if (nrVmemmap != 0) {
                online.mhpDeinitMemmapOnMemory(start, nrVmemmap, mem.nid, zone);
            }
            return ret;
        }
        if (nrVmemmap != 0) {
            online.adjustPresentPageCount(mem.nid, zone, nrVmemmap);
        }
        mem.zone = zone;
        return 0;
    }

    /** @kernel drivers/base/memory.c: memory_block_offline */
    int memoryBlockOffline(MemoryBlock mem) {
        if (mem.zone == null) {
            return mm.log.fail(Errno.EINVAL, "memory_block_offline", "memory" + mem.id + " spans no single zone");
        }
        long start = startPfn(mem);
        long nr = pagesPerBlock();
        long nrVmemmap = mem.vmemmapPages();
        if (nrVmemmap != 0) {
            online.adjustPresentPageCount(mem.nid, mem.zone, -nrVmemmap);
        }
        int ret = online.offlinePages(start + nrVmemmap, nr - nrVmemmap, mem.nid, mem.zone);
        if (ret != 0) {
            if (nrVmemmap != 0) {
                online.adjustPresentPageCount(mem.nid, mem.zone, nrVmemmap);
            }
            return ret;
        }
        if (nrVmemmap != 0) {
            online.mhpDeinitMemmapOnMemory(start, nrVmemmap, mem.nid, mem.zone);
        }
        mem.zone = null;
        return 0;
    }

    /** @kernel drivers/base/memory.c: memory_block_change_state */
    private int memoryBlockChangeState(MemoryBlock mem, MemoryBlock.State to, MemoryBlock.State from) {
        if (mem.state != from) {
            return mm.log.fail(Errno.EINVAL, "memory_block_change_state",
                    "memory" + mem.id + " is " + mem.state.label + ", not " + from.label);
        }
        if (to == MemoryBlock.State.OFFLINE) {
            mem.state = MemoryBlock.State.GOING_OFFLINE;
        }
        int ret = to == MemoryBlock.State.ONLINE ? memoryBlockOnline(mem) : memoryBlockOffline(mem);
        mem.state = ret != 0 ? from : to;
        return ret;
    }

    /**
     * {@code echo online|online_kernel|online_movable > memoryN/state}: -EINVAL when the block is not
     * offline (device_online reports "nothing to do").
     *
     * @kernel drivers/base/memory.c: memory_subsys_online (via state_store, device_online)
     */
    public int deviceOnline(MemoryBlock mem, MemoryBlock.OnlineType type) {
        if (mem.state != MemoryBlock.State.OFFLINE) {
            return mm.log.fail(Errno.EINVAL, "state_store", "memory" + mem.id + " is already " + mem.state.label);
        }
        mem.onlineType = type == MemoryBlock.OnlineType.MMOP_OFFLINE ? MemoryBlock.OnlineType.MMOP_ONLINE : type;
        int ret = memoryBlockChangeState(mem, MemoryBlock.State.ONLINE, MemoryBlock.State.OFFLINE);
        mem.onlineType = MemoryBlock.OnlineType.MMOP_OFFLINE;
        return ret;
    }

    /**
     * {@code echo offline > memoryN/state}: -EINVAL when the block is already offline.
     *
     * @kernel drivers/base/memory.c: memory_subsys_offline (via state_store, device_offline)
     */
    public int deviceOffline(MemoryBlock mem) {
        if (mem.state == MemoryBlock.State.OFFLINE) {
            return mm.log.fail(Errno.EINVAL, "state_store", "memory" + mem.id + " is already offline");
        }
        return memoryBlockChangeState(mem, MemoryBlock.State.OFFLINE, MemoryBlock.State.ONLINE);
    }

    /**
     * {@code memoryN/valid_zones}: the zone of an online block, else the default zone followed by
     * the other zones it could be onlined to.
     *
     * @kernel drivers/base/memory.c: valid_zones_show
     */
    public String validZones(MemoryBlock mem) {
        if (mem.state == MemoryBlock.State.ONLINE) {
            return mem.zone == null ? "none" : mem.zone.label;
        }
        long start = startPfn(mem);
        long nr = pagesPerBlock();
        ZoneType def = online.zoneForPfnRange(MemoryBlock.OnlineType.MMOP_ONLINE, mem.nid, start, nr);
        StringBuilder sb = new StringBuilder(def.label);
        for (MemoryBlock.OnlineType t : new MemoryBlock.OnlineType[] {MemoryBlock.OnlineType.MMOP_ONLINE_KERNEL,
                MemoryBlock.OnlineType.MMOP_ONLINE_MOVABLE}) {
            ZoneType z = online.zoneForPfnRange(t, mem.nid, start, nr);
            if (z != def) {
                sb.append(' ').append(z.label);
            }
        }
        return sb.toString();
    }

    /** {@code memoryN/phys_index}: first section / sections_per_block, "%08lx". @kernel drivers/base/memory.c: phys_index_show */
    public String physIndex(MemoryBlock mem) {
        return String.format("%08x", mem.startSectionNr / sectionsPerBlock());
    }
}
