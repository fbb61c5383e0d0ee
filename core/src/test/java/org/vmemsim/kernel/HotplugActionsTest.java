package org.vmemsim.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vmemsim.util.Sz.SZ_128M;
import static org.vmemsim.util.Sz.SZ_1G;
import static org.vmemsim.util.Sz.SZ_256M;
import static org.vmemsim.util.Sz.SZ_2G;
import static org.vmemsim.util.Sz.SZ_2M;
import static org.vmemsim.util.Sz.SZ_1M;
import static org.vmemsim.util.Sz.SZ_4M;

import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.vmemsim.arch.Granule;
import org.vmemsim.arch.KernelProfile;
import org.vmemsim.mm.alloc.ZoneType;
import org.vmemsim.mm.hotplug.MemoryBlock;
import org.vmemsim.util.Errno;
import org.vmemsim.view.Accounting;
import org.vmemsim.view.IomemView;
import org.vmemsim.view.Meminfo;
import org.vmemsim.view.MemoryBlocksView;
import org.vmemsim.view.VmstatView;

/** RAM hot-plug actions on a whole machine: DIMMs, online/offline, dax kmem. */
class HotplugActionsTest {
    static final long HOT_BASE = 0x20_0000_0000L;

    static Kernel boot(Granule g, KernelProfile p, String mom) {
        MachineSpec s = MachineSpec.defaults();
        s.granule = g;
        s.profile = p;
        s.memmapOnMemory = mom;
        return Kernel.boot(s);
    }

    static long memTotalKb(Kernel k) {
        return (long) Meminfo.of(k).get("MemTotal_kB");
    }

    static long memmapPages(Kernel k) {
        return VmstatView.of(k).get("nr_memmap_pages");
    }

    static long acc(Kernel k, String key) {
        return (long) Accounting.of(k).get(key);
    }

    /**
     * The must-show: eight 128 MiB DIMMs with memmap_on_memory on arm64/4K host their own
     * 2 MiB memmap each (512 pages = 128 MiB / 4 KiB x 64 B / 4 KiB), online as 126 MiB of RAM each,
     * and after offline + remove RAM is back to the boot figure.
     */
    @Test
    void addMemory_eightDimmsMemmapOnMemory4k() {
        Kernel k = boot(Granule.G4K, KernelProfile.MAINLINE, "Y");
        HotplugActions a = k.hotplugActions;
        long total0 = k.mm.buddy.totalramPages();
        long free0 = k.mm.buddy.nrFreePages();
        long present0 = k.mm.buddy.presentPages();
        long memmap0 = memmapPages(k);
        long kb0 = memTotalKb(k);
        long altmapBytes0 = acc(k, "memmap_altmap_bytes");
        for (int i = 0; i < 8; i++) {
            assertThat(a.addMemory(HOT_BASE + i * SZ_128M, SZ_128M, 0, true)).as("DIMM %d", i).isZero();
        }
        for (MemoryBlock mem : k.ramHotplug.blocks.walkMemoryBlocks(HOT_BASE, SZ_1G)) {
            assertThat(mem.state).isEqualTo(MemoryBlock.State.OFFLINE);
            assertThat(mem.vmemmapPages()).isEqualTo(512);
            assertThat(mem.altmap.alloc).isEqualTo(512);
        }
        assertThat(memmapPages(k) - memmap0).isEqualTo(8 * 512);
        assertThat(MemoryBlocksView.vmemmapAccounting(k).get("memmap_on_memory_pages")).isEqualTo(8 * 512L);
        assertThat(acc(k, "memmap_altmap_bytes") - altmapBytes0).isEqualTo(8 * SZ_2M);
        assertThat(Accounting.altmaps(k)).hasSize(8);
        assertThat(k.mm.buddy.totalramPages()).isEqualTo(total0);

        assertThat(a.online(HOT_BASE, SZ_1G, ZoneType.MOVABLE)).isZero();
        assertThat(memTotalKb(k) - kb0).isEqualTo(8 * 126 * 1024L);
        assertThat(k.mm.buddy.presentPages() - present0).isEqualTo(8 * 32_768L);
        assertThat(k.mm.buddy.zone(0, ZoneType.MOVABLE).managed()).isEqualTo(8 * (32_768L - 512));
        assertThat(MemoryBlocksView.vmemmapAccounting(k).get("vmemmap_self_hosted_pages")).isEqualTo(8 * 512L);
        assertThat(MemoryBlocksView.lsmem(k)).contains("0x0000002000000000-0x000000203fffffff").contains("1024-1031");

        assertThat(a.offline(HOT_BASE, SZ_1G)).isZero();
        for (int i = 0; i < 8; i++) {
            assertThat(a.removeMemory(HOT_BASE + i * SZ_128M, SZ_128M)).isZero();
        }
        assertThat(k.mm.buddy.totalramPages()).isEqualTo(total0);
        assertThat(k.mm.buddy.nrFreePages()).isEqualTo(free0);
        assertThat(k.mm.buddy.presentPages()).isEqualTo(present0);
        assertThat(memTotalKb(k)).isEqualTo(kb0);
        assertThat(memmapPages(k)).isEqualTo(memmap0);
        assertThat(Accounting.altmaps(k)).isEmpty();
        assertThat(k.log.warnCount()).isZero(); // every altmap came back to alloc = 0
        assertThat(k.mm.phys.ranges()).hasSize(1);
    }

