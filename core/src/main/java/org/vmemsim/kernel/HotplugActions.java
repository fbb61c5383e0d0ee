package org.vmemsim.kernel;

import java.util.ArrayList;
import java.util.List;
import org.vmemsim.drivers.dax.DaxKmem;
import org.vmemsim.drivers.dax.DevDax;
import org.vmemsim.mm.alloc.ZoneType;
import org.vmemsim.mm.hotplug.MemoryBlock;
import org.vmemsim.mm.hotplug.MemoryBlocks;
import org.vmemsim.mm.hotplug.RamHotplug;
import org.vmemsim.mm.phys.PhysRange;
import org.vmemsim.util.Errno;
import org.vmemsim.util.U64;

/**
 * RAM hot-plug actions on one machine, each entering the kernel where a real system does:
 * a DIMM hot-add as the ACPI memory driver does it, {@code echo online_movable > memoryN/state},
 * {@code daxctl reconfigure-device --mode=system-ram}, and back. Each returns 0 or a negative
 * errno; on failure {@code k.log.lastError()} names the value and the model is as before (except
 * the kernel's own documented leaks: a new node's pgdat, H7 partial sections).
 *
 * <p>Actions over several blocks undo the blocks already changed when one fails (user space would
 * leave them half done; vmemsim keeps actions atomic so a failure can be compared with the state
 * before it).
 */
public final class HotplugActions {
    private final Kernel k;

    HotplugActions(Kernel k) {
        this.k = k;
    }

    private MemoryBlocks blocks() {
        return k.ramHotplug.blocks;
    }

    /**
     * Plugs a DIMM of {@code size} bytes at {@code start} on node {@code nid} and adds it as the
     * ACPI memory driver does: with {@code memmapOnMemory} it asks for MHP_MEMMAP_ON_MEMORY only when
     * {@code mhp_supports_memmap_on_memory} agrees (6.1: a single block; arm64 16K/64K: never), so an
     * unsupported request silently falls back to a memmap in RAM. The new blocks stay offline.
     *
     * @kernel drivers/acpi/acpi_memhotplug.c: acpi_memory_enable_device
     */
    public int addMemory(long start, long size, int nid, boolean memmapOnMemory) {
        k.log.clearLastError();
        if (size == 0 || U64.endOverflows(start, size)) {
            return k.log.fail(Errno.EINVAL, "add_memory", String.format("range %#x + %#x is empty or wraps", start, size));
        }
        PhysRange other = k.mm.phys.findOverlap(start, start + size);
        if (other != null && other.kind() == PhysRange.Kind.DEVICE) {
            return k.log.fail(Errno.EINVAL, "add_memory", String.format(
                    "a DIMM at %#x + %#x would overlap device memory %s [%#x, %#x)", start, size, other.name(),
                    other.start(), other.end()));
        }
        PhysRange dimm = null;
        if (other == null) {
            dimm = new PhysRange(start, start + size, nid, PhysRange.Kind.RAM, String.format("dimm@%#x", start));
            k.mm.phys.add(dimm);
        }
        int flags = memmapOnMemory && k.ramHotplug.mom.supports(size) ? RamHotplug.MHP_MEMMAP_ON_MEMORY : RamHotplug.MHP_NONE;
        int ret = k.ramHotplug.addMemory(nid, start, size, flags);
        if (ret != 0 && dimm != null) {
            k.mm.phys.remove(dimm);
        }
        return ret;
    }

    /**
     * Removes offline, block-aligned memory ({@code remove_memory}) and unplugs the DIMM. A
     * misaligned range is refused with -EINVAL here, before {@code try_remove_memory} would BUG.
     */
    public int removeMemory(long start, long size) {
        k.log.clearLastError();
        int ret = k.ramHotplug.checkHotplugMemoryRange(start, size);
        if (ret == 0) {
            ret = k.ramHotplug.removeMemory(start, size);
        }
        if (ret == 0) {
            unplug(start, size);
        }
        return ret;
    }

    /** Offlines every block of the range and removes it ({@code offline_and_remove_memory}). */
    public int offlineAndRemoveMemory(long start, long size) {
        k.log.clearLastError();
        int ret = k.ramHotplug.offlineAndRemoveMemory(start, size);
        if (ret == 0) {
            unplug(start, size);
        }
        return ret;
    }

