package org.vmemsim.drivers.dax;

import java.util.Map;
import java.util.TreeMap;
import org.vmemsim.arch.KernelProfile;
import org.vmemsim.mm.hotplug.RamHotplug;
import org.vmemsim.mm.pgtable.MmCore;
import org.vmemsim.mm.phys.Iomem;
import org.vmemsim.util.Errno;

/**
 * The dax kmem driver ({@code drivers/dax/kmem.c}): turns a device-dax range into driver-managed
 * System RAM ("System RAM (kmem)"), trimmed to whole memory blocks, and back. The device's range is
 * first claimed in iomem under the device name with System RAM flags (not busy), and the RAM
 * resource is added below it. With v6.8+ the device's {@code memmap_on_memory} switch asks for a
 * self-hosted memmap ({@link KernelProfile#daxKmemMemmapOnMemory()}); 6.1 never does.
 *
 * <p>Left out: several ranges per device, memory groups, the abstract-distance / memory-tier
 * registration. The blocks are added offline; onlining is the caller's (daxctl's) job.
 */
public final class DaxKmem {
    /** The resource name kmem gives its RAM. */
    public static final String KMEM_NAME = "System RAM (kmem)";

    /** A device bound to kmem: its block-trimmed range {@code [start, end]} and its iomem claim. */
    public record Bound(DevDax dev, long start, long end, Iomem.Resource res) {
        public long size() {
            return end - start + 1;
        }
    }

    private final MmCore mm;
    private final KernelProfile p;
    private final RamHotplug hp;
    private final Iomem iomem;
    private final TreeMap<String, Bound> bound = new TreeMap<>();

    public DaxKmem(MmCore mm, RamHotplug hp, Iomem iomem) {
        this.mm = mm;
        this.p = mm.g.profile;
        this.hp = hp;
        this.iomem = iomem;
    }

    /**
     * The device range trimmed inward to memory-block boundaries, {start, end} with an inclusive
     * end; {@code start > end} (unsigned) when nothing is left.
     *
     * @kernel drivers/dax/kmem.c: dax_kmem_range
     */
    public long[] daxKmemRange(DevDax dev) {
        long bs = hp.blocks.memoryBlockSizeBytes();
        long start = (dev.start() + bs - 1) & -bs;
        long end = ((dev.end() + 1) & -bs) - 1;
        return new long[] {start, end};
    }

    /**
     * Binds a device: claim its trimmed range, then {@code add_memory_driver_managed}. On failure the
     * claim is dropped and nothing remains.
     *
     * @kernel drivers/dax/kmem.c: dev_dax_kmem_probe
     */
    public int devDaxKmemProbe(DevDax dev) {
        if (bound.containsKey(dev.name())) {
            return mm.log.fail(Errno.EBUSY, "dev_dax_kmem_probe", dev.name() + " is already bound to kmem");
        }
        if (dev.targetNode() < 0) {
            mm.log.warning("dev_dax_kmem_probe", dev.name() + ": rejecting DAX region with invalid node: " + dev.targetNode());
            return mm.log.fail(Errno.EINVAL, "dev_dax_kmem_probe",
                    dev.name() + ": rejecting DAX region with invalid node: " + dev.targetNode());
        }
        long[] r = daxKmemRange(dev);
        if (Long.compareUnsigned(r[0], r[1]) >= 0) {
            mm.log.info("dev_dax_kmem_probe", String.format("%s: mapping0: %#x-%#x too small after alignment",
                    dev.name(), dev.start(), dev.end()));
            mm.log.warning("dev_dax_kmem_probe", dev.name() + ": rejecting DAX region without any memory after alignment");
            return mm.log.fail(Errno.EINVAL, "dev_dax_kmem_probe", String.format(
                    "%s: [%#x-%#x] holds no whole %#x-byte memory block", dev.name(), dev.start(), dev.end(),
                    hp.blocks.memoryBlockSizeBytes()));
        }
        long len = r[1] - r[0] + 1;
        Iomem.Resource res = iomem.requestMemRegion(r[0], len, dev.name());
        if (res == null) {
            String msg = String.format("%s: mapping0: %#x-%#x could not reserve region", dev.name(), r[0], r[1]);
            mm.log.warning("dev_dax_kmem_probe", msg);
            return mm.log.fail(Errno.EBUSY, "dev_dax_kmem_probe", msg);
        }
        res.flags = Iomem.IORESOURCE_SYSTEM_RAM; // not busy: add_memory puts its resource below
        int flags = RamHotplug.MHP_NID_IS_MGID;
        if (dev.memmapOnMemory() && p.daxKmemMemmapOnMemory()) {
            flags |= RamHotplug.MHP_MEMMAP_ON_MEMORY;
        }
        int rc = hp.addMemoryDriverManaged(dev.targetNode(), r[0], len, KMEM_NAME, flags);
        if (rc != 0) {
            String why = mm.log.lastError();
            String fn = mm.log.lastErrorFunction();
            mm.log.warning("dev_dax_kmem_probe", String.format("%s: mapping0: %#x-%#x memory add failed", dev.name(), r[0], r[1]));
            iomem.removeResource(res);
            mm.log.fail(Errno.of(rc), fn, why);
            return rc;
        }
        bound.put(dev.name(), new Bound(dev, r[0], r[1], res));
        return 0;
    }

    /**
     * Unbinds a device: {@code remove_memory} of its range (every block must be offline), then the
     * claim is released. When removal fails the kernel still unbinds the device and the memory
     * stays added until reboot; vmemsim returns the error and keeps the device bound, so the caller
     * can offline the blocks and retry.
     *
     * @kernel drivers/dax/kmem.c: dev_dax_kmem_remove
     */
    public int devDaxKmemRemove(String name) {
        Bound b = bound.get(name);
        if (b == null) {
            return mm.log.fail(Errno.ENODEV, "dev_dax_kmem_remove", name + " is not bound to kmem");
        }
        int rc = hp.removeMemory(b.start(), b.size());
        if (rc != 0) {
            mm.log.err("dev_dax_kmem_remove", String.format("%s: mapping0: %#x-%#x cannot be hotremoved until the next reboot",
                    name, b.start(), b.end()));
            return rc;
        }
        iomem.removeResource(b.res());
        bound.remove(name);
        return 0;
    }

    public Map<String, Bound> bound() {
        return new TreeMap<>(bound);
    }
}
