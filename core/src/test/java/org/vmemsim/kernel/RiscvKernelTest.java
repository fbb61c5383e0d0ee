package org.vmemsim.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.vmemsim.arch.Arch;
import org.vmemsim.arch.KernelProfile;
import org.vmemsim.mm.memremap.MemoryType;
import org.vmemsim.mm.vmemmap.VmemAltmap;
import org.vmemsim.util.Errno;
import org.vmemsim.view.Accounting;
import org.vmemsim.view.PtdumpView;

/**
 * riscv64 machines end to end: 4 GiB of RAM at 0x8000_0000 (the QEMU virt / most SoC DRAM base),
 * Sv39 unless said otherwise. Expected numbers are computed here from the layout and the kernel's
 * population rules.
 */
class RiscvKernelTest {
    static final long MIB = 1L << 20;
    static final long GIB = 1L << 30;
    static final long RAM = 0x8000_0000L;
    /** Device / DIMM placement: 8 GiB, inside every Sv39 linear map (PAGE_OFFSET maps phys_ram_base = 2 GiB). */
    static final long DEV = 8 * GIB;

    static Kernel riscv(KernelProfile p, Integer va) {
        MachineSpec m = new MachineSpec();
        m.arch = Arch.RISCV64;
        m.profile = p;
        m.vaBits = va;
        m.ram.add(new RamRange(RAM, 4 * GIB, 0));
        return Kernel.boot(m);
    }

    /** Cheap fingerprint of what a round trip must restore. */
    static String state(Kernel k) {
        Accounting.Tables t = Accounting.tables(k);
        return k.mm.buddy.nrFreePages() + " " + t.vmemmapByLevel() + " " + t.linearByLevel() + " "
                + Accounting.memmap(k) + " " + k.sparse.pfnValid(DEV >>> 12);
    }

    @Nested
    class Boot {
        @ParameterizedTest
        @EnumSource(KernelProfile.class)
        void sparseInit_memmapOfBootRamInRam(KernelProfile p) {
            Kernel k = riscv(p, null);
            assertThat(k.g.vaBits).isEqualTo(39);
            // 4 GiB / 4 KiB pages * 64 bytes
            assertThat(Accounting.memmap(k).ramBytes()).isEqualTo(4 * GIB / 4096 * 64);
            assertThat(k.mm.memstartAddr).isEqualTo(RAM);
        }

        @ParameterizedTest
        @EnumSource(value = KernelProfile.class, names = {"V5_8", "V5_9", "V6_1"})
        void vmemmapPopulate_basepagesBefore68(KernelProfile p) {
            Kernel k = riscv(p, null);
            Accounting.Tables t = Accounting.tables(k);
            // 64 MiB of memmap in 4 KiB pages: one PTE table per 2 MiB, one PMD table (1 GiB window)
            assertThat(t.vmemmapByLevel()).containsEntry("PTE", 64 * MIB / (2 * MIB)).containsEntry("PMD", 1L);
            // linear map: the 4 GiB region is 2 MiB aligned, so 2 MiB leaves in 4 PMD tables (one per GiB)
            assertThat(t.linearByLevel()).containsExactlyEntriesOf(java.util.Map.of("PMD", 4L));
            assertThat(k.mm.pgtable.translate(k.mm.pfnToPage(RAM >>> 12)).level()).isEqualTo(2);
            // nothing is pre-allocated without CONFIG_MEMORY_HOTPLUG
            assertThat(k.mm.buddy.nrFreePages()).isEqualTo(k.mm.buddy.totalramPages());
        }

        @Test
        void vmemmap_5xIndexedFromPfnZero() {
            Kernel k = riscv(KernelProfile.V5_9, null);
            // vmemmap = VMEMMAP_START: the struct page of pfn 0x80000 sits 0x80000 * 64 bytes in
            assertThat(k.mm.pfnToPage(RAM >>> 12)).isEqualTo(0xffffffcf00000000L + (RAM >>> 12) * 64);
            Kernel k61 = riscv(KernelProfile.V6_1, null);
            assertThat(k61.mm.pfnToPage(RAM >>> 12)).isEqualTo(0xffffffc700000000L);
        }

