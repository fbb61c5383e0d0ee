package org.vmemsim.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vmemsim.kernel.SpecMachine.DEV;
import static org.vmemsim.kernel.SpecMachine.G;
import static org.vmemsim.kernel.SpecMachine.M;
import static org.vmemsim.kernel.SpecMachine.addWithAltmap;
import static org.vmemsim.kernel.SpecMachine.addWithoutAltmap;
import static org.vmemsim.kernel.SpecMachine.altmap;
import static org.vmemsim.kernel.SpecMachine.boot;
import static org.vmemsim.kernel.SpecMachine.freePages;
import static org.vmemsim.kernel.SpecMachine.idx;
import static org.vmemsim.kernel.SpecMachine.linearVa;
import static org.vmemsim.kernel.SpecMachine.memmapVa;
import static org.vmemsim.kernel.SpecMachine.pgmap;
import static org.vmemsim.kernel.SpecMachine.ramFreeBytes;

import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.vmemsim.arch.Granule;
import org.vmemsim.arch.KernelProfile;
import org.vmemsim.arch.arm64.mm.Arm64Mmu;
import org.vmemsim.kernel.SpecMachine.PfnLayout;
import org.vmemsim.mm.pgtable.KernelPgtable;
import org.vmemsim.mm.vmemmap.VmemAltmap;
import org.vmemsim.view.Accounting;

/**
 * kernel-semantics.md 10.0-10.3, 10.5 and 10.6: the arm64 vmem_altmap series as merged in 5.9, on the
 * spec's machine (4 GiB RAM at 0x4000_0000, VA 48; 16K: VA 47) with a pmem namespace at 128 GiB.
 * Expected numbers are the spec's, or computed here from its formulas; hardware levels are counted
 * from the top (4K/48: 0 = PGD, 1 = PUD, 2 = PMD, 3 = PTE; 64K/48 and 16K/47: 0 = PGD, 1 = PMD, 2 = PTE).
 */
class WorkedExamplesE59Test {
    static final KernelProfile P = KernelProfile.V5_9;
    /** E5.9 VMEMMAP_START (spec 1.6) for 4K/48, 16K/47 and 64K/48. */
    static final long VMEMMAP_4K = 0xfffffdffffe00000L;
    static final long VMEMMAP_16K = 0xffffffbfffe00000L;
    static final long VMEMMAP_64K = 0xffffffdfffe00000L;
    static final long PAGE_OFFSET_48 = 0xffff000000000000L;
    static final long PAGE_OFFSET_47 = 0xffff800000000000L;

    static long tablesVmemmap(Kernel k) {
        return Accounting.tables(k).vmemmap();
    }

    static long tablesLinear(Kernel k) {
        return Accounting.tables(k).linear();
    }

    /** 10.0: the boot memmap of 4 GiB is 32 PMD blocks from RAM at the spec's indices. */
    @Nested
    class Boot {
        @Test
        void sparseInit_bootMemmapIs32PmdBlocks() {
            Kernel k = boot(P, Granule.G4K);
            // [0xfffffdffffe00000, 0xfffffe0003e00000): PGD 507 / PUD 511 / PMD 511 and PGD 508 / PUD 0 / PMD 0..30
            assertThat(idx(VMEMMAP_4K, 39, 512)).isEqualTo(507);
            assertThat(idx(VMEMMAP_4K, 30, 512)).isEqualTo(511);
            assertThat(idx(VMEMMAP_4K, 21, 512)).isEqualTo(511);
            long[] blocks = new long[1];
            k.mm.pgtable.walkLeaves(VMEMMAP_4K, VMEMMAP_4K + 64 * M, (va, n, level, d, s) -> {
                assertThat(level).isEqualTo(2);
                blocks[0] += n;
            });
            assertThat(blocks[0]).isEqualTo(32);
            assertThat(k.mm.pgtable.entry(VMEMMAP_4K + 64 * M, 2)).as("PMD 31 of PGD 508 / PUD 0").isZero();
            assertThat(Accounting.memmap(k).ramBytes()).isEqualTo(64 * M);
        }
    }