    /**
     * The same request on 16K: 512 KiB of memmap per block is not a multiple of the 32 MiB PMD, so
     * the driver does not ask for memmap_on_memory and the memmap (8 x 32 pages = 4 MiB) comes from RAM.
     */
    @Test
    void addMemory_eightDimms16kFallBackToRamMemmap() {
        Kernel k = boot(Granule.G16K, KernelProfile.MAINLINE, "Y");
        HotplugActions a = k.hotplugActions;
        long free0 = k.mm.buddy.nrFreePages();
        long memmap0 = memmapPages(k);
        long kb0 = memTotalKb(k);
        long ramMemmap0 = acc(k, "memmap_ram_bytes");
        for (int i = 0; i < 8; i++) {
            assertThat(a.addMemory(HOT_BASE + i * SZ_128M, SZ_128M, 0, true)).isZero();
        }
        for (MemoryBlock mem : k.ramHotplug.blocks.walkMemoryBlocks(HOT_BASE, SZ_1G)) {
            assertThat(mem.vmemmapPages()).isZero();
            assertThat(mem.altmap).isNull();
        }
        assertThat(memmapPages(k) - memmap0).isEqualTo(8 * 32);
        assertThat(acc(k, "memmap_ram_bytes") - ramMemmap0).isEqualTo(8 * 512 * 1024L);
        assertThat(acc(k, "memmap_altmap_bytes")).isZero();
        assertThat(a.online(HOT_BASE, SZ_1G, ZoneType.MOVABLE)).isZero();
        assertThat(memTotalKb(k) - kb0).isEqualTo(SZ_1G / 1024);
        assertThat(a.offline(HOT_BASE, SZ_1G)).isZero();
        for (int i = 0; i < 8; i++) {
            assertThat(a.removeMemory(HOT_BASE + i * SZ_128M, SZ_128M)).isZero();
        }
        assertThat(k.mm.buddy.nrFreePages()).isEqualTo(free0);
        assertThat(memTotalKb(k)).isEqualTo(kb0);
    }

