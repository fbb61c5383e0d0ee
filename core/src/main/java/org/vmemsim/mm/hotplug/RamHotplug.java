package org.vmemsim.mm.hotplug;

import java.util.List;
import java.util.TreeSet;
import org.vmemsim.arch.Geometry;
import org.vmemsim.arch.KernelProfile;
import org.vmemsim.mm.pgtable.MmCore;
import org.vmemsim.mm.phys.Iomem;
import org.vmemsim.mm.vmemmap.MhpParams;
import org.vmemsim.mm.vmemmap.VmemAltmap;
import org.vmemsim.util.Errno;
import org.vmemsim.util.KernelBug;

/**
 * Hot-add and hot-remove of RAM ({@code mm/memory_hotplug.c}): {@code add_memory},
 * {@code add_memory_driver_managed}, {@code add_memory_resource}, {@code register_memory_resource},
 * {@code try_remove_memory}, {@code remove_memory}, {@code offline_and_remove_memory}, and the
 * memmap_on_memory block/altmap helpers. Holds the memory blocks, online/offline and the
 * memmap_on_memory configuration of one machine.
 *
 * <p>Left out: memory groups (MHP_NID_IS_MGID), firmware memmap entries, resource merging,
 * automatic onlining (the default online type is "offline", as in Debian's kernels without udev).
 */
public final class RamHotplug {
    public static final int MHP_NONE = 0;
    public static final int MHP_MERGE_RESOURCE = 1;
    public static final int MHP_MEMMAP_ON_MEMORY = 1 << 1;
    public static final int MHP_NID_IS_MGID = 1 << 2;
    public static final int MHP_OFFLINE_INACCESSIBLE = 1 << 3;
    /** Slab bytes of a pgdat allocated for a new node before v6.0 (an estimate, leak L4). */
    public static final long PGDAT_BYTES = 8192;
    /** MAX_NUMNODES of the modelled kernels: node_possible() for nid in [0, 64). */
    public static final int MAX_NUMNODES = 64;

    private final MmCore mm;
    private final Geometry g;
    private final KernelProfile p;
    private final MemoryHotplug hotplug;
    private final Iomem iomem;
    public final MemmapOnMemory mom;
    public final OnlinePages online;
    public final MemoryBlocks blocks;
    /** The memmap_on_memory per-block altmaps (v6.6+). */
    public final MhpAltmaps altmaps;
    private final TreeSet<Integer> onlineNodes = new TreeSet<>();

    public RamHotplug(MmCore mm, MemoryHotplug hotplug, org.vmemsim.mm.sparse.Sparse sparse, Iomem iomem,
                      String memmapOnMemoryParam) {
        this.mm = mm;
        this.g = mm.g;
        this.p = g.profile;
        this.hotplug = hotplug;
        this.iomem = iomem;
        this.mom = new MemmapOnMemory(g, memmapOnMemoryParam);
        this.online = new OnlinePages(mm, sparse, iomem);
        this.blocks = new MemoryBlocks(mm, sparse, online);
        this.altmaps = new MhpAltmaps(mm, hotplug, blocks, mom);
    }

    /** Boot: zone ranges of boot RAM, online nodes, boot memory blocks (memory_dev_init). */
    public void bootInit() {
        for (var r : mm.memblock.memory()) {
            online.bootZoneRange(r.nid(), r.base() >>> g.pageShift, r.end() >>> g.pageShift);
            onlineNodes.add(r.nid());
        }
        blocks.memoryDevInit();
    }

    public TreeSet<Integer> onlineNodes() {
        return new TreeSet<>(onlineNodes);
    }

    /** @kernel mm/memory_hotplug.c: check_hotplug_memory_range */
    public int checkHotplugMemoryRange(long start, long size) {
        long bs = blocks.memoryBlockSizeBytes();
        if (size == 0 || Long.remainderUnsigned(start, bs) != 0 || Long.remainderUnsigned(size, bs) != 0) {
            String msg = String.format("Block size [%#x] unaligned hotplug range: start %#x, size %#x", bs, start, size);
            mm.log.err("check_hotplug_memory_range", msg);
            return mm.log.fail(Errno.EINVAL, "check_hotplug_memory_range", msg);
        }
        return 0;
    }

    /** Result of {@link #registerMemoryResource}: the resource, or an errno. */
    public record Registered(Iomem.Resource res, int err) {}