    /** 10.1: 1 GiB, altmap: 8 PMD blocks from the device, 514 RAM pages of tables (rodata=on: 1). */
    @Nested
    class Example10_1 {
        final PfnLayout l = PfnLayout.pmem(4096, DEV, G, 2 * M);

        @Test
        void nvdimmLayout_specNumbers() {
            assertThat(l.dataoff()).isEqualTo(18 * M);
            assertThat(l.npfns()).isEqualTo(257_536);
            assertThat(l.reserve()).isEqualTo(2);
            assertThat(l.free()).isEqualTo(4_606);
            assertThat(l.basePfn()).isEqualTo(0x2000000L);
            assertThat(l.endPfn()).isEqualTo(0x203FFFFL);
        }

        @Test
        void memremapPages_rodataFull_514RamPagesAnd8AltmapBlocks() {
            Kernel k = boot(P, Granule.G4K);
            long free0 = freePages(k);
            long vm0 = tablesVmemmap(k);
            long lin0 = tablesLinear(k);
            long ramMemmap0 = Accounting.memmap(k).ramBytes();
            long slabObjs0 = k.mm.slab.count();
            long slab0 = k.mm.slab.bytes();
            k.check(addWithAltmap(k, "pmem0", DEV, G, l));

            assertThat(free0 - freePages(k)).isEqualTo(1 + 513);
            // root 0 exists (boot sections #1..#4); one usage map: 512-bit sub-section map (64 B) +
            // 4 bits per 2 MiB pageblock of the section (262,144 / 512 * 4 bits = 256 B) = 320 B
            assertThat(k.mm.slab.count() - slabObjs0).isEqualTo(1);
            assertThat(k.mm.slab.bytes() - slab0).isEqualTo(320);
            assertThat(tablesVmemmap(k) - vm0).as("PMD table under PUD 1").isEqualTo(1);
            assertThat(tablesLinear(k) - lin0).as("linear PMD table + 512 PTE tables").isEqualTo(513);
            VmemAltmap a = altmap(k, "pmem0");
            assertThat(a.alloc).isEqualTo(4_096);
            assertThat(a.align).isEqualTo(510);
            assertThat(a.alloc + a.align).as("pool used exactly").isEqualTo(l.free());

            long start = memmapVa(VMEMMAP_4K, 12, l.basePfn());
            assertThat(start).isEqualTo(0xfffffe007ee00000L);
            assertThat(idx(start, 39, 512)).isEqualTo(508);
            assertThat(idx(start, 30, 512)).isEqualTo(1);
            assertThat(idx(start, 21, 512)).isEqualTo(503);
            for (int i = 0; i < 8; i++) {
                KernelPgtable.Translation t = k.mm.pgtable.translate(start + i * 2 * M);
                assertThat(t.level()).as("block %d is a PMD block", i).isEqualTo(2);
                // altmap trace: block i at base + 512 * (i + 1) (first request skips 510 pfns for alignment)
                assertThat(t.pa() >>> 12).isEqualTo(l.basePfn() + 512L * (i + 1));
            }
            assertThat(start + 16 * M).isEqualTo(0xfffffe007fe00000L);
            assertThat(k.mm.pgtable.entry(start + 16 * M, 2)).as("PMD 511 stays none").isZero();
            assertThat(Accounting.memmap(k).deviceBytes()).isEqualTo(16 * M);
            assertThat(Accounting.memmap(k).ramBytes()).isEqualTo(ramMemmap0);
            assertThat(pgmap(k, "pmem0").initReservedPages).isEqualTo(4_606);
            assertThat(pgmap(k, "pmem0").initDevicePages).isEqualTo(257_536);
            assertThat(pgmap(k, "pmem0").refs).isEqualTo(257_536);
        }