    private void unplug(long start, long size) {
        PhysRange r = k.mm.phys.find(start);
        if (r != null && r.kind() == PhysRange.Kind.RAM && r.start() == start && r.end() == start + size
                && k.mm.memblock.nidOf(start) == -1) {
            k.mm.phys.remove(r);
        }
    }

    private static MemoryBlock.OnlineType typeFor(ZoneType zone) {
        if (zone == null) {
            return MemoryBlock.OnlineType.MMOP_ONLINE;
        }
        return zone == ZoneType.MOVABLE ? MemoryBlock.OnlineType.MMOP_ONLINE_MOVABLE : MemoryBlock.OnlineType.MMOP_ONLINE_KERNEL;
    }

    /**
     * {@code echo online_kernel|online_movable|online > memoryN/state} ({@code zone} NORMAL, MOVABLE
     * or null for the default zone).
     */
    public int online(long blockId, ZoneType zone) {
        k.log.clearLastError();
        if (zone == ZoneType.DEVICE) {
            return k.log.fail(Errno.EINVAL, "state_store", "memory cannot be onlined to ZONE_DEVICE");
        }
        MemoryBlock mem = blocks().findMemoryBlockById(blockId);
        if (mem == null) {
            return k.log.fail(Errno.ENODEV, "state_store", "no memory block memory" + blockId);
        }
        return blocks().deviceOnline(mem, typeFor(zone));
    }

    /** {@code echo offline > memoryN/state}. */
    public int offline(long blockId) {
        k.log.clearLastError();
        MemoryBlock mem = blocks().findMemoryBlockById(blockId);
        if (mem == null) {
            return k.log.fail(Errno.ENODEV, "state_store", "no memory block memory" + blockId);
        }
        return blocks().deviceOffline(mem);
    }

    /** Fills {@code out} with the blocks of a block-aligned range; 0, -EINVAL (misaligned) or -ENODEV (a block is missing). */
    private int rangeBlocks(long start, long size, List<MemoryBlock> out) {
        long bs = blocks().memoryBlockSizeBytes();
        if (size == 0 || Long.remainderUnsigned(start, bs) != 0 || Long.remainderUnsigned(size, bs) != 0) {
            return k.log.fail(Errno.EINVAL, "state_store", String.format(
                    "range %#x + %#x is not aligned to the %#x-byte memory block", start, size, bs));
        }
        List<MemoryBlock> mems = blocks().walkMemoryBlocks(start, size);
        if (mems.size() != Long.divideUnsigned(size, bs)) {
            return k.log.fail(Errno.ENODEV, "state_store", String.format("range %#x + %#x has %d memory blocks, not %d",
                    start, size, mems.size(), Long.divideUnsigned(size, bs)));
        }
        out.addAll(mems);
        return 0;
    }

    /** Onlines every offline block of the range to {@code zone}; all or nothing. */
    public int online(long start, long size, ZoneType zone) {
        k.log.clearLastError();
        List<MemoryBlock> mems = new ArrayList<>();
        int rc = rangeBlocks(start, size, mems);
        if (rc != 0) {
            return rc;
        }
        boolean[] onlined = new boolean[mems.size()];
        for (int i = 0; i < mems.size(); i++) {
            MemoryBlock mem = mems.get(i);
            if (mem.state == MemoryBlock.State.ONLINE) {
                continue;
            }
            int ret = online(mem.id, zone);
            onlined[i] = ret == 0;
            if (ret != 0) {
                String why = k.log.lastError();
                String fn = k.log.lastErrorFunction();
                for (int j = i - 1; j >= 0; j--) {
                    MemoryBlock done = mems.get(j);
                    if (onlined[j] && blocks().deviceOffline(done) != 0) {
                        k.log.warning("online", "cannot undo onlining memory" + done.id + ": " + k.log.lastError());
                    }
                }
                return k.log.fail(Errno.of(ret), fn, why);
            }
        }
        return 0;
    }