    /**
     * Requests {@code [start, start + size)} busy as System RAM in iomem (driver-managed unless the
     * name is plain "System RAM"). v5.12+: the range must be pluggable and mappable (-E2BIG); any
     * overlap with a busy resource is -EEXIST.
     *
     * @kernel mm/memory_hotplug.c: register_memory_resource
     */
    public Registered registerMemoryResource(long start, long size, String name) {
        long flags = Iomem.IORESOURCE_SYSTEM_RAM | Iomem.IORESOURCE_BUSY;
        if (!name.equals("System RAM")) {
            flags |= Iomem.IORESOURCE_SYSRAM_DRIVER_MANAGED;
        }
        if (p.linearRangeCheck() == KernelProfile.LinearRangeCheck.MAPPABLE_RANGE
                && !hotplug.mhpRangeAllowed(start, size, true)) {
            return new Registered(null, mm.log.fail(Errno.E2BIG, "register_memory_resource", String.format(
                    "[%#x-%#x] is outside the hot-pluggable range", start, start + size - 1)));
        }
        Iomem.Resource res = iomem.requestRegion(start, size, name, flags);
        if (res == null) {
            return new Registered(null, mm.log.fail(Errno.EEXIST, "register_memory_resource", String.format(
                    "Unable to reserve System RAM region: %016x->%016x", start, start + size)));
        }
        return new Registered(res, 0);
    }

    /** @kernel mm/memory_hotplug.c: release_memory_resource */
    public void releaseMemoryResource(Iomem.Resource res) {
        iomem.releaseResource(res);
    }

    /** Returns 1 when the node was offline (a new node), 0 when online, or -ENOMEM. @kernel mm/memory_hotplug.c: __try_online_node */
    private int tryOnlineNode(int nid, long[] pgdatSlab) {
        if (onlineNodes.contains(nid)) {
            return 0;
        }
        if (p.ordinal100 < 601) { // before v6.0 the pgdat of a new node is allocated here
            long id = mm.slab.kzalloc(PGDAT_BYTES, "hotadd_new_pgdat");
            if (id == -1) {
                return mm.log.fail(Errno.ENOMEM, "__try_online_node", "Cannot online node " + nid + " due to NULL pgdat");
            }
            pgdatSlab[0] = id;
        }
        return 1;
    }

    /**
     * Adds a registered System RAM resource: memblock, node, linear map + sections (with a
     * self-hosted memmap when asked and supported), memory block devices (offline). On failure
     * everything is undone except the kernel's own leaks (L4 after v6.0: nothing; H7 partial
     * sections).
     *
     * @kernel mm/memory_hotplug.c: add_memory_resource
     */
    public int addMemoryResource(int nid, Iomem.Resource res, int mhpFlags) {
        String noHotplug = org.vmemsim.arch.ArchFeatures.memoryHotplugUnavailable(g.arch, p);
        if (noHotplug != null) {
            // no add_memory at all: vmemsim answers the request with -EOPNOTSUPP
            return mm.log.fail(Errno.EOPNOTSUPP, "add_memory_resource", noHotplug);
        }
        long start = res.start;
        long size = res.size();
        int ret = checkHotplugMemoryRange(start, size);
        if (ret != 0) {
            return ret;
        }
        if (nid < 0 || nid >= MAX_NUMNODES) {
            mm.log.warn("add_memory_resource", "node " + nid + " was absent from the node_possible_map");
            return mm.log.fail(Errno.EINVAL, "add_memory_resource", "node " + nid + " is not possible");
        }
        mm.memblock.memblockAddNode(start, size, nid);
        long[] pgdatSlab = {-1};
        ret = tryOnlineNode(nid, pgdatSlab);
        if (ret < 0) {
            mm.memblock.memblockRemove(start, size);
            return ret;
        }
        boolean newNode = ret == 1;
        ret = addSectionsAndBlocks(nid, start, size, mhpFlags);
        if (ret != 0) {
            if (pgdatSlab[0] != -1 && p.ordinal100 < 601) {
                mm.slab.kfree(pgdatSlab[0]); // E5.9 rollback_node_hotadd
            }
            mm.memblock.memblockRemove(start, size);
            return ret;
        }
        if (newNode) {
            onlineNodes.add(nid); // node_set_online + __register_one_node
        }
        return 0;
    }

