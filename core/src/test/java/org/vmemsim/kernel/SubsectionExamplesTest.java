package org.vmemsim.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vmemsim.kernel.SpecMachine.DEV;
import static org.vmemsim.kernel.SpecMachine.G;
import static org.vmemsim.kernel.SpecMachine.M;
import static org.vmemsim.kernel.SpecMachine.addWithAltmap;
import static org.vmemsim.kernel.SpecMachine.altmap;
import static org.vmemsim.kernel.SpecMachine.boot;
import static org.vmemsim.kernel.SpecMachine.freePages;
import static org.vmemsim.kernel.SpecMachine.memmapVa;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.vmemsim.arch.Granule;
import org.vmemsim.arch.KernelProfile;
import org.vmemsim.kernel.SpecMachine.PfnLayout;
import org.vmemsim.kernel.SpecMachine.State;
import org.vmemsim.mm.memremap.DevPagemap;
import org.vmemsim.mm.memremap.MemoryType;
import org.vmemsim.mm.sparse.MemSection;
import org.vmemsim.mm.vmemmap.VmemAltmap;
import org.vmemsim.util.Errno;
import org.vmemsim.view.Accounting;

/**
 * kernel-semantics.md 10.10 and 10.11 on 4K pages: devices whose memmap does not fill whole PMD
 * blocks (hazards H1 and H7), in the 5.9 profile and in mainline.
 *
 * <p>Where a test needs the altmap after a failed {@code memremap_pages} it plays the driver: it
 * owns the {@code dev_pagemap} (as nvdimm's {@code struct pmem_device} does) and calls the kernel
 * entry point directly, so the altmap's counters can be read after the pgmap was refused.
 */
class SubsectionExamplesTest {
    static final long VMEMMAP_E59 = 0xfffffdffffe00000L;
    static final long VMEMMAP_ML = 0xfffffdffc0000000L;

    /** The driver's pgmap with the altmap of {@code l} (spec 8.2), handed to memremap_pages directly. */
    static DevPagemap driverPgmap(String id, long start, long size, PfnLayout l) {
        VmemAltmap a = new VmemAltmap(id, l.basePfn(), l.endPfn(), l.reserve(), l.free());
        return new DevPagemap(id, MemoryType.FS_DAX, start, size, a);
    }

    /** 10.10: a 64 MiB namespace (32 sub-sections, memmap 1 MiB = half a PMD block). */
    @Nested
    class Example10_10 {
        final PfnLayout l = PfnLayout.pmem(4096, DEV, 64 * M, 2 * M);

        @Test
        void nvdimmLayout_specNumbers() {
            assertThat(l.dataoff()).isEqualTo(2 * M);
            assertThat(l.reserve()).isEqualTo(2);
            assertThat(l.free()).isEqualTo(510);
            assertThat(l.npfns()).isEqualTo(15_872);
        }

        /** 5.9: one 2 MiB block needs 510 + 512 = 1,022 pfns of a 510-pfn pool: -ENOMEM, fully rolled back. */
        @Test
        void memremapPages_e59_enomemAndStateAsBefore() {
            Kernel k = boot(KernelProfile.V5_9, Granule.G4K);
            State before = State.of(k);
            int warns0 = k.log.warnCount();
            int ret = addWithAltmap(k, "pmem0", DEV, 64 * M, l);
            assertThat(ret).isEqualTo(Errno.ENOMEM.neg());
            before.assertUnchanged(k);
            assertThat(k.log.warnCount()).as("an altmap that is too small is not a WARN").isEqualTo(warns0);
        }

        @Test
        void memremapPages_e59_failedBlockLeavesAltmapCountersAlone() {
            Kernel k = boot(KernelProfile.V5_9, Granule.G4K);
            DevPagemap pg = driverPgmap("pmem0", DEV, 64 * M, l);
            assertThat(k.memremap.memremapPages(pg, 0)).isEqualTo(Errno.ENOMEM.neg());
            assertThat(pg.altmap.alloc).isZero();
            assertThat(pg.altmap.align).isZero();
        }