        @ParameterizedTest
        @EnumSource(value = KernelProfile.class, names = {"V6_12", "MAINLINE"})
        void pgtableCacheInit_preallocatesEveryVmemmapAndLinearPgdEntry(KernelProfile p) {
            Kernel k = riscv(p, null);
            Accounting.Tables t = Accounting.tables(k);
            // vmemmap in 2 MiB blocks: no PTE tables; 4 GiB of vmemmap = 4 PGD entries, each with its PMD table
            assertThat(t.vmemmapByLevel()).containsExactlyEntriesOf(java.util.Map.of("PMD", 4L));
            // [0xffffffd600000000, KASAN_SHADOW_START 0xfffffff700000000) = 132 GiB = 132 PGD entries
            long linearEntries = (0xfffffff700000000L - 0xffffffd600000000L) / GIB;
            assertThat(t.linearByLevel()).containsExactlyEntriesOf(java.util.Map.of("PMD", linearEntries));
            // from the buddy allocator after boot: all but the 1 vmemmap and 4 linear tables of boot
            assertThat(k.mm.buddy.totalramPages() - k.mm.buddy.nrFreePages()).isEqualTo((4 - 1) + (linearEntries - 4));
        }

        @Test
        void sv48_linearMapIn1GiBLeaves() {
            Kernel k = riscv(KernelProfile.MAINLINE, 48);
            assertThat(k.g.levels).isEqualTo(4);
            var tr = k.mm.pgtable.translate(k.mm.physToVirt(RAM + GIB));
            assertThat(tr.pa()).isEqualTo(RAM + GIB);
            assertThat(tr.level()).isEqualTo(1);
        }

        @Test
        void ptdump_riscvFormat() {
            Kernel k = riscv(KernelProfile.V6_12, null);
            assertThat(PtdumpView.lines(k, false)).contains("---[ vmemmap start ]---", "---[ Linear mapping ]---",
                    "0xffffffc500000000-0xffffffc504000000   0x000000017be00000          64M pmd .. D A G . . W R V",
                    "0xffffffd600000000-0xffffffd700000000   0x0000000080000000           4G pmd .. D A G . . W R V");
        }
    }

    @Nested
    class WithoutHotplug {
        @ParameterizedTest
        @EnumSource(value = KernelProfile.class, names = {"V5_8", "V5_9", "V6_1"})
        void addMemory_eopnotsuppBefore611(KernelProfile p) {
            Kernel k = riscv(p, null);
            String before = state(k);
            int ret = k.hotplugActions.addMemory(DEV, 128 * MIB, 0, false);
            assertThat(ret).isEqualTo(Errno.EOPNOTSUPP.neg());
            assertThat(k.log.lastError()).isEqualTo("CONFIG_MEMORY_HOTPLUG not available on riscv64 before 6.11 (kernel "
                    + p.label + ")");
            assertThat(state(k)).isEqualTo(before);
        }

        @ParameterizedTest
        @EnumSource(value = KernelProfile.class, names = {"V5_8", "V5_9", "V6_1"})
        void memremap_enxioBefore611(KernelProfile p) {
            Kernel k = riscv(p, null);
            String before = state(k);
            int ret = k.memremap("d", MemoryType.FS_DAX, DEV, 128 * MIB, 0, 512, 0);
            assertThat(ret).isEqualTo(Errno.ENXIO.neg());
            assertThat(k.log.lastErrorFunction()).isEqualTo("devm_memremap_pages");
            assertThat(k.log.lastError()).contains("CONFIG_ZONE_DEVICE not available on riscv64 before 6.11");
            assertThat(state(k)).isEqualTo(before);
            assertThat(k.memremap.pgmaps()).isEmpty();
        }

        /** The seed's rule: vmemmap_populate_basepages(start, end, node, NULL) ignores a requested altmap. */
        @ParameterizedTest
        @EnumSource(value = KernelProfile.class, names = {"V5_9", "V6_1"})
        void vmemmapPopulate_altmapRequestedMemmapStillInRam(KernelProfile p) {
            Kernel k = riscv(p, null);
            long base = DEV >>> 12;
            VmemAltmap altmap = new VmemAltmap("x", base, base + 32768 - 1, 0, 512);
            long free0 = k.mm.buddy.nrFreePages();
            long start = k.mm.pfnToPage(base);
            // a new PMD table only when the PGD entry of that vmemmap GiB is still empty
            long pmdTable = k.mm.pgtable.tableAt(start, 1) == -1 ? 1 : 0;
            assertThat(k.riscv.vmemmapPopulate(start, start + 2 * MIB, 0, altmap)).isZero();
            assertThat(altmap.alloc).isZero();
            // 512 memmap pages from RAM and one PTE table
            assertThat(free0 - k.mm.buddy.nrFreePages()).isEqualTo(512 + 1 + pmdTable);
        }
    }