        @Test
        void memremapPages_poolStructPagesAreSelfHosted() {
            Kernel k = boot(P, Granule.G4K);
            k.check(addWithAltmap(k, "pmem0", DEV, G, l));
            for (long pfn : new long[] {l.basePfn() + 2, l.basePfn() + l.offset() - 1}) {
                long pa = k.mm.pgtable.translate(memmapVa(VMEMMAP_4K, 12, pfn)).pa();
                assertThat(pa >>> 12).as("struct page of pool pfn %x lives in block 1", pfn)
                        .isBetween(l.basePfn() + 512, l.basePfn() + 1023);
            }
        }

        @Test
        void memremapPages_rodataOn_onePageAndPudBlock() {
            Kernel k = boot(P, Granule.G4K, false);
            long free0 = freePages(k);
            k.check(addWithAltmap(k, "pmem0", DEV, G, l));
            assertThat(free0 - freePages(k)).isEqualTo(1);
            long lva = linearVa(PAGE_OFFSET_48, DEV);
            assertThat(lva).isEqualTo(0xffff001fc0000000L);
            assertThat(idx(lva, 30, 512)).isEqualTo(127);
            assertThat(k.mm.pgtable.translate(lva).level()).as("PUD block").isEqualTo(1);
        }

        @Test
        void memunmapPages_ramBackToBaselineAllocZeroAlignKept() {
            Kernel k = boot(P, Granule.G4K);
            long free0 = freePages(k);
            long bytes0 = ramFreeBytes(k);
            long slab0 = k.mm.slab.bytes();
            long vm0 = tablesVmemmap(k);
            long lin0 = tablesLinear(k);
            int warns0 = k.log.warnCount();
            k.check(addWithAltmap(k, "pmem0", DEV, G, l));
            VmemAltmap a = altmap(k, "pmem0");
            k.mmu.drainFreedLog();
            k.check(k.memunmap("pmem0"));

            assertThat(freePages(k)).isEqualTo(free0);
            assertThat(ramFreeBytes(k)).isEqualTo(bytes0);
            assertThat(a.alloc).isZero();
            assertThat(a.align).as("align is a counter, never given back").isEqualTo(510);
            assertThat(k.log.warnCount()).as("no 'failed to free all reserved pages'").isEqualTo(warns0);
            long start = 0xfffffe007ee00000L;
            assertThat(k.mm.pgtable.entry(start, 1)).as("PMD table under PUD 1 freed").isZero();
            assertThat(k.mm.pgtable.entry(start, 0)).as("PUD table of PGD 508 kept (boot memmap)").isNotZero();
            assertThat(tablesVmemmap(k)).isEqualTo(vm0);
            assertThat(tablesLinear(k)).isEqualTo(lin0);
            assertThat(k.mm.slab.bytes()).as("usage map freed, no new root").isEqualTo(slab0);
            List<Arm64Mmu.Freed> freed = k.mmu.drainFreedLog();
            assertThat(freed.stream().filter(f -> f.to().equals("altmap:pmem0")).mapToLong(Arm64Mmu.Freed::nrPages))
                    .as("vmem_altmap_free(512) x 8").containsExactly(512L, 512L, 512L, 512L, 512L, 512L, 512L, 512L);
            assertThat(freed.stream().filter(f -> f.to().equals("buddy")).mapToLong(Arm64Mmu.Freed::nrPages).sum())
                    .isEqualTo(514);
        }
    }

    /** 10.2: 16 GiB, altmap: 128 blocks, 2 PMD tables, 8,210 RAM pages (rodata=on: 2). */
    @Nested
    class Example10_2 {
        final PfnLayout l = PfnLayout.pmem(4096, DEV, 16 * G, 2 * M);

        @Test
        void nvdimmLayout_specNumbers() {
            assertThat(l.dataoff()).isEqualTo(258 * M);
            assertThat(l.npfns()).isEqualTo(4_128_256);
            assertThat(l.free()).isEqualTo(66_046);
            assertThat(l.offset()).isEqualTo(66_048);
            assertThat(l.endPfn()).isEqualTo(0x23FFFFFL);
        }