    /** The x86 oracle on 6.1 (generic rule): a 128 MiB DIMM self-hosts (MemTotal +126 MiB, present +128 MiB); 256 MiB does not. */
    @Test
    void addMemory_61SingleBlockRuleMatchesOracle() {
        Kernel k = boot(Granule.G4K, KernelProfile.V6_1, "Y");
        HotplugActions a = k.hotplugActions;
        long kb0 = memTotalKb(k);
        long present0 = k.mm.buddy.presentPages();
        long ramMemmap0 = acc(k, "memmap_ram_bytes");
        assertThat(a.addMemory(HOT_BASE, SZ_128M, 0, true)).isZero();
        assertThat(acc(k, "memmap_ram_bytes")).isEqualTo(ramMemmap0);
        assertThat(acc(k, "memmap_altmap_bytes")).isEqualTo(SZ_2M);
        assertThat(a.online(HOT_BASE / SZ_128M, null)).isZero();
        assertThat(memTotalKb(k) - kb0).isEqualTo(126 * 1024L);
        assertThat(k.mm.buddy.presentPages() - present0).isEqualTo(SZ_128M / 4096);

        long kb1 = memTotalKb(k);
        long present1 = k.mm.buddy.presentPages();
        assertThat(a.addMemory(HOT_BASE + SZ_1G, SZ_256M, 0, true)).isZero();
        assertThat(acc(k, "memmap_ram_bytes") - ramMemmap0).isEqualTo(SZ_4M);
        assertThat(a.online(HOT_BASE + SZ_1G, SZ_256M, null)).isZero();
        assertThat(memTotalKb(k) - kb1).isEqualTo(256 * 1024L);
        assertThat(k.mm.buddy.presentPages() - present1).isEqualTo(SZ_256M / 4096);
        assertThat(VmstatView.of(k)).isEmpty(); // nr_memmap_pages arrived in v6.11
    }

    @Nested
    class Failures {
        @Test
        void removeMemory_onlineIsEbusyAndMisalignedIsEinval() {
            Kernel k = boot(Granule.G4K, KernelProfile.MAINLINE, "N");
            HotplugActions a = k.hotplugActions;
            assertThat(a.addMemory(HOT_BASE, SZ_128M, 0, false)).isZero();
            assertThat(a.online(HOT_BASE / SZ_128M, ZoneType.NORMAL)).isZero();
            Map<String, Object> acc = Accounting.of(k);
            String iomem = IomemView.text(k);
            assertThat(a.removeMemory(HOT_BASE, SZ_128M)).isEqualTo(Errno.EBUSY.neg());
            assertThat(a.removeMemory(HOT_BASE, SZ_2M)).isEqualTo(Errno.EINVAL.neg());
            assertThat(a.online(HOT_BASE / SZ_128M, ZoneType.NORMAL)).isEqualTo(Errno.EINVAL.neg());
            assertThat(a.offline(HOT_BASE + SZ_1G / 2)).isEqualTo(Errno.ENODEV.neg());
            assertThat(Accounting.of(k)).isEqualTo(acc);
            assertThat(IomemView.text(k)).isEqualTo(iomem);
        }

        /** Onlining a range where one block is boot memory already online skips it; offlining it fails and re-onlines the rest. */
        @Test
        void offline_rangeWithBootBlockRollsBack() {
            Kernel k = boot(Granule.G4K, KernelProfile.MAINLINE, "N");
            HotplugActions a = k.hotplugActions;
            long end = 0x1_4000_0000L;
            assertThat(a.addMemory(end, SZ_128M, 0, false)).isZero();
            assertThat(a.online(end, SZ_128M, ZoneType.NORMAL)).isZero();
            Map<String, Object> acc = Accounting.of(k);
            // [last boot block][new block]: the new block goes offline first? No: ascending, the boot block fails first.
            assertThat(a.offline(end - SZ_128M, SZ_256M)).isEqualTo(Errno.EPERM.neg());
            assertThat(Accounting.of(k)).isEqualTo(acc);
            assertThat(k.ramHotplug.blocks.findMemoryBlockById(end / SZ_128M).state).isEqualTo(MemoryBlock.State.ONLINE);
        }
    }

    @Nested
    class DaxKmem {
        /** The oracle's namespace: 2 GiB with a 34 MiB data offset (map=dev) leaves 15 whole 128 MiB blocks. */
        static final long DAX_START = HOT_BASE + 34 * SZ_1M;
        static final long DAX_SIZE = SZ_2G - 34 * SZ_1M;