    @Nested
    class WithHotplug {
        @ParameterizedTest
        @EnumSource(value = KernelProfile.class, names = {"V6_12", "MAINLINE"})
        void memremap_altmapHostsThePmdBlock_roundTrip(KernelProfile p) {
            Kernel k = riscv(p, null);
            String before = state(k);
            long free0 = k.mm.buddy.nrFreePages();
            // one section: 32768 struct pages = 2 MiB = one PMD block, from the altmap (512 pfns)
            k.check(k.memremap("d", MemoryType.FS_DAX, DEV, 128 * MIB, 0, 512, 0));
            assertThat(k.memremap.pgmaps().get("d").altmap.alloc).isEqualTo(512);
            // every table on the way was pre-allocated at boot: not one page of RAM
            assertThat(k.mm.buddy.nrFreePages()).isEqualTo(free0);
            assertThat(k.mm.pgtable.translate(k.mm.pfnToPage(DEV >>> 12)).level()).isEqualTo(k.g.pmdLevel());
            k.check(k.memunmap("d"));
            assertThat(state(k)).isEqualTo(before);
        }

        @Test
        void memremap_subsectionStillTakesAWholePmdBlock() {
            Kernel k = riscv(KernelProfile.V6_12, null);
            long free0 = k.mm.buddy.nrFreePages();
            k.check(k.memremap("d", MemoryType.FS_DAX, DEV, 2 * MIB, 0, -1, 0));
            // vmemmap_populate_hugepages maps 2 MiB (512 pages) for 32 KiB of memmap
            assertThat(free0 - k.mm.buddy.nrFreePages()).isEqualTo(512);
            k.check(k.memunmap("d"));
            assertThat(k.mm.buddy.nrFreePages()).isEqualTo(free0);
        }

        @Test
        void memremap_altmapTooSmallForTheBlockFails() {
            Kernel k = riscv(KernelProfile.MAINLINE, null);
            String before = state(k);
            // 2 MiB device: 512 pfns, altmap free 8: the 2 MiB block cannot come from it and there is no fallback
            int ret = k.memremap("d", MemoryType.FS_DAX, DEV, 2 * MIB, 0, 8, 0);
            assertThat(ret).isEqualTo(Errno.ENOMEM.neg());
            assertThat(state(k)).isEqualTo(before);
        }

        @ParameterizedTest
        @EnumSource(value = KernelProfile.class, names = {"V6_12", "MAINLINE"})
        void addMemory_memmapInRam_roundTrip(KernelProfile p) {
            Kernel k = riscv(p, null);
            String before = state(k);
            long free0 = k.mm.buddy.nrFreePages();
            k.check(k.hotplugActions.addMemory(DEV, 128 * MIB, 0, false));
            // the memmap of one section is one 2 MiB block from RAM; linear map and vmemmap tables pre-allocated
            assertThat(free0 - k.mm.buddy.nrFreePages()).isEqualTo(512);
            assertThat(k.mm.pgtable.translate(k.mm.physToVirt(DEV)).pa()).isEqualTo(DEV);
            k.check(k.hotplugActions.removeMemory(DEV, 128 * MIB));
            assertThat(state(k)).isEqualTo(before);
            assertThat(k.mm.pgtable.translate(k.mm.physToVirt(DEV))).isNull();
        }

        @Test
        void addMemory_sv57_linearTablesFreedOnRemove() {
            Kernel k = riscv(KernelProfile.MAINLINE, 57);
            String before = state(k);
            k.check(k.hotplugActions.addMemory(DEV, 128 * MIB, 0, false));
            k.check(k.hotplugActions.removeMemory(DEV, 128 * MIB));
            assertThat(state(k)).isEqualTo(before);
        }
    }
}
