package org.vmemsim.arch.ia64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.vmemsim.arch.Arch;
import org.vmemsim.arch.Geometry;
import org.vmemsim.arch.Granule;
import org.vmemsim.arch.KernelProfile;

/** ia64 geometry from the formulas of asm/pgtable.h, page.h and sparsemem.h, computed here. */
class Ia64GeometryTest {
    @Test
    void parse_ia64() {
        assertThat(Arch.parse("IA64")).isEqualTo(Arch.IA64);
    }

    /** page size, PMD_SHIFT, PGDIR_SHIFT, VMALLOC_END offset in region 5, SECTION_SIZE_BITS. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"G16K, 14, 25, 36, 46, 30", "G64K, 16, 29, 42, 54, 32"})
    void of_threeLevelGeometry(Granule gr, int ps, int pmdShift, int pgdirShift, int vmallocEndBits, int sectionBits) {
        Geometry g = Ia64Geometry.of(gr, Ia64Geometry.defaultVaBits(gr), KernelProfile.V6_1);
        assertThat(g.levels).isEqualTo(3);
        assertThat(g.pageShift).isEqualTo(ps);
        assertThat(g.pmdShift).isEqualTo(pmdShift);
        assertThat(g.pgdirShift).isEqualTo(pgdirShift);
        assertThat(g.ptrs(0)).isEqualTo(1 << (ps - 3));
        assertThat(g.vaBits).isEqualTo(pgdirShift + ps - 3);
        // vmemmap = (struct page *)VMALLOC_END = RGN_BASE(5) + 2^(4 * PAGE_SHIFT - 10)
        assertThat(g.vmemmapStart).isEqualTo(0xa000000000000000L + (1L << vmallocEndBits));
        // 2^(50 - PAGE_SHIFT) struct pages of 64 bytes
        assertThat(g.vmemmapSize).isEqualTo((1L << (50 - ps)) * 64);
        assertThat(g.sectionSizeBits).isEqualTo(sectionBits);
        assertThat(g.maxPhysmemBits).isEqualTo(50);
        assertThat(g.pageOffset).isEqualTo(0xe000000000000000L);
        assertThat(g.linearRegionSize()).isEqualTo(1L << 50);
        for (int l = 0; l < 3; l++) {
            assertThat(g.blockAllowed(l)).isFalse();
        }
        // the vmemmap fits in what region 5's three levels map
        assertThat(g.vmemmapEnd - 0xa000000000000000L).isLessThanOrEqualTo(1L << g.vaBits);
    }

    @ParameterizedTest
    @EnumSource(value = KernelProfile.class, names = {"V6_12", "MAINLINE"})
    void of_rejectsKernelsAfterTheRemoval(KernelProfile p) {
        assertThatThrownBy(() -> Ia64Geometry.of(Granule.G16K, 47, p))
                .hasMessage("kernel " + p.label + " has no ia64: the architecture was removed in v6.7"
                        + " (commit cf8e8658100d; valid: 5.8, 5.9, 6.1)");
    }

    @Test
    void of_rejects4KAndOtherVaSizes() {
        assertThatThrownBy(() -> Ia64Geometry.of(Granule.G4K, 39, KernelProfile.V5_9))
                .hasMessageStartingWith("granule 4K is not modelled for ia64 (valid: 16K, 64K;");
        assertThatThrownBy(() -> Ia64Geometry.of(Granule.G16K, 48, KernelProfile.V5_9))
                .hasMessage("VA size 48 is not valid for ia64 16K (valid: 47, the span of a 3-level region)");
    }

    @Test
    void pte_tableEntriesAreBarePhysicalAddresses() {
        Ia64Pte f = new Ia64Pte();
        assertThat(f.mkTable(0x4000L)).isEqualTo(0x4000L);
        assertThat(f.isTable(0x4000L, 0, 3)).isTrue();
        long d = f.mkPageKernel(0x4000_0000L);
        // P | MA_WB | A | D | PL0 | AR_RWX (3 << 9) | ED (bit 52)
        assertThat(d).isEqualTo(0x4000_0000L | 1 | (1 << 5) | (1 << 6) | (3 << 9) | (1L << 52));
        assertThat(f.isPage(d, 2, 3)).isTrue();
        assertThat(f.outputAddress(d)).isEqualTo(0x4000_0000L);
    }
}
