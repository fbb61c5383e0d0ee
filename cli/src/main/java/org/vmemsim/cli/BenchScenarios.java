package org.vmemsim.cli;

import java.util.List;
import org.vmemsim.arch.Granule;
import org.vmemsim.arch.KernelProfile;
import org.vmemsim.kernel.Kernel;
import org.vmemsim.kernel.MachineSpec;
import org.vmemsim.kernel.RamRange;
import org.vmemsim.mm.memremap.MemoryType;
import org.vmemsim.util.Sz;

/**
 * The scenarios {@code vmemsim bench} times: the same machines and actions as the JMH benchmarks
 * of the bench module ({@code org.vmemsim.bench.Scenarios}), full size or, with {@code --quick},
 * smaller. What runs is fixed by the arguments; only the timings vary.
 *
 * <pre>
 * boot:      RAM [0x4000_0000 .. +1 TiB) (quick: 64 GiB), arm64 4K VA48 mainline, rodata_full 1 and 0
 * hotplug:   4 GiB machine (rodata_full 0), then memremap_pages + memunmap_pages of 64 TiB (quick: 4 TiB)
 *            ZONE_DEVICE at 1 TiB with altmap {reserve 0, free = autoAltmapFree(nr_pages, 0)}; 4K and 64K
 * per entry: hot-add of a range whose memmap needs 2^17 vmemmap leaf entries (quick: 2^13),
 *            against a bare loop writing as many descriptors into long[] tables of the same geometry
 * </pre>
 */
final class BenchScenarios {
    static final long RAM_BASE = 0x4000_0000L;
    static final long DEVICE_BASE = 0x100_0000_0000L;
    static final long TIB = 1L << 40;
    static final long HEAP_BUDGET_BYTES = 512L << 20;

    private BenchScenarios() {}

    /** What a scenario is timed against. */
    enum Kind {
        BOOT, HOTPLUG, PER_ENTRY
    }

    /** One timed scenario: {@link #prepare} is not timed, {@link #run} is. */
    interface Scenario {
        String name();

        Kind kind();

        /** Untimed set-up, e.g. the boot of the machine a hot-plug runs on. */
        Object prepare();

        /** The timed work; returns what it built, which stays reachable until the run is over. */
        Object run(Object prepared);

        /** Untimed: a fresh state at the scenario's fullest point (for the live-heap probe). */
        Object fullest();
    }

    static MachineSpec machine(Granule granule, long ramBytes, boolean rodataFull) {
        MachineSpec s = new MachineSpec();
        s.granule = granule;
        s.profile = KernelProfile.MAINLINE;
        s.rodataFull = rodataFull;
        s.ram.add(new RamRange(RAM_BASE, ramBytes, 0));
        s.validate();
        return s;
    }

    static Kernel hotplugMachine(Granule granule) {
        return Kernel.boot(machine(granule, Sz.SZ_4G, false));
    }

    static void hotAdd(Kernel k, long size) {
        long nrPages = size >>> k.g.pageShift;
        k.check(k.memremap("bench-dev", MemoryType.GENERIC, DEVICE_BASE, size, 0, k.autoAltmapFree(nrPages, 0), 0));
    }

    static void hotRemove(Kernel k) {
        k.check(k.memunmap("bench-dev"));
    }

    /** Boot of a machine with {@code ramBytes} of RAM. */
    static Scenario boot(long ramBytes, boolean rodataFull) {
        MachineSpec spec = machine(Granule.G4K, ramBytes, rodataFull);
        String name = "boot " + Sz.human(ramBytes) + " 4K rodata_full=" + (rodataFull ? 1 : 0);
        return new Scenario() {
            public String name() {
                return name;
            }

            public Kind kind() {
                return Kind.BOOT;
            }

            public Object prepare() {
                return spec;
            }

            public Object run(Object prepared) {
                return Kernel.boot((MachineSpec) prepared);
            }

            public Object fullest() {
                return Kernel.boot(spec);
            }
        };
    }

    /** Hot-add then hot-remove of {@code size} bytes of device memory with an altmap. */
    static Scenario hotplug(Granule granule, long size) {
        String name = "hotplug " + Sz.human(size) + " " + granule.label() + " add+remove";
        return new Scenario() {
            public String name() {
                return name;
            }

            public Kind kind() {
                return Kind.HOTPLUG;
            }

            public Object prepare() {
                return hotplugMachine(granule);
            }

            public Object run(Object prepared) {
                Kernel k = (Kernel) prepared;
                hotAdd(k, size);
                hotRemove(k);
                return k;
            }

            public Object fullest() {
                Kernel k = hotplugMachine(granule);
                hotAdd(k, size);
                return k;
            }
        };
    }

    /** The budgeted scenarios, in the order they run. */
    static List<Scenario> budgeted(boolean quick) {
        long ram = quick ? 64L << 30 : TIB;
        long dev = quick ? 4 * TIB : 64 * TIB;
        return List.of(boot(ram, true), boot(ram, false), hotplug(Granule.G4K, dev), hotplug(Granule.G64K, dev));
    }

    /** Vmemmap leaf entries per-entry runs create: 2^17, quick 2^13. */
    static int perEntryCount(boolean quick) {
        return quick ? 1 << 13 : 1 << 17;
    }

    /** Device bytes whose memmap needs {@code entries} leaf entries: 4K PMD blocks (2 MiB) or 64K PTEs. */
    static long perEntryDeviceSize(Granule granule, int entries) {
        long leafBytes = granule == Granule.G4K ? 1L << 21 : granule.pageSize();
        long pagesPerLeaf = leafBytes / 64; // struct pages per leaf
        return entries * pagesPerLeaf * granule.pageSize();
    }

    /** The hot-add whose cost is divided by its vmemmap entries. */
    static Scenario perEntryModel(Granule granule, int entries) {
        long size = perEntryDeviceSize(granule, entries);
        String name = "per-entry " + granule.label() + " model (" + entries + " entries)";
        return new Scenario() {
            public String name() {
                return name;
            }

            public Kind kind() {
                return Kind.PER_ENTRY;
            }

            public Object prepare() {
                return hotplugMachine(granule);
            }

            public Object run(Object prepared) {
                hotAdd((Kernel) prepared, size);
                return prepared;
            }

            public Object fullest() {
                Kernel k = hotplugMachine(granule);
                hotAdd(k, size);
                return k;
            }
        };
    }

    /**
     * The floor: {@code entries} valid leaf descriptors written into fresh {@code long[]} tables of
     * the granule's geometry (512 entries for 4K PMD tables, 8192 for 64K PTE tables).
     */
    static long[][] bareLoop(Granule granule, int entries) {
        int perTable = (int) (granule.pageSize() / 8);
        long step = granule == Granule.G4K ? 1L << 21 : granule.pageSize();
        long attrs = granule == Granule.G4K ? 0x0060_0000_0000_0701L : 0x0060_0000_0000_0703L;
        long[][] tables = new long[Math.max(1, entries / perTable)][];
        long pa = DEVICE_BASE;
        int left = entries;
        for (int t = 0; t < tables.length; t++) {
            long[] table = new long[perTable];
            for (int i = 0; i < perTable && left > 0; i++, left--) {
                table[i] = pa | attrs;
                pa += step;
            }
            tables[t] = table;
        }
        return tables;
    }
}