        @ParameterizedTest(name = "rodata_full={0}: {1} pages")
        @CsvSource({"true, 8210", "false, 2"})
        void memremapPages_ramPagesAndAltmap(boolean rodataFull, long pages) {
            Kernel k = boot(P, Granule.G4K, rodataFull);
            long free0 = freePages(k);
            long vm0 = tablesVmemmap(k);
            long slabObjs0 = k.mm.slab.count();
            k.check(addWithAltmap(k, "pmem0", DEV, 16 * G, l));
            assertThat(free0 - freePages(k)).isEqualTo(pages);
            assertThat(k.mm.slab.count() - slabObjs0).as("16 usage maps").isEqualTo(16);
            assertThat(tablesVmemmap(k) - vm0).isEqualTo(2);
            VmemAltmap a = altmap(k, "pmem0");
            assertThat(a.alloc).isEqualTo(65_536);
            assertThat(a.align).isEqualTo(510);
            long start = memmapVa(VMEMMAP_4K, 12, l.basePfn());
            long end = start + 256 * M;
            assertThat(end).isEqualTo(0xfffffe008ee00000L);
            long[] blocks = new long[1];
            k.mm.pgtable.walkLeaves(start, end, (va, n, level, d, s) -> {
                assertThat(level).isEqualTo(2);
                blocks[0] += n;
            });
            assertThat(blocks[0]).isEqualTo(128);
            long lastBlock = end - 2 * M;
            assertThat(idx(lastBlock, 30, 512)).isEqualTo(2);
            assertThat(idx(lastBlock, 21, 512)).isEqualTo(118);
            assertThat(k.mm.pgtable.entry(end, 2)).as("PMD 119 of PUD 2").isZero();
            assertThat(pgmap(k, "pmem0").initReservedPages).isEqualTo(66_046);
            assertThat(pgmap(k, "pmem0").initDevicePages).isEqualTo(4_128_256);
        }

        /** Ascending removal: the PUD-1 PMD table goes after section #129, the PUD-2 one after #143. */
        @Test
        void memunmapPages_tablesFreedWhenTheirLastSectionGoes() {
            Kernel k = boot(P, Granule.G4K);
            long free0 = freePages(k);
            k.check(addWithAltmap(k, "pmem0", DEV, 16 * G, l));
            VmemAltmap a = altmap(k, "pmem0");
            k.mmu.drainFreedLog();
            k.check(k.memunmap("pmem0"));
            List<Arm64Mmu.Freed> freed = k.mmu.drainFreedLog();
            // sections #128, #129: 16 blocks, then the PUD-1 PMD table; #130..#143: 112 blocks, then PUD 2's
            for (int i = 0; i < 16; i++) {
                assertThat(freed.get(i).to()).isEqualTo("altmap:pmem0");
            }
            assertThat(freed.get(16).to()).isEqualTo("buddy");
            for (int i = 17; i < 129; i++) {
                assertThat(freed.get(i).to()).isEqualTo("altmap:pmem0");
            }
            assertThat(freed.get(129).to()).isEqualTo("buddy");
            assertThat(freePages(k)).isEqualTo(free0);
            assertThat(a.alloc).isZero();
            assertThat(a.align).isEqualTo(510);
        }
    }

