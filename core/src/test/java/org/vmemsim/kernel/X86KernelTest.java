package org.vmemsim.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.vmemsim.arch.Arch;
import org.vmemsim.arch.KernelProfile;
import org.vmemsim.drivers.nvdimm.Nvdimm;
import org.vmemsim.drivers.nvdimm.PfnMode;
import org.vmemsim.mm.memremap.MemoryType;
import org.vmemsim.mm.pgtable.KernelPgtable;
import org.vmemsim.view.Accounting;
import org.vmemsim.view.PtdumpView;

/**
 * x86-64 machines end to end, pinned against closed forms and the real Debian 6.1 x86_64 kernel of
 * /work/shared/oracle/x86_64-6.1 (2 GiB RAM, a 2 GiB NVDIMM at 0x1_0000_0000, 4-level, no KASLR).
 */
class X86KernelTest {
    static final long MIB = 1L << 20;
    static final long GIB = 1L << 30;
    static final long NVDIMM = 0x1_0000_0000L;

    static Kernel x86(KernelProfile p, long pmemSize) {
        MachineSpec m = new MachineSpec();
        m.arch = Arch.X86_64;
        m.profile = p;
        m.ram.add(new RamRange(0, 2 * GIB, 0));
        if (pmemSize > 0) {
            m.pmem.add(new RamRange(NVDIMM, pmemSize, 0));
        }
        return Kernel.boot(m);
    }

    static Nvdimm.Namespace devdax(Kernel k, PfnMode map, long align) {
        Nvdimm.Namespace[] out = new Nvdimm.Namespace[1];
        k.check(k.nvdimm.createNamespace(0, 0, true, map, align, out));
        return out[0];
    }

    @Nested
    class Boot {
        final Kernel k = x86(KernelProfile.V6_1, 0);

        @Test
        void boot_memmapOfEveryPresentSectionInRam() {
            assertThat(k.mmu).isNull();
            assertThat(k.linearMap).isNull();
            assertThat(k.x86).isNotNull();
            assertThat(k.mm.memstartAddr).isZero();
            // 2 GiB / 4 KiB pages * 64 bytes of struct page
            assertThat(Accounting.memmap(k).ramBytes()).isEqualTo(2 * GIB / 4096 * 64);
            // struct page of pfn 0 is the first byte of the vmemmap, mapped by a 2 MiB block
            KernelPgtable.Translation t = k.mm.pgtable.translate(0xffffea0000000000L);
            assertThat(t).isNotNull();
            assertThat(t.level()).isEqualTo(k.g.pmdLevel());
        }

        @Test
        void initMemoryMapping_directMapUses1GPages() {
            for (long pa : new long[] {0, GIB, 2 * GIB - 4096}) {
                KernelPgtable.Translation t = k.mm.pgtable.translate(0xffff888000000000L + pa);
                assertThat(t.pa()).isEqualTo(pa);
                assertThat(t.level()).isEqualTo(k.g.pudLevel());
            }
            assertThat(k.mm.pgtable.translate(0xffff888000000000L + 2 * GIB)).isNull();
        }

        @Test
        void ptdump_printsTheDirectMapAndVmemmapInX86Format() {
            var lines = PtdumpView.lines(k, false);
            assertThat(lines).contains("---[ Low Kernel Mapping ]---", "---[ Vmemmap ]---");
            assertThat(lines).contains(
                    "0xffffea0000000000-0xffffea0002000000          32M     RW         PSE     GLB NX pmd");
        }
    }

    @Nested
    class Vmemmap {
        @Test
        void vmemmapPopulate_subsectionUsesRamBasepagesEvenWithAnAltmap() {
            Kernel k = x86(KernelProfile.V6_1, 0);
            long free0 = k.mm.buddy.nrFreePages();
            k.check(k.memremap("d", MemoryType.GENERIC, NVDIMM, 2 * MIB, 0, 512, 0));
            // 512 pfns * 64 bytes = 32 KiB = 8 memmap pages from RAM, one vmemmap PTE table, and one
            // PMD table for the 2 MiB direct-map page of the new range
            assertThat(k.mm.buddy.nrFreePages()).isEqualTo(free0 - 8 - 1 - 1);
            assertThat(k.memremap.pgmaps().get("d").altmap.alloc).isZero();
            assertThat(k.mm.pgtable.translate(k.mm.pfnToPage(NVDIMM >>> 12)).level()).isEqualTo(k.g.leafLevel());
            k.check(k.memunmap("d"));
            assertThat(k.mm.buddy.nrFreePages()).isEqualTo(free0);
        }

