package org.vmemsim.arch.x86;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.vmemsim.arch.Arch;
import org.vmemsim.arch.Geometry;
import org.vmemsim.arch.Granule;
import org.vmemsim.arch.KernelProfile;

class X86GeometryTest {
    @Nested
    class Arches {
        @Test
        void parse_acceptsTheCommonSpellings() {
            assertThat(Arch.parse("x86_64")).isEqualTo(Arch.X86_64);
            assertThat(Arch.parse("x86-64")).isEqualTo(Arch.X86_64);
            assertThat(Arch.parse("AMD64")).isEqualTo(Arch.X86_64);
            assertThat(Arch.X86_64.label).isEqualTo("x86_64");
        }
    }

    @Nested
    class FourLevel {
        final Geometry g = X86Geometry.of(Granule.G4K, 48, KernelProfile.V6_1);

        @Test
        void levelsAndShifts() {
            assertThat(g.levels).isEqualTo(4);
            assertThat(new int[] {g.shift(0), g.shift(1), g.shift(2), g.shift(3)}).containsExactly(39, 30, 21, 12);
            for (int l = 0; l < 4; l++) {
                assertThat(g.ptrs(l)).isEqualTo(512);
            }
            assertThat(g.pmdSize).isEqualTo(2L << 20);
            assertThat(g.pudSize).isEqualTo(1L << 30);
            assertThat(g.blockAllowed(g.pmdLevel())).isTrue();
            assertThat(g.blockAllowed(g.pudLevel())).isTrue();
            assertThat(g.blockAllowed(0)).isFalse();
        }

        @Test
        void sparsemem() {
            assertThat(g.sectionSizeBits).isEqualTo(27);
            assertThat(g.maxPhysmemBits).isEqualTo(46);
            assertThat(g.pagesPerSection).isEqualTo((128L << 20) / 4096);
            assertThat(g.nrMemSections).isEqualTo(1L << (46 - 27));
            assertThat(g.memoryBlockSize).isEqualTo(128L << 20);
            assertThat(g.maxPageOrder).isEqualTo(10);
            assertThat(g.pageblockOrder).isEqualTo(9);
        }

        @Test
        void layout() {
            assertThat(g.pageOffset).isEqualTo(0xffff888000000000L);
            assertThat(g.pageEnd).isEqualTo(0xffff888000000000L + (1L << 46));
            assertThat(g.vmemmapStart).isEqualTo(0xffffea0000000000L);
            // one struct page of 64 bytes per 4 KiB of 2^46 bytes: 1 TiB, the layout's vmemmap slot
            assertThat(g.vmemmapSize).isEqualTo(1L << 40);
            assertThat(g.vmemmapEnd).isEqualTo(0xffffeb0000000000L);
        }
    }

    @Test
    void fiveLevel_layout() {
        Geometry g = X86Geometry.of(Granule.G4K, 57, KernelProfile.V6_12);
        assertThat(g.levels).isEqualTo(5);
        assertThat(g.shift(0)).isEqualTo(48);
        assertThat(g.maxPhysmemBits).isEqualTo(52);
        assertThat(g.pageOffset).isEqualTo(0xff11000000000000L);
        assertThat(g.pageEnd).isEqualTo(0xff11000000000000L + (1L << 52));
        assertThat(g.vmemmapStart).isEqualTo(0xffd4000000000000L);
        assertThat(g.vmemmapSize).isEqualTo((1L << 40) * 64);
    }

    @ParameterizedTest
    @EnumSource(value = Granule.class, names = {"G16K", "G64K"})
    void of_rejectsGranulesOtherThan4K(Granule gr) {
        assertThatThrownBy(() -> X86Geometry.of(gr, 48, KernelProfile.MAINLINE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PAGE_SHIFT is always 12");
    }

    @Test
    void of_rejectsOtherVaSizesAndOldProfiles() {
        assertThatThrownBy(() -> X86Geometry.of(Granule.G4K, 39, KernelProfile.MAINLINE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("48 for 4-level");
        assertThatThrownBy(() -> X86Geometry.of(Granule.G4K, 48, KernelProfile.V5_9))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not modelled for x86_64");
    }

    @Test
    void pte_kernelBits() {
        X86Pte f = new X86Pte();
        long pa = 0x1_2340_0000L;
        // present|RW|accessed|dirty|global = 0x163, NX = bit 63, PSE = 0x80
        assertThat(f.mkPageKernel(pa)).isEqualTo(0x8000000000000163L | pa);
        assertThat(f.mkBlockKernel(pa)).isEqualTo(0x80000000000001e3L | pa);
        assertThat(f.mkTable(pa)).isEqualTo(0x63L | pa);
        assertThat(f.outputAddress(f.mkBlockKernel(pa))).isEqualTo(pa);
        assertThat(f.isBlock(f.mkBlockKernel(pa), 2, 4)).isTrue();
        assertThat(f.isTable(f.mkBlockKernel(pa), 2, 4)).isFalse();
        assertThat(f.isTable(f.mkTable(pa), 2, 4)).isTrue();
        assertThat(f.isPage(f.mkPageKernel(pa), 3, 4)).isTrue();
    }
}