    /** 10.3: without an altmap the memmap comes from RAM as order-9 blocks. */
    @Nested
    class Example10_3 {
        @ParameterizedTest(name = "{0} GiB rodata_full={1}: {2} pages")
        @CsvSource({"1, true, 4610", "1, false, 4097", "16, true, 73746", "16, false, 65538"})
        void memremapPages_noAltmap(long gib, boolean rodataFull, long pages) {
            Kernel k = boot(P, Granule.G4K, rodataFull);
            long free0 = freePages(k);
            long ramMemmap0 = Accounting.memmap(k).ramBytes();
            k.check(addWithoutAltmap(k, "pmem0", DEV, gib * G));
            assertThat(free0 - freePages(k)).isEqualTo(pages);
            long blocks = k.mm.buddy.allocations().stream()
                    .filter(x -> x.site().equals("vmemmap_alloc_block_buf") && x.order() == 9).count();
            assertThat(blocks).as("order-9 memmap blocks").isEqualTo(8 * gib);
            assertThat(Accounting.memmap(k).ramBytes() - ramMemmap0).isEqualTo(16 * M * gib);
            assertThat(Accounting.memmap(k).deviceBytes()).isZero();
            assertThat(pgmap(k, "pmem0").initReservedPages).isZero();
            assertThat(pgmap(k, "pmem0").initDevicePages).isEqualTo(262_144 * gib);
            assertThat(pgmap(k, "pmem0").refs).isEqualTo(262_144 * gib);
            k.check(k.memunmap("pmem0"));
            assertThat(freePages(k)).isEqualTo(free0);
        }
    }

    /**
     * 10.5: 64K pages, 3 levels. The memmap is 16 (1 GiB) / 256 (16 GiB) base pages taken one pfn at a
     * time, so the altmap never wastes a pfn on alignment; they land in the boot memmap's PTE table.
     *
     * <p>Spec error: 10.5 gives end_pfn 0x20FFFF for the 1 GiB device; 1 GiB is 0x4000 pages of 64K,
     * so the last pfn is 0x203FFF (0x23FFFF for 16 GiB is right).
     */
    @Nested
    class Example10_5 {
        @ParameterizedTest(name = "{0} GiB align {1} MiB: free {2}, alloc {3}")
        @CsvSource({"1, 2, 31, 16, 15, 2", "1, 512, 8191, 16, 8175, 2", "16, 2, 287, 256, 31, 32"})
        void memremapPages_64K(long gib, long alignMib, long free, long alloc, long unused, long pteTables) {
            PfnLayout l = PfnLayout.pmem(64 * 1024, DEV, gib * G, alignMib * M);
            assertThat(l.reserve()).isEqualTo(1);
            assertThat(l.free()).isEqualTo(free);
            assertThat(l.basePfn()).isEqualTo(0x200000L);
            assertThat(l.endPfn()).isEqualTo(0x200000L + gib * 0x4000 - 1);
            Kernel k = boot(P, Granule.G64K);
            long free0 = freePages(k);
            long vm0 = tablesVmemmap(k);
            long lin0 = tablesLinear(k);
            k.check(addWithAltmap(k, "pmem0", DEV, gib * G, l));

            VmemAltmap a = altmap(k, "pmem0");
            assertThat(a.endPfn).isEqualTo(l.endPfn());
            assertThat(a.alloc).isEqualTo(alloc);
            assertThat(a.align).isZero();
            assertThat(a.free - a.alloc - a.align).as("unused pool pfns").isEqualTo(unused);
            assertThat(tablesVmemmap(k)).as("no new vmemmap tables").isEqualTo(vm0);
            assertThat(tablesLinear(k) - lin0).isEqualTo(pteTables);
            assertThat(free0 - freePages(k)).isEqualTo(pteTables);

            long start = memmapVa(VMEMMAP_64K, 16, l.basePfn());
            assertThat(start).isEqualTo(0xffffffe007d00000L);
            assertThat(idx(start, 42, 64)).isEqualTo(63);
            assertThat(idx(start, 29, 8192)).isEqualTo(7936);
            assertThat(idx(start, 16, 8192)).isEqualTo(2000);
            for (long i = 0; i < alloc; i++) {
                KernelPgtable.Translation t = k.mm.pgtable.translate(start + i * 64 * 1024);
                assertThat(t.level()).isEqualTo(2);
                assertThat(t.pa() >>> 16).isEqualTo(l.basePfn() + 1 + i);
            }
            long lva = linearVa(PAGE_OFFSET_48, DEV);
            assertThat(idx(lva, 42, 64)).isZero();
            assertThat(idx(lva, 29, 8192)).isEqualTo(254);

            k.check(k.memunmap("pmem0"));
            assertThat(freePages(k)).isEqualTo(free0);
            assertThat(a.alloc).isZero();
            assertThat(k.mm.pgtable.entry(start, 1)).as("boot-shared PTE table under PMD 7936 kept").isNotZero();
            assertThat(k.mm.pgtable.entry(start, 2)).isZero();
            assertThat(tablesLinear(k)).isEqualTo(lin0);
        }

