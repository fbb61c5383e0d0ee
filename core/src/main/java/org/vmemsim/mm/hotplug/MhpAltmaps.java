package org.vmemsim.mm.hotplug;

import java.util.IdentityHashMap;
import java.util.List;
import org.vmemsim.arch.Geometry;
import org.vmemsim.mm.pgtable.MmCore;
import org.vmemsim.mm.vmemmap.MhpParams;
import org.vmemsim.mm.vmemmap.VmemAltmap;
import org.vmemsim.util.Errno;

/**
 * The v6.6+ memmap_on_memory block helpers of {@code mm/memory_hotplug.c}: one heap-copied
 * {@code vmem_altmap} per memory block of a hot-added range, created with the block
 * ({@code create_altmaps_and_memory_blocks}) and freed with it
 * ({@code remove_memory_blocks_and_altmaps}, which WARNs "Altmap not fully unmapped" when the
 * block's memmap did not give back every pfn).
 */
public final class MhpAltmaps {
    /** sizeof(struct vmem_altmap): six unsigned longs and a bool. */
    public static final long VMEM_ALTMAP_BYTES = 56;

    private final MmCore mm;
    private final Geometry g;
    private final MemoryHotplug hotplug;
    private final MemoryBlocks blocks;
    private final MemmapOnMemory mom;
    private final IdentityHashMap<VmemAltmap, Long> altmapSlab = new IdentityHashMap<>();

    MhpAltmaps(MmCore mm, MemoryHotplug hotplug, MemoryBlocks blocks, MemmapOnMemory mom) {
        this.mm = mm;
        this.g = mm.g;
        this.hotplug = hotplug;
        this.blocks = blocks;
        this.mom = mom;
    }

    /**
     * v6.6+: one altmap per memory block (base = block start, free = the block's memmap pages), each
     * block added and given its device separately; on failure the blocks already done are removed.
     *
     * @kernel mm/memory_hotplug.c: create_altmaps_and_memory_blocks
     */
    public int createAltmapsAndMemoryBlocks(int nid, long start, long size, int mhpFlags) {
        long bs = blocks.memoryBlockSizeBytes();
        int ret = 0;
        long cur = start;
        for (; cur != start + size; cur += bs) {
            long base = cur >>> g.pageShift;
            VmemAltmap altmap = new VmemAltmap("memory" + blocks.pfnToBlockId(base), base,
                    (cur + bs - 1) >>> g.pageShift, 0, mom.memoryBlockMemmapOnMemoryPages());
            altmap.inaccessible = (mhpFlags & RamHotplug.MHP_OFFLINE_INACCESSIBLE) != 0;
            long slab = mm.slab.kzalloc(VMEM_ALTMAP_BYTES, "create_altmaps_and_memory_blocks");
            if (slab == -1) {
                ret = mm.log.fail(Errno.ENOMEM, "create_altmaps_and_memory_blocks", "cannot kmemdup the altmap");
                break;
            }
            ret = hotplug.arch().archAddMemory(nid, cur, bs, MhpParams.kernel(altmap));
            if (ret < 0) {
                mm.slab.kfree(slab);
                break;
            }
            ret = blocks.createMemoryBlockDevices(cur, bs, altmap, 0, nid);
            if (ret != 0) {
                hotplug.arch().archRemoveMemory(cur, bs, altmap);
                mm.slab.kfree(slab);
                break;
            }
            altmapSlab.put(altmap, slab);
        }
        if (ret != 0 && cur != start) {
            removeMemoryBlocksAndAltmaps(start, cur - start);
        }
        return ret;
    }

    /**
     * Per block: detach the altmap, remove the device, {@code arch_remove_memory} with the altmap,
     * WARN "Altmap not fully unmapped" when {@code alloc} did not return to 0, free the altmap.
     *
     * @kernel mm/memory_hotplug.c: remove_memory_blocks_and_altmaps
     */
    public void removeMemoryBlocksAndAltmaps(long start, long size) {
        long bs = blocks.memoryBlockSizeBytes();
        for (long cur = start; cur != start + size; cur += bs) {
            MemoryBlock mem = blocks.findMemoryBlockById(blocks.pfnToBlockId(cur >>> g.pageShift));
            if (mem == null) {
                mm.log.warnOnce("remove_memory_blocks_and_altmaps", "nomem", "no memory block at " + Long.toHexString(cur));
                continue;
            }
            VmemAltmap altmap = mem.altmap;
            mem.altmap = null;
            blocks.removeMemoryBlockDevices(cur, bs);
            hotplug.arch().archRemoveMemory(cur, bs, altmap);
            if (altmap != null) {
                if (altmap.alloc != 0) {
                    mm.log.warn("remove_memory_blocks_and_altmaps", "Altmap not fully unmapped");
                }
                Long slab = altmapSlab.remove(altmap);
                if (slab != null) {
                    mm.slab.kfree(slab);
                }
            }
        }
    }

    /** 1 when every block has an altmap, 0 when none (or the feature is off), WARN and -EINVAL when mixed. */
    int memoryBlocksHaveAltmaps(List<MemoryBlock> mems, long size) {
        if (!mom.mhpMemmapOnMemory()) {
            return 0;
        }
        long n = 0;
        for (MemoryBlock mem : mems) {
            n += mem.altmap != null ? 1 : 0;
        }
        if (n == 0) {
            return 0;
        }
        if (n != size / blocks.memoryBlockSizeBytes()) {
            mm.log.warnOnce("memory_blocks_have_altmaps", "mixed", "some but not all memory blocks have altmaps");
            return mm.log.fail(Errno.EINVAL, "memory_blocks_have_altmaps", String.format(
                    "%d of %d memory blocks have memmap_on_memory altmaps", n, size / blocks.memoryBlockSizeBytes()));
        }
        return 1;
    }
}