        /** Mainline: a sub-section request is populated with 256 base pages from the pool. */
        @Test
        void memremapPages_mainline_basePages() {
            Kernel k = boot(KernelProfile.MAINLINE, Granule.G4K);
            long free0 = freePages(k);
            long vm0 = Accounting.tables(k).vmemmap();
            k.check(addWithAltmap(k, "pmem0", DEV, 64 * M, l));
            VmemAltmap a = altmap(k, "pmem0");
            assertThat(a.alloc).isEqualTo(256);
            assertThat(a.align).isZero();
            // vmemmap: PGD 508 is empty in the v6.9+ layout -> PUD + PMD + PTE tables;
            // linear map of 64 MiB with rodata_full: PMD table under PUD 127 + 32 PTE tables
            assertThat(Accounting.tables(k).vmemmap() - vm0).isEqualTo(3);
            assertThat(free0 - freePages(k)).isEqualTo(3 + 1 + 32);
            long start = memmapVa(VMEMMAP_ML, 12, l.basePfn());
            assertThat(start).isEqualTo(0xfffffe003f000000L);
            for (long i = 0; i < 256; i++) {
                var t = k.mm.pgtable.translate(start + i * 4096);
                assertThat(t.level()).as("base page").isEqualTo(3);
                assertThat(t.pa() >>> 12).isEqualTo(l.basePfn() + 2 + i);
            }
            assertThat(k.mm.pgtable.translate(start + 256 * 4096)).isNull();
            k.check(k.memunmap("pmem0"));
            assertThat(freePages(k)).isEqualTo(free0);
            assertThat(a.alloc).isZero();
        }
    }

    /**
     * 10.11: 1 GiB at 0x20_0400_0000, 2 MiB but not 128 MiB aligned; the memmap starts 1 MiB into a
     * PMD block.
     */
    @Nested
    class Example10_11 {
        static final long START = 0x20_0400_0000L;
        final PfnLayout l = PfnLayout.pmem(4096, START, G, 2 * M);

        @Test
        void nvdimmLayout_specNumbers() {
            assertThat(l.dataoff()).isEqualTo(18 * M);
            assertThat(l.reserve()).isEqualTo(2);
            assertThat(l.free()).isEqualTo(4_606);
            assertThat(l.basePfn()).isEqualTo(0x2004000L);
        }

        /**
         * 5.9: section #128 takes 8 blocks (PMD 503..510) and empties the pool, #129 needs PMD 511 and
         * fails. #129 is rolled back, #128 stays (H7): alloc 4,096 is never returned, its PMD table
         * and usage map stay, the linear map is gone.
         */
        @Test
        void memremapPages_e59_enomemLeaksSection128() {
            Kernel k = boot(KernelProfile.V5_9, Granule.G4K);
            long free0 = freePages(k);
            long lin0 = Accounting.tables(k).linear();
            DevPagemap pg = driverPgmap("pmem0", START, G, l);
            assertThat(k.memremap.memremapPages(pg, 0)).isEqualTo(Errno.ENOMEM.neg());

            assertThat(pg.altmap.alloc).isEqualTo(4_096);
            assertThat(pg.altmap.align).isEqualTo(510);
            assertThat(k.memremap.pgmaps()).isEmpty();
            MemSection s128 = k.sparse.nrToSection(128);
            assertThat(s128.present()).isTrue();
            assertThat(s128.valid()).isTrue();
            // pfn 0x2004000 is 0x4000 pfns = sub-section 32 into #128: bits 32..511 are set
            assertThat(s128.usage.cardinality()).isEqualTo(512 - 32);
            assertThat(s128.usage.test(31)).isFalse();
            MemSection s129 = k.sparse.nrToSection(129);
            assertThat(s129.present()).isFalse();
            assertThat(s129.usage).isNull();

            long start = memmapVa(VMEMMAP_E59, 12, l.basePfn());
            assertThat(start).isEqualTo(0xfffffe007ef00000L);
            // block 1 covers PMD 503 from its start, i.e. also the memmap of the 64 MiB below the namespace
            var first = k.mm.pgtable.translate(start & -(2 * M));
            assertThat(first.level()).isEqualTo(2);
            assertThat(first.pa() >>> 12).isEqualTo(l.basePfn() + 512);
            assertThat(k.mm.pgtable.translate(start).pa()).isEqualTo(((l.basePfn() + 512) << 12) + M);
            assertThat(k.mm.pgtable.entry(0xfffffe007fe00000L, 2)).as("PMD 511 rolled back").isZero();
            assertThat(free0 - freePages(k)).as("only the vmemmap PMD table").isEqualTo(1);
            assertThat(Accounting.tables(k).linear()).as("linear map removed").isEqualTo(lin0);
            assertThat(k.mm.pgtable.translate(k.mm.physToVirt(START))).isNull();
        }