        @ParameterizedTest(name = "{0} GiB: rodata=on needs no RAM")
        @ValueSource(longs = {1, 16})
        void memremapPages_64K_rodataOn(long gib) {
            Kernel k = boot(P, Granule.G64K, false);
            long free0 = freePages(k);
            k.check(addWithAltmap(k, "pmem0", DEV, gib * G, PfnLayout.pmem(64 * 1024, DEV, gib * G, 2 * M)));
            assertThat(freePages(k)).isEqualTo(free0);
        }

        @ParameterizedTest(name = "{0} GiB without altmap: {1} pages")
        @CsvSource({"1, 18", "16, 288"})
        void memremapPages_64K_noAltmap(long gib, long pages) {
            Kernel k = boot(P, Granule.G64K);
            long free0 = freePages(k);
            k.check(addWithoutAltmap(k, "pmem0", DEV, gib * G));
            assertThat(free0 - freePages(k)).isEqualTo(pages);
            k.check(k.memunmap("pmem0"));
            assertThat(freePages(k)).isEqualTo(free0);
        }
    }

    /** 10.6: 16K pages, VA 47, 3 levels: 34 RAM pages (rodata=on: 2), alloc 256 / align 0. */
    @Nested
    class Example10_6 {
        @ParameterizedTest(name = "align {0} MiB, rodata_full={2}: {3} pages")
        @CsvSource({"32, 2047, true, 34", "2, 383, true, 34", "32, 2047, false, 2", "2, 383, false, 2"})
        void memremapPages_16K(long alignMib, long free, boolean rodataFull, long pages) {
            PfnLayout l = PfnLayout.pmem(16 * 1024, DEV, G, alignMib * M);
            assertThat(l.reserve()).isEqualTo(1);
            assertThat(l.free()).isEqualTo(free);
            Kernel k = boot(P, Granule.G16K, rodataFull);
            assertThat(k.g.vaBits).isEqualTo(47);
            long free0 = freePages(k);
            long vm0 = tablesVmemmap(k);
            k.check(addWithAltmap(k, "pmem0", DEV, G, l));
            assertThat(free0 - freePages(k)).isEqualTo(pages);
            assertThat(tablesVmemmap(k) - vm0).as("one PTE table under PMD 15").isEqualTo(1);
            VmemAltmap a = altmap(k, "pmem0");
            assertThat(a.alloc).isEqualTo(256);
            assertThat(a.align).isZero();

            long start = memmapVa(VMEMMAP_16K, 14, l.basePfn());
            assertThat(start).isEqualTo(0xffffffc01fa00000L);
            assertThat(idx(start, 36, 2048)).isEqualTo(2044);
            assertThat(idx(start, 25, 2048)).isEqualTo(15);
            assertThat(k.mm.pgtable.translate(start).pa() >>> 14).isEqualTo(l.basePfn() + 1);
            long lva = linearVa(PAGE_OFFSET_47, DEV);
            assertThat(lva).isEqualTo(0xffff801fc0000000L);
            assertThat(idx(lva, 36, 2048)).isEqualTo(1);

            k.check(k.memunmap("pmem0"));
            assertThat(freePages(k)).isEqualTo(free0);
            assertThat(a.alloc).isZero();
        }
    }
}