        @Test
        void devDaxKmemProbe_61TrimsToBlocksAndUsesRamMemmap() {
            Kernel k = boot(Granule.G4K, KernelProfile.V6_1, "Y");
            long kb0 = memTotalKb(k);
            long free0 = k.mm.buddy.nrFreePages();
            long ramMemmap0 = acc(k, "memmap_ram_bytes");
            assertThat(k.hotplugActions.daxKmem("dax0.0", DAX_START, DAX_SIZE, 0, true, ZoneType.MOVABLE)).isZero();
            assertThat(k.ramHotplug.blocks.walkMemoryBlocks(HOT_BASE, SZ_2G)).hasSize(15);
            assertThat(memTotalKb(k) - kb0).isEqualTo(1920 * 1024L);
            assertThat(acc(k, "memmap_ram_bytes") - ramMemmap0).isEqualTo(15 * SZ_2M);
            assertThat(IomemView.lines(k)).contains("2008000000-207fffffff : dax0.0",
                    "  2008000000-207fffffff : System RAM (kmem)");
            assertThat(k.hotplugActions.daxKmemRemove("dax0.0")).isZero();
            assertThat(memTotalKb(k)).isEqualTo(kb0);
            assertThat(k.mm.buddy.nrFreePages()).isEqualTo(free0);
            assertThat(IomemView.text(k)).doesNotContain("dax0.0");
        }

        @Test
        void devDaxKmemProbe_mainlineMemmapOnMemoryPerDevice() {
            Kernel k = boot(Granule.G4K, KernelProfile.MAINLINE, "Y");
            long kb0 = memTotalKb(k);
            long present0 = k.mm.buddy.presentPages();
            assertThat(k.hotplugActions.daxKmem("dax0.0", DAX_START, DAX_SIZE, 0, true, ZoneType.MOVABLE)).isZero();
            assertThat(memTotalKb(k) - kb0).isEqualTo(15 * 126 * 1024L);
            assertThat(k.mm.buddy.presentPages() - present0).isEqualTo(15 * 32_768L);
            assertThat(k.hotplugActions.daxKmemRemove("dax0.0")).isZero();
            assertThat(memTotalKb(k)).isEqualTo(kb0);
            assertThat(k.log.warnCount()).isZero();

            assertThat(k.hotplugActions.daxKmem("dax0.0", DAX_START, DAX_SIZE, 0, false, ZoneType.MOVABLE)).isZero();
            assertThat(memTotalKb(k) - kb0).isEqualTo(1920 * 1024L);
        }

        @Test
        void devDaxKmemProbe_tooSmallAfterAlignmentIsEinval() {
            Kernel k = boot(Granule.G4K, KernelProfile.MAINLINE, "Y");
            Map<String, Object> acc = Accounting.of(k);
            String iomem = IomemView.text(k);
            assertThat(k.hotplugActions.daxKmem("dax0.0", HOT_BASE + SZ_2M, SZ_128M, 0, false, null))
                    .isEqualTo(Errno.EINVAL.neg());
            assertThat(Accounting.of(k)).isEqualTo(acc);
            assertThat(IomemView.text(k)).isEqualTo(iomem);
            assertThat(k.mm.phys.ranges()).hasSize(1);
        }

        /** A live ZONE_DEVICE mapping of the range (device_dax still bound) makes binding fail; nothing changes. */
        @Test
        void devDaxKmemProbe_liveZoneDeviceIsEbusy() {
            Kernel k = boot(Granule.G4K, KernelProfile.MAINLINE, "N");
            assertThat(k.memremap("dax0.0", org.vmemsim.mm.memremap.MemoryType.GENERIC, HOT_BASE, SZ_256M,
                    0, -1, 0)).isZero();
            Map<String, Object> acc = Accounting.of(k);
            String iomem = IomemView.text(k);
            assertThat(k.hotplugActions.daxKmem("dax0.0", HOT_BASE, SZ_256M, 0, false, null)).isEqualTo(Errno.EBUSY.neg());
            assertThat(Accounting.of(k)).isEqualTo(acc);
            assertThat(IomemView.text(k)).isEqualTo(iomem);
            assertThat(k.memunmap("dax0.0")).isZero();
            assertThat(k.hotplugActions.daxKmem("dax0.0", HOT_BASE, SZ_256M, 0, false, ZoneType.MOVABLE)).isZero();
        }
    }
}