    /** Step 5 of add_memory_resource: arch_add_memory and the block devices, per profile. */
    private int addSectionsAndBlocks(int nid, long start, long size, int mhpFlags) {
        boolean wantMom = (mhpFlags & MHP_MEMMAP_ON_MEMORY) != 0;
        if (wantMom && mom.flavour() == KernelProfile.MemmapOnMemory.PER_BLOCK && mom.mhpSupportsMemmapOnMemory()) {
            return altmaps.createAltmapsAndMemoryBlocks(nid, start, size, mhpFlags);
        }
        VmemAltmap altmap = null; // 6.1: one altmap over the single block, kept only as nr_vmemmap_pages
        if (wantMom && mom.flavour() == KernelProfile.MemmapOnMemory.SINGLE_BLOCK) {
            if (!mom.mhpSupportsMemmapOnMemory(size)) {
                return mm.log.fail(Errno.EINVAL, "add_memory_resource", String.format(
                        "MHP_MEMMAP_ON_MEMORY for %#x bytes: memmap_on_memory=%s supports only one %#x-byte block",
                        size, mom.mode().label, g.memoryBlockSize));
            }
            long base = start >>> g.pageShift;
            altmap = new VmemAltmap("mhp_altmap", base, base + (size >>> g.pageShift) - 1, 0, size >>> g.pageShift);
        }
        int ret = hotplug.arch().archAddMemory(nid, start, size, MhpParams.kernel(altmap));
        if (ret < 0) {
            return ret;
        }
        ret = blocks.createMemoryBlockDevices(start, size, null, altmap == null ? 0 : altmap.alloc, nid);
        if (ret != 0) {
            hotplug.arch().archRemoveMemory(start, size, altmap);
        }
        return ret;
    }

    /** @kernel mm/memory_hotplug.c: __add_memory */
    public int addMemoryInternal(int nid, long start, long size, int mhpFlags) {
        Registered r = registerMemoryResource(start, size, "System RAM");
        if (r.err() != 0) {
            return r.err();
        }
        int ret = addMemoryResource(nid, r.res(), mhpFlags);
        if (ret < 0) {
            releaseMemoryResource(r.res());
        }
        return ret;
    }

    /** @kernel mm/memory_hotplug.c: add_memory */
    public int addMemory(int nid, long start, long size, int mhpFlags) {
        return addMemoryInternal(nid, start, size, mhpFlags);
    }

    /**
     * Adds driver-managed RAM whose iomem resource is named "System RAM ($DRIVER)".
     *
     * @kernel mm/memory_hotplug.c: add_memory_driver_managed
     */
    public int addMemoryDriverManaged(int nid, long start, long size, String resourceName, int mhpFlags) {
        if (resourceName == null || !resourceName.startsWith("System RAM (") || !resourceName.endsWith(")")) {
            return mm.log.fail(Errno.EINVAL, "add_memory_driver_managed",
                    "resource name '" + resourceName + "' is not of the form \"System RAM ($DRIVER)\"");
        }
        Registered r = registerMemoryResource(start, size, resourceName);
        if (r.err() != 0) {
            return r.err();
        }
        int ret = addMemoryResource(nid, r.res(), mhpFlags);
        if (ret < 0) {
            releaseMemoryResource(r.res());
        }
        return ret;
    }

    /**
     * Removes block-aligned, offline memory: -EBUSY while any block is online; memmap_on_memory
     * ranges must be removed as they were added (6.1: one block; v6.6+: all blocks or none with
     * altmaps, else WARN and -EINVAL). A misaligned range is a BUG.
     *
     * @kernel mm/memory_hotplug.c: try_remove_memory
     */
    public int tryRemoveMemory(long start, long size) {
        if (checkHotplugMemoryRange(start, size) != 0) {
            throw new KernelBug("try_remove_memory: BUG_ON(check_hotplug_memory_range(" + Long.toHexString(start) + ", "
                    + Long.toHexString(size) + "))");
        }
        int nid = -1;
        List<MemoryBlock> mems = blocks.walkMemoryBlocks(start, size);
        for (MemoryBlock mem : mems) {
            nid = mem.nid;
            if (mem.state != MemoryBlock.State.OFFLINE) {
                long b = blocks.startPhys(mem);
                String msg = String.format("removing memory fails, because memory [0x%016x-0x%016x] is onlined", b,
                        b + blocks.memoryBlockSizeBytes() - 1);
                mm.log.warning("try_remove_memory", msg);
                return mm.log.fail(Errno.EBUSY, "try_remove_memory", msg);
            }
        }
        switch (mom.flavour()) {
            case SINGLE_BLOCK -> {
                VmemAltmap altmap = null;
                if (mom.mhpMemmapOnMemory()) {
                    long nrVmemmap = 0;
                    for (MemoryBlock mem : mems) {
                        if (mem.nrVmemmapPages != 0) {
                            nrVmemmap = mem.nrVmemmapPages;
                            break;
                        }
                    }
                    if (nrVmemmap != 0) {
                        if (size != blocks.memoryBlockSizeBytes()) {
                            String msg = String.format("Refuse to remove %#x - %#x,wrong granularity", start, start + size);
                            mm.log.warning("try_remove_memory", msg);
                            return mm.log.fail(Errno.EINVAL, "try_remove_memory", msg);
                        }
                        altmap = new VmemAltmap("mhp_altmap", 0, 0, 0, 0);
                        altmap.alloc = nrVmemmap; // lets the free path count back down to 0
                    }
                }
                blocks.removeMemoryBlockDevices(start, size);
                hotplug.arch().archRemoveMemory(start, size, altmap);
            }
            case PER_BLOCK -> {
                int rc = altmaps.memoryBlocksHaveAltmaps(mems, size);
                if (rc < 0) {
                    return rc;
                } else if (rc == 0) {
                    blocks.removeMemoryBlockDevices(start, size);
                    hotplug.arch().archRemoveMemory(start, size, null);
                } else {
                    altmaps.removeMemoryBlocksAndAltmaps(start, size);
                }
            }
            default -> {
                blocks.removeMemoryBlockDevices(start, size);
                hotplug.arch().archRemoveMemory(start, size, null);
            }
        }
        if (p.ordinal100 < 612) {
            mm.memblock.memblockPhysFree(start, size);
        }
        mm.memblock.memblockRemove(start, size);
        iomem.releaseMemRegionAdjustable(start, size);
        if (nid != -1) {
            tryOfflineNode(nid);
        }
        return 0;
    }

