package org.vmemsim.arch.arm64.mm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.vmemsim.arch.Granule;
import org.vmemsim.arch.KernelProfile;
import org.vmemsim.kernel.Kernel;
import org.vmemsim.kernel.MachineSpec;
import org.vmemsim.mm.vmemmap.VmemAltmap;

/**
 * {@code arch/arm64/mm/mmu.c}: the per-profile {@code vmemmap_populate} choices of
 * kernel-semantics.md 4.1 on the device of 10.0 (4K, pfn 0x2000000), the floor/ceiling rule of
 * {@code pgtable_range_aligned} (4.5) on the windows named in 4.5 and 10.1/10.7, and the altmap side
 * of {@code free_hotplug_page_range} (4.4).
 */
class Arm64MmuTest {
    static final long SZ_1M = 1L << 20;
    static final long SZ_2M = 2L << 20;
    static final long BASE = 0x2000000L;

    static Kernel boot(KernelProfile p) {
        MachineSpec s = MachineSpec.defaults();
        s.profile = p;
        return Kernel.boot(s);
    }

    @Nested
    class PgtableRangeAligned {
        static final long E59_START = 0xfffffdffffe00000L;
        static final long E59_END = 0xffffffffffe00000L;
        static final long PUD_MASK = -(1L << 30);
        static final long PGDIR_MASK = -(1L << 39);

        /** 10.1: the PMD table under PUD 1 maps [0xfffffe0040000000, +1 GiB), inside the vmemmap. */
        @Test
        void pgtableRangeAligned_e59Pud1PmdTable_true() {
            assertThat(Arm64Mmu.pgtableRangeAligned(0xfffffe007ee00000L, 0xfffffe007fe00000L, E59_START, E59_END,
                    PUD_MASK)).isTrue();
        }

        /** L3: the E5.9 tables whose window holds the 2 MiB aligned VMEMMAP_START / VMEMMAP_END. */
        @Test
        void pgtableRangeAligned_e59WindowsAcrossFloorOrCeiling_false() {
            assertThat(Arm64Mmu.pgtableRangeAligned(E59_START, E59_START + SZ_2M, E59_START, E59_END, PUD_MASK))
                    .isFalse();
            assertThat(Arm64Mmu.pgtableRangeAligned(E59_END - SZ_2M, E59_END, E59_START, E59_END, PUD_MASK))
                    .isFalse();
        }

        /** 10.7: the PUD table of PGD 508 maps [0xfffffe0000000000, 0xffffff0000000000): freeable in mainline. */
        @Test
        void pgtableRangeAligned_mainlinePgd508_true() {
            assertThat(Arm64Mmu.pgtableRangeAligned(0xfffffe003f000000L, 0xfffffe0040000000L, 0xfffffdffc0000000L,
                    0xffffffffc0000000L, PGDIR_MASK)).isTrue();
        }

        @Test
        void pgtableRangeAligned_ceilingZeroMeansTopOfSpace_ceilingMaskedToZero_false() {
            assertThat(Arm64Mmu.pgtableRangeAligned(0xfffffe0040000000L, 0xfffffe0040200000L, 0, 0, PUD_MASK)).isTrue();
            assertThat(Arm64Mmu.pgtableRangeAligned(0, 0x1000, 0, 0x1000, PUD_MASK)).isFalse();
        }
    }

    /**
     * 4.1 per profile, for the first section's memmap of the 10.0 device on 4K: a 1 MiB (32 sub-
     * section) request and a full-section request, each with an altmap pool of {@code free} pfns.
     */
    @Nested
    class VmemmapPopulate {
        long start(Kernel k) {
            return k.mm.pfnToPage(BASE);
        }

