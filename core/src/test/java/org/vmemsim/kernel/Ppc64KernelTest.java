package org.vmemsim.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.vmemsim.arch.Arch;
import org.vmemsim.arch.Granule;
import org.vmemsim.arch.KernelProfile;
import org.vmemsim.check.ModelState;
import org.vmemsim.mm.memremap.MemoryType;
import org.vmemsim.mm.pgtable.KernelPgtable;
import org.vmemsim.mm.vmemmap.VmemAltmap;
import org.vmemsim.view.Accounting;
import org.vmemsim.view.PtdumpView;

/**
 * powerpc64 radix (64K pages) end to end, against closed forms: 64 bytes of struct page per 64 KiB
 * pfn, 2 MiB PMD leaves (each holds the memmap of 32768 pfns = 2 GiB), 64 KiB memmap pages (1024
 * pfns = 64 MiB each), and the altmap boundary rule of altmap_cross_boundary.
 */
class Ppc64KernelTest {
    static final long KIB = 1L << 10;
    static final long MIB = 1L << 20;
    static final long GIB = 1L << 30;
    static final long PAGE = 64 * KIB;
    static final long PAGE_OFFSET = 0xc000000000000000L;
    static final long VMEMMAP = 0xc00c000000000000L;

    static Kernel ppc(KernelProfile p) {
        MachineSpec m = new MachineSpec();
        m.arch = Arch.PPC64;
        m.granule = Granule.G64K;
        m.profile = p;
        m.ram.add(new RamRange(0, 4 * GIB, 0));
        return Kernel.boot(m);
    }

    @Nested
    class Boot {
        @ParameterizedTest
        @EnumSource(value = KernelProfile.class, names = {"V6_1", "V6_12", "MAINLINE"})
        void boot_memmapIn2MiBLeavesFromRam(KernelProfile p) {
            Kernel k = ppc(p);
            assertThat(k.ppc64).isNotNull();
            assertThat(k.mm.memstartAddr).isZero();
            // 4 GiB / 64 KiB * 64 B = 4 MiB, two 2 MiB PMD leaves
            assertThat(Accounting.memmap(k).ramBytes()).isEqualTo(4 * GIB / PAGE * 64).isEqualTo(4 * MIB);
            KernelPgtable.Translation t = k.mm.pgtable.translate(VMEMMAP);
            assertThat(t.level()).isEqualTo(k.g.pmdLevel());
        }

        @Test
        void createPhysicalMapping_linearMapIn2MiBLeaves_cappedByTheBlockSize() {
            Kernel k = ppc(KernelProfile.MAINLINE);
            // 1 GiB leaves would fit, but no mapping exceeds the 256 MiB memory block
            for (long pa : new long[] {0, GIB, 4 * GIB - PAGE}) {
                KernelPgtable.Translation t = k.mm.pgtable.translate(PAGE_OFFSET + pa);
                assertThat(t.pa()).isEqualTo(pa);
                assertThat(t.level()).isEqualTo(k.g.pmdLevel());
            }
            assertThat(k.mm.pgtable.translate(PAGE_OFFSET + 4 * GIB)).isNull();
            // 4 GiB / 2 MiB leaves in 4 PMD tables (1 GiB each) under one PUD table
            assertThat(Accounting.tables(k).linearByLevel()).containsEntry("PMD", 4L).containsEntry("PUD", 1L);
        }

        @Test
        void ptdump_radixFormatWithMarkers() {
            var lines = PtdumpView.lines(ppc(KernelProfile.MAINLINE), false);
            assertThat(lines).contains("---[ Start of kernel VM ]---", "---[ vmemmap start ]---");
            assertThat(lines).contains("0xc000000000000000-0xc0000000ffffffff  0x0000000000000000         4G "
                    + "      r  w       pte  valid  dirty  accessed");
        }
    }

    @Nested
    class Memremap {
        /** A device at 4 GiB: pfn 65536, whose struct page sits 4 MiB into the vmemmap (PMD aligned). */
        static final long DEV = 4 * GIB;

        /**
         * The worked figure: 1 TiB of 64 KiB pages is 16 Mi pfns, 1 GiB of struct pages, 512 PMD leaves.
         * altmap_cross_boundary compares {@code start_pfn + nr_pfn > end_pfn} with the inclusive
         * end_pfn libnvdimm sets, so the memmap chunk describing the device's last pfns counts as
         * crossing and comes from RAM: the last 2 MiB chunk on 6.1, the last 64 KiB page (after the
         * chunk falls back to base pages) on 6.12 and mainline.
         */
        @ParameterizedTest
        @EnumSource(value = KernelProfile.class, names = {"V6_1", "V6_12", "MAINLINE"})
        void vmemmapPopulate_oneTebibyteWithAltmap_oneGibibyteOfMemmap(KernelProfile p) {
            Kernel k = ppc(p);
            long size = 1L << 40;
            long nrPages = size / PAGE;                 // 16 Mi pfns
            long memmap = nrPages * 64;                 // 1 GiB
            assertThat(nrPages).isEqualTo(16L << 20);
            assertThat(memmap).isEqualTo(GIB);
            long ram0 = Accounting.memmap(k).ramBytes();
            k.check(k.memremap("d", MemoryType.FS_DAX, 1L << 40, size, 2, k.autoAltmapFree(nrPages, 2), 0));
            VmemAltmap a = k.memremap.pgmaps().get("d").altmap;
            long inRam = p == KernelProfile.V6_1 ? 2 * MIB : PAGE;
            assertThat(Accounting.memmap(k).deviceBytes()).isEqualTo(memmap - inRam);
            assertThat(Accounting.memmap(k).ramBytes() - ram0).isEqualTo(inRam);
            assertThat(a.alloc).isEqualTo((memmap - inRam) / PAGE);
            // the first 2 MiB block is aligned up past the 2 reserved pfns to pfn 32
            assertThat(a.align).isEqualTo(30);
            k.check(k.memunmap("d"));
            assertThat(a.alloc).isZero();
            assertThat(Accounting.memmap(k).ramBytes()).isEqualTo(ram0);
        }