    /** Offlines every online block of the range; when one fails, the others are onlined again. */
    public int offline(long start, long size) {
        k.log.clearLastError();
        List<MemoryBlock> mems = new ArrayList<>();
        int rc = rangeBlocks(start, size, mems);
        if (rc != 0) {
            return rc;
        }
        ZoneType[] was = new ZoneType[mems.size()];
        for (int i = 0; i < mems.size(); i++) {
            MemoryBlock mem = mems.get(i);
            if (mem.state == MemoryBlock.State.OFFLINE) {
                continue;
            }
            ZoneType zone = mem.zone;
            int ret = blocks().deviceOffline(mem);
            if (ret != 0) {
                String why = k.log.lastError();
                String fn = k.log.lastErrorFunction();
                for (int j = i - 1; j >= 0; j--) {
                    if (was[j] != null && blocks().deviceOnline(mems.get(j), typeFor(was[j])) != 0) {
                        k.log.warning("offline", "cannot re-online memory" + mems.get(j).id + ": " + k.log.lastError());
                    }
                }
                return k.log.fail(Errno.of(ret), fn, why);
            }
            was[i] = zone;
        }
        return 0;
    }

    /**
     * {@code daxctl reconfigure-device --mode=system-ram}: binds a device-dax range of
     * {@code [start, start + size)} to kmem (trimmed to whole memory blocks, "System RAM (kmem)"),
     * with the device's memmap_on_memory switch, then onlines the blocks to {@code onlineZone}
     * (null: leave them offline). A live ZONE_DEVICE mapping of the range (device_dax still bound)
     * must be unmapped first; otherwise binding fails with -EBUSY and nothing changes.
     */
    public int daxKmem(String name, long start, long size, int nid, boolean memmapOnMemory, ZoneType onlineZone) {
        k.log.clearLastError();
        if (size == 0 || U64.endOverflows(start, size)) {
            return k.log.fail(Errno.EINVAL, "dev_dax_kmem_probe", String.format("range %#x + %#x is empty or wraps", start, size));
        }
        for (var pg : k.memremap.pgmaps().values()) {
            if (U64.overlaps(pg.rangeStart, pg.rangeEnd + 1, start, start + size)) {
                // the driver core refuses to bind kmem while device_dax holds the device (bind_store: -EBUSY)
                return k.log.fail(Errno.EBUSY, "bind_store", String.format(
                        "%s: [%#x-%#x] is still mapped as ZONE_DEVICE by %s; unbind device_dax (memunmap) first",
                        name, start, start + size - 1, pg.id));
            }
        }
        DevDax dev = new DevDax(name, start, size, nid, memmapOnMemory);
        long[] r = k.daxKmem.daxKmemRange(dev);
        PhysRange ram = null;
        if (U64.lt(r[0], r[1]) && k.mm.phys.findOverlap(r[0], r[1] + 1) == null) {
            ram = new PhysRange(r[0], r[1] + 1, nid, PhysRange.Kind.RAM, name);
            k.mm.phys.add(ram);
        }
        int ret = k.daxKmem.devDaxKmemProbe(dev);
        if (ret == 0 && onlineZone != null) {
            ret = online(r[0], r[1] - r[0] + 1, onlineZone);
            if (ret != 0) {
                String why = k.log.lastError();
                String fn = k.log.lastErrorFunction();
                k.daxKmem.devDaxKmemRemove(name);
                k.log.fail(Errno.of(ret), fn, why);
            }
        }
        if (ret != 0 && ram != null) {
            k.mm.phys.remove(ram);
        }
        return ret;
    }

    /** {@code daxctl reconfigure-device --mode=devdax}: offlines the kmem blocks, then unbinds kmem. */
    public int daxKmemRemove(String name) {
        k.log.clearLastError();
        DaxKmem.Bound b = k.daxKmem.bound().get(name);
        if (b == null) {
            return k.log.fail(Errno.ENODEV, "dev_dax_kmem_remove", name + " is not bound to kmem");
        }
        int ret = offline(b.start(), b.size());
        if (ret != 0) {
            return ret;
        }
        ret = k.daxKmem.devDaxKmemRemove(name);
        if (ret == 0) {
            PhysRange r = k.mm.phys.byName(name);
            if (r != null && r.kind() == PhysRange.Kind.RAM) {
                k.mm.phys.remove(r);
            }
        }
        return ret;
    }
}
