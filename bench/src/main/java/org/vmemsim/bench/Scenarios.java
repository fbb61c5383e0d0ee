package org.vmemsim.bench;

import org.vmemsim.arch.Granule;
import org.vmemsim.arch.KernelProfile;
import org.vmemsim.kernel.Kernel;
import org.vmemsim.kernel.MachineSpec;
import org.vmemsim.kernel.RamRange;
import org.vmemsim.mm.memremap.MemoryType;
import org.vmemsim.util.Sz;

/**
 * The machines and actions the benchmarks time, in one place. The same scenarios are run by
 * {@code vmemsim bench} (cli module, {@code BenchScenarios}), which times them without JMH.
 *
 * <pre>
 * boot:    RAM [0x4000_0000 .. +1 TiB)                      arm64 4K VA48 mainline
 * hotplug: RAM [0x4000_0000 .. +4 GiB)   device [1 TiB .. 1 TiB + 64 TiB) ZONE_DEVICE, altmap
 *          altmap {base_pfn = first device pfn, reserve 0, free = autoAltmapFree(nr_pages, 0)}
 * </pre>
 */
public final class Scenarios {
    /** Start of the boot RAM of every machine (arm64 virt boards put DRAM at 1 GiB). */
    public static final long RAM_BASE = 0x4000_0000L;
    /** Where the device range starts: 1 TiB, 1 GiB aligned, above RAM and inside the 48-bit linear map. */
    public static final long DEVICE_BASE = 0x100_0000_0000L;
    public static final long TIB = 1L << 40;

    private Scenarios() {}

    /** arm64, the given granule, default VA bits, mainline, one RAM range at {@link #RAM_BASE}. */
    public static MachineSpec machine(Granule granule, long ramBytes, boolean rodataFull) {
        MachineSpec s = new MachineSpec();
        s.granule = granule;
        s.profile = KernelProfile.MAINLINE;
        s.rodataFull = rodataFull;
        s.ram.add(new RamRange(RAM_BASE, ramBytes, 0));
        s.validate(); // throws when the RAM does not fit the linear map
        return s;
    }

    /** The 4 GiB machine the hot-plug scenarios run on (rodata_full off: block-mapped linear map). */
    public static Kernel hotplugMachine(Granule granule) {
        return Kernel.boot(machine(granule, Sz.SZ_4G, false));
    }

    /** memremap_pages of {@code size} bytes of ZONE_DEVICE memory at {@link #DEVICE_BASE} with a fitted altmap. */
    public static void hotAdd(Kernel k, long size) {
        long nrPages = size >>> k.g.pageShift;
        k.check(k.memremap("bench-dev", MemoryType.GENERIC, DEVICE_BASE, size, 0, k.autoAltmapFree(nrPages, 0), 0));
    }

    /** memunmap_pages of the range added by {@link #hotAdd}. */
    public static void hotRemove(Kernel k) {
        k.check(k.memunmap("bench-dev"));
    }

    /** Vmemmap leaf entries that map the memmap of {@code size} bytes of device memory. */
    public static long vmemmapEntries(Kernel k, long size) {
        long memmapBytes = (size >>> k.g.pageShift) * 64;
        long leaf = k.g.granule == Granule.G4K ? k.g.pmdSize : k.g.pageSize; // PMD blocks on 4K, PTEs otherwise
        return memmapBytes / leaf;
    }
}
