package org.vmemsim.arch.riscv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.vmemsim.arch.Arch;
import org.vmemsim.arch.Geometry;
import org.vmemsim.arch.Granule;
import org.vmemsim.arch.KernelProfile;

/**
 * riscv64 geometry against Documentation/arch/riscv/vm-layout.rst (the tables of the 6.1 era and of
 * "riscv: Extend sv39 linear mapping max size to 128G") and the formulas of asm/pgtable.h.
 */
class RiscvGeometryTest {
    static final long GIB = 1L << 30;
    static final long TIB = 1L << 40;
    static final long PIB = 1L << 50;

    @Test
    void parse_acceptsRiscvSpellings() {
        assertThat(Arch.parse("riscv64")).isEqualTo(Arch.RISCV64);
        assertThat(Arch.parse("riscv")).isEqualTo(Arch.RISCV64);
        assertThat(Arch.RISCV64.label).isEqualTo("riscv64");
        assertThatThrownBy(() -> Arch.parse("mips")).hasMessageContaining("riscv64, ia64");
    }

    /** vm-layout.rst rows: PAGE_OFFSET, vmemmap start and size, and the start of the KASAN shadow (PAGE_END). */
    @ParameterizedTest(name = "{0} Sv{1}")
    @CsvSource({
        "6.1,      39, ffffffd800000000, ffffffc700000000, 4,       fffffff700000000",
        "6.12,     39, ffffffd600000000, ffffffc500000000, 4,       fffffff700000000",
        "mainline, 39, ffffffd600000000, ffffffc500000000, 4,       fffffff700000000",
        "6.1,      48, ffffaf8000000000, ffff8d8000000000, 2048,    ffffef8000000000",
        "mainline, 48, ffffaf8000000000, ffff8d8000000000, 2048,    ffffef8000000000",
        "6.12,     57, ff60000000000000, ff1c000000000000, 1048576, ffdf000000000000",
    })
    void layout_matchesVmLayout(String profile, int va, String pageOffset, String vmemmap, long vmemmapGib, String pageEnd) {
        Geometry g = RiscvGeometry.of(Granule.G4K, va, KernelProfile.parse(profile));
        assertThat(g.pageOffset).isEqualTo(Long.parseUnsignedLong(pageOffset, 16));
        assertThat(g.vmemmapStart).isEqualTo(Long.parseUnsignedLong(vmemmap, 16));
        assertThat(g.vmemmapSize).isEqualTo(vmemmapGib * GIB);
        assertThat(g.vmemmapEnd).isEqualTo(g.vmemmapStart + vmemmapGib * GIB);
        assertThat(g.pageEnd).isEqualTo(Long.parseUnsignedLong(pageEnd, 16));
    }

    @Test
    void layout_sv39Linear124GiBIn61() {
        // vm-layout.rst of 6.1: "124 GB | direct mapping of all physical memory"
        assertThat(RiscvGeometry.of(Granule.G4K, 39, KernelProfile.V6_1).linearRegionSize()).isEqualTo(124 * GIB);
        // vmalloc is 64 GiB right below PAGE_OFFSET, vmemmap right below it
        Geometry g = RiscvGeometry.of(Granule.G4K, 39, KernelProfile.V6_12);
        assertThat(g.pageOffset - g.vmemmapEnd).isEqualTo(64 * GIB);
        Geometry g48 = RiscvGeometry.of(Granule.G4K, 48, KernelProfile.MAINLINE);
        assertThat(g48.linearRegionSize()).isEqualTo(64 * TIB);
        assertThat(g48.pageOffset - g48.vmemmapEnd).isEqualTo(32 * TIB);
        Geometry g57 = RiscvGeometry.of(Granule.G4K, 57, KernelProfile.MAINLINE);
        assertThat(g57.pageOffset - g57.vmemmapEnd).isEqualTo(16 * PIB);
    }