        @ParameterizedTest
        @EnumSource(value = KernelProfile.class, names = {"V6_1", "V6_12", "MAINLINE"})
        void vmemmapPopulate_withoutAltmap_oneRamPmdLeaf(KernelProfile p) {
            Kernel k = ppc(p);
            long ram0 = Accounting.memmap(k).ramBytes();
            k.check(k.memremap("d", MemoryType.GENERIC, DEV, GIB, 0, -1, 0));
            // 1 GiB = 16384 pfns = 1 MiB of memmap, all inside one 2 MiB leaf from RAM
            assertThat(Accounting.memmap(k).ramBytes() - ram0).isEqualTo(2 * MIB);
            assertThat(k.mm.pgtable.translate(VMEMMAP + DEV / PAGE * 64).level()).isEqualTo(k.g.pmdLevel());
        }

        /**
         * <pre>
         * device   [pfn 65536 ................ 66816)      80 MiB = 1280 pfns, end_pfn 66815
         * memmap   [ page 0: pfns 65536..66559 ][ page 1: pfns 66560..67583 ]
         *            inside the device: altmap     crosses end_pfn: RAM
         * </pre>
         * 6.12/mainline: the 2 MiB chunk crosses the device, so base pages; 6.1: the whole 2 MiB chunk
         * crosses and comes from RAM.
         */
        @ParameterizedTest
        @EnumSource(value = KernelProfile.class, names = {"V6_1", "V6_12", "MAINLINE"})
        void altmapCrossBoundary_lastMemmapPageFallsBackToRam(KernelProfile p) {
            Kernel k = ppc(p);
            long size = 80 * MIB;
            long nrPages = size / PAGE;
            long ram0 = Accounting.memmap(k).ramBytes();
            k.check(k.memremap("d", MemoryType.FS_DAX, DEV, size, 0, k.autoAltmapFree(nrPages, 0), 0));
            VmemAltmap a = k.memremap.pgmaps().get("d").altmap;
            assertThat(a.endPfn).isEqualTo(DEV / PAGE + 1280 - 1);
            if (p == KernelProfile.V6_1) {
                assertThat(a.alloc).isZero();
                assertThat(Accounting.memmap(k).ramBytes() - ram0).isEqualTo(2 * MIB);
            } else {
                assertThat(a.alloc).isEqualTo(1);
                assertThat(Accounting.memmap(k).deviceBytes()).isEqualTo(PAGE);
                assertThat(Accounting.memmap(k).ramBytes() - ram0).isEqualTo(PAGE);
                long page1 = VMEMMAP + (DEV / PAGE + 1024) * 64;
                assertThat(k.mm.pgtable.translate(page1).level()).isEqualTo(k.g.leafLevel());
            }
        }

        private void cycle(Kernel k) {
            long nrPages = 80 * MIB / PAGE;
            k.check(k.memremap("a", MemoryType.FS_DAX, DEV, 80 * MIB, 0, k.autoAltmapFree(nrPages, 0), 0));
            k.check(k.memremap("b", MemoryType.GENERIC, 8 * GIB, GIB, 0, -1, 0));
            k.check(k.memunmap("a"));
            k.check(k.memunmap("b"));
        }

        @ParameterizedTest
        @EnumSource(value = KernelProfile.class, names = {"V6_1", "V6_12", "MAINLINE"})
        void memunmap_roundTrip_identicalState(KernelProfile p) {
            Kernel k = ppc(p);
            cycle(k); // ZONE_DEVICE spans only grow (remove_pfn_range_from_zone skips them): warm up once
            ModelState before = ModelState.capture(k);
            cycle(k);
            assertThat(ModelState.diff(before, ModelState.capture(k))).isNull();
            assertThat(k.log.warnCount()).isZero();
        }

        @ParameterizedTest
        @EnumSource(value = KernelProfile.class, names = {"V6_1", "V6_12", "MAINLINE"})
        void archAddMemory_hotAddRemoveRam_roundTrip(KernelProfile p) {
            Kernel k = ppc(p);
            ModelState before = ModelState.capture(k);
            long ramFree0 = k.mm.buddy.nrFreePages();
            k.check(k.hotplugActions.addMemory(8 * GIB, 512 * MIB, 0, false));
            assertThat(k.mm.pgtable.translate(PAGE_OFFSET + 8 * GIB).pa()).isEqualTo(8 * GIB);
            k.check(k.hotplugActions.removeMemory(8 * GIB, 512 * MIB));
            assertThat(k.mm.pgtable.translate(PAGE_OFFSET + 8 * GIB)).isNull();
            assertThat(k.mm.buddy.nrFreePages()).isEqualTo(ramFree0);
            assertThat(ModelState.diff(before, ModelState.capture(k))).isNull();
        }
    }
}