        @Test
        void vmemmapFree_partialPmdBlockFreedOnlyWhenFullyUnused() {
            Kernel k = x86(KernelProfile.V6_1, 0);
            long a = k.mm.pfnToPage(NVDIMM >>> 12); // 2 MiB aligned, inside the boot PMD table's window
            long free0 = k.mm.buddy.nrFreePages();
            assertThat(k.x86.vmemmapPopulate(a + MIB, a + 3 * MIB, 0, null)).isZero();
            assertThat(k.mm.buddy.nrFreePages()).isEqualTo(free0 - 2 * 512);
            k.x86.vmemmapFree(a + MIB, a + 2 * MIB, null);
            // the first block had only its upper half used: now free; the second is still in use
            assertThat(k.mm.buddy.nrFreePages()).isEqualTo(free0 - 512);
            assertThat(k.mm.pgtable.translate(a + MIB)).isNull();
            assertThat(k.mm.pgtable.translate(a + 2 * MIB)).isNotNull();
            k.x86.vmemmapFree(a + 2 * MIB, a + 3 * MIB, null);
            assertThat(k.mm.buddy.nrFreePages()).isEqualTo(free0);
            assertThat(k.log.warnCount()).isZero();
        }

        @Test
        void vmemmapFree_sharedPmdBlockKeptWhileTheNeighbourUsesIt() {
            Kernel k = x86(KernelProfile.V6_12, 0);
            long a = k.mm.pfnToPage(NVDIMM >>> 12);
            long free0 = k.mm.buddy.nrFreePages();
            assertThat(k.x86.vmemmapPopulate(a, a + 3 * MIB, 0, null)).isZero();
            assertThat(k.x86.vmemmapPopulate(a + 3 * MIB, a + 4 * MIB + 2 * MIB, 0, null)).isZero();
            assertThat(k.mm.buddy.nrFreePages()).isEqualTo(free0 - 3 * 512);
            k.x86.vmemmapFree(a + 2 * MIB, a + 3 * MIB, null);
            assertThat(k.mm.buddy.nrFreePages()).isEqualTo(free0 - 3 * 512);
            k.x86.vmemmapFree(a + 3 * MIB, a + 6 * MIB, null);
            assertThat(k.mm.buddy.nrFreePages()).isEqualTo(free0 - 512);
        }
    }

    @Nested
    class NvdimmDevdax {
        @Test
        void createNamespace_publicFigure4GiBMapDev() {
            Kernel k = x86(KernelProfile.V6_1, 4 * GIB);
            Nvdimm.Namespace ns = devdax(k, PfnMode.PMEM, 2 * MIB);
            // 4 GiB of pfns need 64 MiB of struct pages, plus the 2 MiB the pfn superblock area takes
            assertThat(usable(ns)).isEqualTo(4294967296L - 64 * MIB - 2 * MIB).isEqualTo(4225761280L);
        }

        @Test
        void createNamespace_oracleMapDev_memmapOnTheDeviceAt2MiBTo34MiB() {
            Kernel k = x86(KernelProfile.V6_1, 2 * GIB);
            long ram0 = Accounting.memmap(k).ramBytes();
            long free0 = k.mm.buddy.nrFreePages();
            Nvdimm.Namespace ns = devdax(k, PfnMode.PMEM, 2 * MIB);
            assertThat(usable(ns)).isEqualTo(2111832064L);
            assertThat(usable(ns)).isEqualTo(2 * GIB - 34 * MIB);
            assertThat(Accounting.memmap(k).ramBytes()).isEqualTo(ram0);
            assertThat(Accounting.memmap(k).deviceBytes()).isEqualTo(32 * MIB);
            // struct page of the first device pfn lives at device offset 2 MiB, the last block at 32 MiB
            long firstPage = k.mm.pfnToPage(NVDIMM >>> 12);
            assertThat(k.mm.pgtable.translate(firstPage).pa()).isEqualTo(NVDIMM + 2 * MIB);
            assertThat(k.mm.pgtable.translate(firstPage + 32 * MIB - 1).pa()).isEqualTo(NVDIMM + 34 * MIB - 1);
            // the device is in the direct map with two 1 GiB pages
            KernelPgtable.Translation d = k.mm.pgtable.translate(0xffff888000000000L + NVDIMM + GIB);
            assertThat(d.pa()).isEqualTo(NVDIMM + GIB);
            assertThat(d.level()).isEqualTo(k.g.pudLevel());

            k.check(k.nvdimm.destroyNamespace(ns.name()));
            assertThat(Accounting.memmap(k).deviceBytes()).isZero();
            assertThat(k.mm.buddy.nrFreePages()).isEqualTo(free0);
            assertThat(k.mm.pgtable.translate(0xffff888000000000L + NVDIMM)).isNull();
            assertThat(k.log.warnCount()).isZero();
        }