        /** H1: 5.9 asks for a whole 2 MiB block even for 1 MiB of memmap; 6.12/mainline use base pages. */
        @ParameterizedTest(name = "{0}: {1}")
        @CsvSource({"5.9, -12, 0", "6.1, 0, 256", "6.12, 0, 256", "mainline, 0, 256"})
        void vmemmapPopulate_subsectionRange(String profile, int ret, long alloc) {
            Kernel k = boot(KernelProfile.parse(profile));
            VmemAltmap a = new VmemAltmap("pmem0", BASE, BASE + 16_383, 2, 510);
            assertThat(k.mmu.vmemmapPopulate(start(k), start(k) + SZ_1M, 0, a)).isEqualTo(ret);
            assertThat(a.alloc).isEqualTo(alloc);
            assertThat(a.align).isZero();
        }

        /**
         * A full 128 MiB section (2 MiB of memmap) with a 600-pfn pool: the block needs 510 + 512.
         * 6.1 (arm64's own loop with 9f84f39f5515) falls back to base pages from the same altmap;
         * 6.12/mainline (generic hugepages) do not fall back when an altmap is given.
         */
        @ParameterizedTest(name = "{0}: {1}")
        @CsvSource({"6.1, 0, 512", "6.12, -12, 0", "mainline, -12, 0"})
        void vmemmapPopulate_fullSectionBlockDoesNotFit(String profile, int ret, long alloc) {
            Kernel k = boot(KernelProfile.parse(profile));
            VmemAltmap a = new VmemAltmap("pmem0", BASE, BASE + 32_767, 2, 600);
            assertThat(k.mmu.vmemmapPopulate(start(k), start(k) + SZ_2M, 0, a)).isEqualTo(ret);
            assertThat(a.alloc).isEqualTo(alloc);
            if (ret == 0) {
                var t = k.mm.pgtable.translate(start(k));
                assertThat(t.level()).as("base page").isEqualTo(3);
                assertThat(t.pa() >>> 12).isEqualTo(BASE + 2);
            }
        }

        /**
         * The vmemmap_check_pmd hook (H4), called directly: after a sub-section populate left a PTE table in the PMD, a full-section request finds
         * the PMD present. 6.12's vmemmap_check_pmd says "populated" and the rest stays unmapped;
         * mainline checks for a block and fills the PTE table.
         */
        @ParameterizedTest(name = "{0}: second half mapped = {1}")
        @CsvSource({"6.12, false", "mainline, true"})
        void vmemmapPopulate_pmdHoldingPteTable(String profile, boolean secondHalfMapped) {
            Kernel k = boot(KernelProfile.parse(profile));
            assertThat(k.mmu.vmemmapPopulate(start(k), start(k) + 32 * 1024, 0, null)).isZero();
            assertThat(k.mmu.vmemmapPopulate(start(k), start(k) + SZ_2M, 0, null)).isZero();
            assertThat(k.mm.pgtable.translate(start(k) + SZ_1M) != null).isEqualTo(secondHalfMapped);
        }
    }

    @Nested
    class FreeHotplugPageRange {
        /** 4.4: with an altmap a freed block only decrements alloc; nothing reaches the buddy (I1). */
        @Test
        void freeHotplugPageRange_altmap_onlyCounter() {
            Kernel k = boot(KernelProfile.V5_9);
            VmemAltmap a = new VmemAltmap("pmem0", BASE, BASE + 262_143, 2, 4_606);
            a.alloc = 4_096;
            long free0 = k.mm.buddy.nrFreePages();
            k.mmu.freeHotplugPageRange(BASE + 512, SZ_2M, a);
            assertThat(a.alloc).isEqualTo(4_096 - 512);
            assertThat(k.mm.buddy.nrFreePages()).isEqualTo(free0);
        }

        /** 4.3 step 1: an altmap without free_mapped is a WARN, and the walk goes on. */
        @Test
        void unmapHotplugRange_altmapWithoutFreeMapped_warns() {
            Kernel k = boot(KernelProfile.V5_9);
            VmemAltmap a = new VmemAltmap("pmem0", BASE, BASE + 262_143, 2, 4_606);
            int w0 = k.log.warnCount();
            long va = k.mm.physToVirt(0x20_0000_0000L);
            k.mmu.unmapHotplugRange(va, va + SZ_2M, false, a);
            assertThat(k.log.warnCount() - w0).isEqualTo(1);
        }
    }
}
