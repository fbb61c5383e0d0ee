package org.vmemsim.arch.ppc64;

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

/**
 * The radix 64K geometry against values computed here from radix-64k.h (index sizes 5/9/9/13),
 * radix.h (the quadrant-3 layout), sparsemem.h (SECTION_SIZE_BITS 24) and R_MAX_PHYSMEM_BITS 51.
 */
class Ppc64GeometryTest {
    static final long MIB = 1L << 20;
    static final long GIB = 1L << 30;

    @Nested
    class Of {
        final Geometry g = Ppc64Geometry.of(Granule.G64K, 52, KernelProfile.MAINLINE);

        @Test
        void levels_radix64kIndexSizes() {
            assertThat(g.arch).isEqualTo(Arch.PPC64);
            assertThat(g.levels).isEqualTo(4);
            // PTE 5 bits over a 16-bit page, PMD 9, PUD 9, PGD 13
            assertThat(g.shift(3)).isEqualTo(16);
            assertThat(g.shift(2)).isEqualTo(16 + 5);
            assertThat(g.shift(1)).isEqualTo(16 + 5 + 9);
            assertThat(g.shift(0)).isEqualTo(16 + 5 + 9 + 9);
            assertThat(g.ptrs(3)).isEqualTo(32);
            assertThat(g.ptrs(2)).isEqualTo(512);
            assertThat(g.ptrs(1)).isEqualTo(512);
            assertThat(g.ptrs(0)).isEqualTo(8192);
            // the tree translates 16 + 5 + 9 + 9 + 13 = 52 bits
            assertThat(g.shift(0) + 13).isEqualTo(52);
            assertThat(g.pmdSize).isEqualTo(2 * MIB);
            assertThat(g.pudSize).isEqualTo(GIB);
            assertThat(g.pageSize).isEqualTo(64 * 1024);
            assertThat(g.blockAllowed(1)).isTrue();
            assertThat(g.blockAllowed(2)).isTrue();
            assertThat(g.blockAllowed(0)).isFalse();
        }

        @Test
        void layout_quadrant3() {
            long kernVirtStart = 0xc008000000000000L;
            long mapSize = 1L << 49;
            assertThat(g.pageOffset).isEqualTo(0xc000000000000000L);
            // vmalloc, then kernel I/O, then the vmemmap: 2^49 bytes each
            assertThat(g.vmemmapStart).isEqualTo(kernVirtStart + 2 * mapSize).isEqualTo(0xc00c000000000000L);
            assertThat(g.vmemmapEnd).isEqualTo(0xc00e000000000000L);
            assertThat(g.pageEnd - g.pageOffset).isEqualTo(1L << 51);
        }

        @Test
        void sparsemem_sections16M_blocks256M() {
            assertThat(g.sectionSizeBits).isEqualTo(24);
            assertThat(g.maxPhysmemBits).isEqualTo(51);
            assertThat(g.pagesPerSection).isEqualTo(16 * MIB / (64 * 1024));
            assertThat(g.pagesPerSubsection).isEqualTo(2 * MIB / (64 * 1024));
            assertThat(g.subsectionsPerSection).isEqualTo(8);
            assertThat(g.memmapPerSection()).isEqualTo(256 * 64);
            assertThat(g.nrMemSections).isEqualTo(1L << (51 - 24));
            assertThat(g.memoryBlockSize).isEqualTo(256 * MIB);
            assertThat(g.maxPageOrder).isEqualTo(8);
            // the largest buddy block is exactly one section
            assertThat(g.pageSize << g.maxPageOrder).isEqualTo(16 * MIB);
            assertThat(g.pageblockOrder).isEqualTo(5);
            assertThat(g.memremapCompatAlign).isEqualTo(2 * MIB);
        }

        @Test
        void memmap_oneTebibyteDeviceHasOneGibibyteOfStructPages() {
            long pages = (1L << 40) / g.pageSize;
            assertThat(pages).isEqualTo(16L << 20);
            assertThat(pages * Geometry.STRUCT_PAGE_SIZE).isEqualTo(GIB);
        }
    }

    @Nested
    class Rejections {
        @ParameterizedTest
        @EnumSource(value = Granule.class, names = {"G4K", "G16K"})
        void of_granuleOtherThan64K_oneLineError(Granule gr) {
            assertThatThrownBy(() -> Ppc64Geometry.of(gr, 52, KernelProfile.MAINLINE))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("granule " + gr.label() + " is not modelled for ppc64 (valid: 64K, radix MMU)");
        }

        @Test
        void of_vaOtherThan52_oneLineError() {
            assertThatThrownBy(() -> Ppc64Geometry.of(Granule.G64K, 48, KernelProfile.MAINLINE))
                    .hasMessage("VA size 48 is not valid for ppc64 radix with 64K pages (valid: 52)");
        }

        @ParameterizedTest
        @EnumSource(value = KernelProfile.class, names = {"V5_8", "V5_9"})
        void of_profileBefore61_oneLineError(KernelProfile p) {
            assertThatThrownBy(() -> Ppc64Geometry.of(Granule.G64K, 52, p))
                    .hasMessage("kernel " + p.label + " is not modelled for ppc64 (valid: 6.1, 6.12, mainline)");
        }

        @Test
        void parse_aliasesAndHash() {
            assertThat(Arch.parse("ppc64")).isEqualTo(Arch.PPC64);
            assertThat(Arch.parse("powerpc64")).isEqualTo(Arch.PPC64);
            assertThat(Arch.parse("ppc64le")).isEqualTo(Arch.PPC64);
            assertThatThrownBy(() -> Arch.parse("ppc64-hash")).hasMessageContaining("hash MMU is not modelled");
        }
    }

    @Nested
    class Pte {
        final Geometry g = Ppc64Geometry.of(Granule.G64K, 52, KernelProfile.MAINLINE);
        final Ppc64Pte f = new Ppc64Pte(g);

        @Test
        void mkPageKernel_validLeafWithRpn() {
            long d = f.mkPageKernel(0x1234_0000L);
            assertThat(d >>> 63).isEqualTo(1);        // valid
            assertThat((d >>> 62) & 1).isEqualTo(1);  // leaf (_PAGE_PTE)
            assertThat(f.outputAddress(d)).isEqualTo(0x1234_0000L);
            assertThat(f.isPage(d, 3, 4)).isTrue();
            assertThat(f.isBlock(d, 2, 4)).isTrue();
            assertThat(f.isTable(d, 2, 4)).isFalse();
        }

        @Test
        void mkTable_nlsIsIndexSizeOfChild() {
            long toPte = f.mkTable(0x40_0000L, 3);
            assertThat(Ppc64Pte.nls(toPte)).isEqualTo(5);
            assertThat(Ppc64Pte.nls(f.mkTable(0x40_0000L, 2))).isEqualTo(9);
            assertThat(Ppc64Pte.nls(f.mkTable(0x40_0000L, 1))).isEqualTo(9);
            assertThat(f.isTable(toPte, 2, 4)).isTrue();
            assertThat(f.outputAddress(toPte)).isEqualTo(0x40_0000L);
        }
    }
}