        /** 5.9: the driver probes again with a fresh altmap; #128's sub-sections are still active. */
        @Test
        void memremapPages_e59_retryGetsEexist() {
            Kernel k = boot(KernelProfile.V5_9, Granule.G4K);
            assertThat(k.memremap.memremapPages(driverPgmap("pmem0", START, G, l), 0)).isEqualTo(Errno.ENOMEM.neg());
            long free1 = freePages(k);
            DevPagemap retry = driverPgmap("pmem0", START, G, l);
            assertThat(k.memremap.memremapPages(retry, 0)).isEqualTo(Errno.EEXIST.neg());
            assertThat(k.log.lastErrorFunction()).isEqualTo("fill_subsection_map");
            assertThat(retry.altmap.alloc).isZero();
            assertThat(freePages(k)).isEqualTo(free1);
            assertThat(addWithAltmap(k, "pmem0", START, G, l)).isEqualTo(Errno.EEXIST.neg());
        }

        /**
         * Mainline: 256 base pages for the 64 MiB head, 7 blocks (the first after skipping 254 pfns),
         * 256 base pages for the 64 MiB tail: alloc 4,096, align 254.
         */
        @Test
        void memremapPages_mainline_ok() {
            Kernel k = boot(KernelProfile.MAINLINE, Granule.G4K);
            long free0 = freePages(k);
            k.check(addWithAltmap(k, "pmem0", START, G, l));
            VmemAltmap a = altmap(k, "pmem0");
            assertThat(a.alloc).isEqualTo(4_096);
            assertThat(a.align).isEqualTo(254);
            assertThat(a.free - a.alloc - a.align).as("unused pool pfns").isEqualTo(256);

            long base = l.basePfn();
            long start = memmapVa(VMEMMAP_ML, 12, base);
            assertThat(start).isEqualTo(0xfffffe003f100000L);
            var head = k.mm.pgtable.translate(start);
            assertThat(head.level()).isEqualTo(3);
            assertThat(head.pa() >>> 12).isEqualTo(base + 2);
            // section #1025 (pfn 0x2008000) is the first full one: a block at base + 2 + 256 + 254
            var block = k.mm.pgtable.translate(memmapVa(VMEMMAP_ML, 12, 0x2008000L));
            assertThat(block.level()).isEqualTo(2);
            assertThat(block.pa() >>> 12).isEqualTo(base + 512);
            // section #1032 (pfn 0x2040000) is the 64 MiB tail: base pages after the 7 blocks
            var tail = k.mm.pgtable.translate(memmapVa(VMEMMAP_ML, 12, 0x2040000L));
            assertThat(tail.level()).isEqualTo(3);
            assertThat(tail.pa() >>> 12).isEqualTo(base + 512 + 7 * 512);
            // vmemmap: PUD table (PGD 508), 2 PMD tables (PUD 0, PUD 1), 2 PTE tables (head, tail);
            // linear: PUD 127 and 128 get a PMD table each, 512 PTE tables
            assertThat(free0 - freePages(k)).isEqualTo(1 + 2 + 2 + 2 + 512);

            k.check(k.memunmap("pmem0"));
            assertThat(freePages(k)).isEqualTo(free0);
            assertThat(a.alloc).isZero();
            assertThat(a.align).isEqualTo(254);
        }
    }
}