    /** Offlines a hot-added node that spans nothing and has no blocks (its pgdat is kept). @kernel mm/memory_hotplug.c: try_offline_node */
    private void tryOfflineNode(int nid) {
        if (mm.buddy.nodeIds().contains(nid)) {
            for (var z : mm.buddy.zones()) {
                if (z.nid == nid && !z.spanEmpty()) {
                    return;
                }
            }
        }
        for (MemoryBlock mem : blocks.blocks()) {
            if (mem.nid == nid) {
                return;
            }
        }
        for (var r : mm.memblock.memory()) {
            if (r.nid() == nid) {
                return; // boot nodes have CPUs (check_cpu_on_node)
            }
        }
        onlineNodes.remove(nid);
    }

    /** @kernel mm/memory_hotplug.c: remove_memory */
    public int removeMemory(long start, long size) {
        return tryRemoveMemory(start, size);
    }

    /**
     * Offlines every block of the range, then removes it; when an offline fails, the blocks
     * offlined so far are onlined again to their previous zone.
     *
     * @kernel mm/memory_hotplug.c: offline_and_remove_memory
     */
    public int offlineAndRemoveMemory(long start, long size) {
        long bs = blocks.memoryBlockSizeBytes();
        if (size == 0 || Long.remainderUnsigned(start, bs) != 0 || Long.remainderUnsigned(size, bs) != 0) {
            return mm.log.fail(Errno.EINVAL, "offline_and_remove_memory",
                    String.format("range %#x + %#x is not aligned to the %#x-byte memory block", start, size, bs));
        }
        List<MemoryBlock> mems = blocks.walkMemoryBlocks(start, size);
        MemoryBlock.OnlineType[] types = new MemoryBlock.OnlineType[mems.size()];
        int rc = 0;
        for (int i = 0; i < mems.size(); i++) {
            MemoryBlock mem = mems.get(i);
            types[i] = MemoryBlock.OnlineType.MMOP_OFFLINE;
            if (mem.state == MemoryBlock.State.OFFLINE) {
                continue;
            }
            MemoryBlock.OnlineType was = mem.zone == org.vmemsim.mm.alloc.ZoneType.MOVABLE
                    ? MemoryBlock.OnlineType.MMOP_ONLINE_MOVABLE : MemoryBlock.OnlineType.MMOP_ONLINE_KERNEL;
            rc = blocks.deviceOffline(mem);
            if (rc < 0) {
                break;
            }
            types[i] = was;
        }
        if (rc == 0) {
            rc = tryRemoveMemory(start, size);
        }
        if (rc != 0) {
            String why = mm.log.lastError();
            String fn = mm.log.lastErrorFunction();
            for (int i = 0; i < mems.size(); i++) {
                if (types[i] != MemoryBlock.OnlineType.MMOP_OFFLINE && blocks.deviceOnline(mems.get(i), types[i]) < 0) {
                    mm.log.warning("try_reonline_memory_block", "Failed to re-online memory: " + mm.log.lastError());
                }
            }
            mm.log.fail(Errno.of(rc), fn, why);
        }
        return rc;
    }
}