    @Test
    void layout_5xIsSv39AtCONFIG_PAGE_OFFSET() {
        Geometry g = RiscvGeometry.of(Granule.G4K, 39, KernelProfile.V5_9);
        assertThat(g.pageOffset).isEqualTo(0xffffffe000000000L);
        // VMALLOC_SIZE = KERN_VIRT_SIZE / 2 = 128 GiB / 2; vmemmap 2^(39 - 12 - 1 + 6) below it
        assertThat(g.vmemmapEnd).isEqualTo(0xffffffe000000000L - 64 * GIB);
        assertThat(g.vmemmapStart).isEqualTo(0xffffffcf00000000L);
        assertThat(RiscvGeometry.vmemmapFromPfnZero(KernelProfile.V5_9)).isTrue();
        assertThat(RiscvGeometry.vmemmapFromPfnZero(KernelProfile.V6_1)).isFalse();
        assertThatThrownBy(() -> RiscvGeometry.of(Granule.G4K, 48, KernelProfile.V5_8))
                .hasMessage("VA size 48 is not valid for riscv64 kernel 5.8 (valid: 39, Sv39 only before 5.17)");
    }

    @Nested
    class Levels {
        @ParameterizedTest(name = "Sv{0}")
        @CsvSource({"39, 3, 30", "48, 4, 39", "57, 5, 48"})
        void levelsAndShifts(int va, int levels, int pgdirShift) {
            Geometry g = RiscvGeometry.of(Granule.G4K, va, KernelProfile.MAINLINE);
            assertThat(g.levels).isEqualTo(levels);
            assertThat(g.pgdirShift).isEqualTo(pgdirShift);
            assertThat(g.shift(g.leafLevel())).isEqualTo(12);
            assertThat(g.pmdSize).isEqualTo(2L << 20);
            for (int l = 0; l < levels; l++) {
                assertThat(g.ptrs(l)).isEqualTo(512);
            }
            assertThat(g.blockAllowed(g.pmdLevel())).isTrue();
            assertThat(g.blockAllowed(0)).isFalse();
            // 6.4+ linear map: 1 GiB (PUD) leaves with Sv48/Sv57, 512 GiB (P4D) with Sv57
            assertThat(g.pudLevel() >= 0 && g.blockAllowed(g.pudLevel())).isEqualTo(levels > 3);
        }

        @Test
        void sparsemem() {
            Geometry g = RiscvGeometry.of(Granule.G4K, 39, KernelProfile.V6_12);
            assertThat(g.sectionSizeBits).isEqualTo(27);
            assertThat(g.maxPhysmemBits).isEqualTo(56);
            assertThat(g.pagesPerSection).isEqualTo((128L << 20) / 4096);
            assertThat(g.nrMemSections).isEqualTo(1L << (56 - 27));
            assertThat(g.memstartAlign).isEqualTo(2L << 20);
        }

        @Test
        void of_rejectsOtherGranules() {
            assertThatThrownBy(() -> RiscvGeometry.of(Granule.G16K, 39, KernelProfile.MAINLINE))
                    .hasMessage("granule 16K is not valid for riscv64: PAGE_SHIFT is always 12 (valid: 4K)");
            assertThatThrownBy(() -> RiscvGeometry.of(Granule.G4K, 52, KernelProfile.MAINLINE))
                    .hasMessageContaining("valid: 39 Sv39, 48 Sv48, 57 Sv57");
        }
    }

    @Nested
    class Pte {
        final RiscvPte f = new RiscvPte(12);

        @Test
        void entry_ppnAtBit10() {
            long d = f.mkPageKernel(0x8020_0000L);
            // pfn 0x80200 << 10 | D A G W R V (0xe7)
            assertThat(d).isEqualTo((0x80200L << 10) | 0xe7);
            assertThat(f.outputAddress(d)).isEqualTo(0x8020_0000L);
            assertThat(f.isPage(d, 2, 3)).isTrue();
            assertThat(f.isBlock(d, 1, 3)).isTrue();
            long t = f.mkTable(0x1000L);
            assertThat(t).isEqualTo((1L << 10) | 1);
            assertThat(f.isTable(t, 0, 3)).isTrue();
            assertThat(f.isBlock(t, 0, 3)).isFalse();
        }
    }
}