        @Test
        void createNamespace_oracleMapMemAlign4K_32MiBOfPmdBlocksInRam() {
            Kernel k = x86(KernelProfile.V6_1, 2 * GIB);
            long ram0 = Accounting.memmap(k).ramBytes();
            long free0 = k.mm.buddy.nrFreePages();
            Nvdimm.Namespace ns = devdax(k, PfnMode.RAM, 4096);
            assertThat(usable(ns)).isEqualTo(2145386496L).isEqualTo(2 * GIB - 2 * MIB);
            assertThat(Accounting.memmap(k).ramBytes() - ram0).isEqualTo(32 * MIB);
            assertThat(k.mm.pgtable.translate(k.mm.pfnToPage(NVDIMM >>> 12)).level()).isEqualTo(k.g.pmdLevel());
            k.check(k.nvdimm.destroyNamespace(ns.name()));
            assertThat(k.mm.buddy.nrFreePages()).isEqualTo(free0);
        }

        @Test
        void createNamespace_oracleMapMemAlign2M_8MiBThanksToCompoundDedup() {
            Kernel k = x86(KernelProfile.V6_1, 2 * GIB);
            long ram0 = Accounting.memmap(k).ramBytes();
            long free0 = k.mm.buddy.nrFreePages();
            Accounting.Tables t0 = Accounting.tables(k);
            Nvdimm.Namespace ns = devdax(k, PfnMode.RAM, 2 * MIB);
            assertThat(k.memremap.pgmaps().get(ns.pfn.name).vmemmapShift).isEqualTo(9); // 2 MiB / 4 KiB = 2^9
            // 1024 compound pages of 2 MiB, each keeping 2 of its 8 memmap pages: 1024 * 2 * 4 KiB
            assertThat(Accounting.memmap(k).ramBytes() - ram0).isEqualTo(1024L * 2 * 4096).isEqualTo(8 * MIB);
            // 32 MiB of vmemmap VA (2 GiB / 4 KiB * 64 bytes), all in 4 KiB PTEs: one PTE table per
            // 2 MiB of VA (512 entries * 4 KiB) = 16 tables; the PMD table above is the boot one
            long vaBytes = 2 * GIB / 4096 * 64;
            assertThat(vaBytes).isEqualTo(32 * MIB);
            long pteTables = vaBytes / (512 * 4096);
            assertThat(pteTables).isEqualTo(16);
            Accounting.Tables t1 = Accounting.tables(k);
            String pte = k.g.tableName(k.g.leafLevel());
            assertThat(t1.vmemmapByLevel().getOrDefault(pte, 0L) - t0.vmemmapByLevel().getOrDefault(pte, 0L)).isEqualTo(pteTables);
            assertThat(t1.vmemmap() - t0.vmemmap()).isEqualTo(pteTables);
            // RAM: the 2048 unique memmap pages and the 16 PTE tables, nothing else (1 GiB direct-map pages)
            assertThat(free0 - k.mm.buddy.nrFreePages()).isEqualTo(1024L * 2 + pteTables);
            // every memmap page of a compound page after the second maps the second one
            long head = k.mm.pfnToPage(NVDIMM >>> 12);
            long tail = k.mm.pgtable.translate(head + 4096).pa();
            for (int i = 2; i < 8; i++) {
                assertThat(k.mm.pgtable.translate(head + i * 4096L).pa()).isEqualTo(tail);
            }
            assertThat(k.mm.pgtable.translate(head).pa()).isNotEqualTo(tail);
            assertThat(k.mm.buddy.pageCount(tail >>> 12)).isEqualTo(7);
            assertThat(org.vmemsim.check.Invariants.check(k)).isEmpty();
            // memmap_init_zone_device still initialises every page of the range
            assertThat(k.memremap.pgmaps().get(ns.pfn.name).initDevicePages).isEqualTo(2 * GIB / 4096);

            k.check(k.nvdimm.destroyNamespace(ns.name()));
            assertThat(k.mm.buddy.nrFreePages()).isEqualTo(free0);
            assertThat(k.mm.buddy.extraRefs()).isEmpty();
            assertThat(Accounting.memmap(k).ramBytes()).isEqualTo(ram0);
            assertThat(org.vmemsim.check.Invariants.check(k)).isEmpty();
            assertThat(k.log.warnCount()).isZero();
        }

        @Test
        void createNamespace_oracleFsdaxMapMem_noDedup32MiB() {
            Kernel k = x86(KernelProfile.V6_1, 2 * GIB);
            long ram0 = Accounting.memmap(k).ramBytes();
            Nvdimm.Namespace[] out = new Nvdimm.Namespace[1];
            k.check(k.nvdimm.createNamespace(0, 0, false, PfnMode.RAM, 2 * MIB, out));
            assertThat(k.memremap.pgmaps().get(out[0].pfn.name).vmemmapShift).isZero();
            assertThat(Accounting.memmap(k).ramBytes() - ram0).isEqualTo(2 * GIB / 4096 * 64).isEqualTo(32 * MIB);
        }

        private long usable(Nvdimm.Namespace ns) {
            return ns.setup.npfns * 4096;
        }
    }
}
