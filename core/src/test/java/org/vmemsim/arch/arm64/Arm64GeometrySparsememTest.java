package org.vmemsim.arch.arm64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vmemsim.arch.arm64.Arm64GeometryTest.ints;
import static org.vmemsim.arch.arm64.Arm64GeometryTest.profiles;
import static org.vmemsim.arch.arm64.Arm64GeometryTest.size;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.vmemsim.arch.Geometry;
import org.vmemsim.arch.Granule;
import org.vmemsim.arch.KernelProfile;

/**
 * Sections, physical limits and buddy limits of {@link Arm64Geometry#of}: kernel-semantics.md tables
 * 1.4 and 1.5 and section 6.5 ({@code arch/arm64/include/asm/sparsemem.h}, {@code include/linux/mmzone.h},
 * {@code arch/arm64/Kconfig}, {@code drivers/base/memory.c}).
 *
 * <p>Eras: SECTION_SIZE_BITS is 30 before v5.12 (profiles 5.8, 5.9) and 27 (4K, 16K) / 29 (64K) from
 * v5.12 (profiles 6.1, 6.12, mainline).
 */
class Arm64GeometrySparsememTest {

    static final String OLD = "5.8 5.9";
    static final String NEW = "6.1 6.12 mainline";

    /** Tables 1.4 and 1.5, one row per granule and era, checked for every VA size the row names. */
    @Nested
    class Sections {
        @ParameterizedTest(name = "{0} VA {1} in {2}")
        @CsvSource(delimiter = '|', textBlock = """
            # granule | VAs         | profiles          | SECTION_SIZE_BITS | PFN_SECTION_SHIFT | PAGES_PER_SECTION | memmap/section | memmap pages | PAGES_PER_SUBSECTION | SUBSECTIONS_PER_SECTION | memmap/subsection | memory block | memstart align
              4K      | 39 48       | 5.8 5.9           | 30                | 18                | 262144            | 16M            | 4096         | 512                  | 512                     | 32K               | 1G           | 1G
              4K      | 39 48       | 6.1               | 27                | 15                | 32768             | 2M             | 512          | 512                  | 64                      | 32K               | 128M         | 1G
              4K      | 39 48 52    | 6.12 mainline     | 27                | 15                | 32768             | 2M             | 512          | 512                  | 64                      | 32K               | 128M         | 1G
              16K     | 36 47 48    | 5.8 5.9           | 30                | 16                | 65536             | 4M             | 256          | 128                  | 512                     | 8K                | 1G           | 1G
              16K     | 36 47 48    | 6.1               | 27                | 13                | 8192              | 512K           | 32           | 128                  | 64                      | 8K                | 128M         | 1G
              16K     | 36 47 48 52 | 6.12 mainline     | 27                | 13                | 8192              | 512K           | 32           | 128                  | 64                      | 8K                | 128M         | 1G
              64K     | 42 48 52    | 5.8 5.9           | 30                | 14                | 16384             | 1M             | 16           | 32                   | 512                     | 2K                | 1G           | 1G
              64K     | 42 48 52    | 6.1 6.12 mainline | 29                | 13                | 8192              | 512K           | 8            | 32                   | 256                     | 2K                | 512M         | 512M
            """)
        void sparsemem_sectionGeometry(String granule, String vas, String profiles, int sectionSizeBits,
                                       int pfnSectionShift, long pagesPerSection, String memmapPerSection,
                                       long memmapPages, long pagesPerSubsection, int subsectionsPerSection,
                                       String memmapPerSubsection, String memoryBlock, String memstartAlign) {
            SoftAssertions soft = new SoftAssertions();
            for (KernelProfile p : profiles(profiles)) {
                for (int va : ints(vas)) {
                    Geometry g = Arm64Geometry.of(Granule.parse(granule), va, p);
                    String at = g.toString();
                    soft.assertThat(g.sectionSizeBits).as(at + " SECTION_SIZE_BITS").isEqualTo(sectionSizeBits);
                    soft.assertThat(g.pfnSectionShift).as(at + " PFN_SECTION_SHIFT").isEqualTo(pfnSectionShift);
                    soft.assertThat(g.pagesPerSection).as(at + " PAGES_PER_SECTION").isEqualTo(pagesPerSection);
                    soft.assertThat(g.memmapPerSection()).as(at + " memmap per section").isEqualTo(size(memmapPerSection));
                    soft.assertThat(g.memmapPerSection() / g.pageSize).as(at + " memmap pages per section")
                            .isEqualTo(memmapPages);
                    soft.assertThat(g.pagesPerSubsection).as(at + " PAGES_PER_SUBSECTION").isEqualTo(pagesPerSubsection);
                    soft.assertThat(g.subsectionsPerSection).as(at + " SUBSECTIONS_PER_SECTION")
                            .isEqualTo(subsectionsPerSection);
                    soft.assertThat(g.pagesPerSubsection * Geometry.STRUCT_PAGE_SIZE).as(at + " memmap per subsection")
                            .isEqualTo(size(memmapPerSubsection));
                    soft.assertThat(g.memoryBlockSize).as(at + " memory_block_size_bytes").isEqualTo(size(memoryBlock));
                    soft.assertThat(g.memstartAlign).as(at + " ARM64_MEMSTART_ALIGN").isEqualTo(size(memstartAlign));
                }
            }
            soft.assertAll();
        }

        /** Table 1.5 "PMD blocks per section (vmemmap)" on 4K: 16 MiB / 2 MiB = 8 before v5.12, 2 MiB / 2 MiB = 1 after. */
        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', textBlock = """
              5.8      | 8
              5.9      | 8
              6.1      | 1
              6.12     | 1
              mainline | 1
            """)
        void vmemmapPmdBlocksPerSection_4K(String profile, long blocks) {
            Geometry g = Arm64Geometry.of(Granule.G4K, 48, KernelProfile.parse(profile));
            assertThat(g.memmapPerSection() / g.pmdSize).isEqualTo(blocks);
        }
    }

    /**
     * MAX_PHYSMEM_BITS = CONFIG_ARM64_PA_BITS: 48, or 52 for the 52-bit VA configurations (the model
     * pairs PA_BITS_52 with VA_BITS_52). NR_MEM_SECTIONS = 2^(MAX_PHYSMEM_BITS - SECTION_SIZE_BITS):
     * spec values for PA48 (2^18 before v5.12; 2^21 for 4K/16K and 2^19 for 64K after); the PA52 rows
     * are worked by hand: 2^(52-30) = 2^22, 2^(52-29) = 2^23, 2^(52-27) = 2^25.
     */
    @Nested
    class PhysicalLimits {
        @ParameterizedTest(name = "{0}/VA{1} in {2}")
        @CsvSource(delimiter = '|', textBlock = """
            # granule | VA | profiles          | MAX_PHYSMEM_BITS | NR_MEM_SECTIONS
              4K      | 39 | 5.8 5.9           | 48               | 262144
              4K      | 48 | 5.8 5.9           | 48               | 262144
              16K     | 36 | 5.8 5.9           | 48               | 262144
              16K     | 47 | 5.8 5.9           | 48               | 262144
              16K     | 48 | 5.8 5.9           | 48               | 262144
              64K     | 42 | 5.8 5.9           | 48               | 262144
              64K     | 48 | 5.8 5.9           | 48               | 262144
              64K     | 52 | 5.8 5.9           | 52               | 4194304
              4K      | 39 | 6.1 6.12 mainline | 48               | 2097152
              4K      | 48 | 6.1 6.12 mainline | 48               | 2097152
              4K      | 52 | 6.12 mainline     | 52               | 33554432
              16K     | 36 | 6.1 6.12 mainline | 48               | 2097152
              16K     | 47 | 6.1 6.12 mainline | 48               | 2097152
              16K     | 48 | 6.1 6.12 mainline | 48               | 2097152
              16K     | 52 | 6.12 mainline     | 52               | 33554432
              64K     | 42 | 6.1 6.12 mainline | 48               | 524288
              64K     | 48 | 6.1 6.12 mainline | 48               | 524288
              64K     | 52 | 6.1 6.12 mainline | 52               | 8388608
            """)
        void sparsemem_maxPhysmemBitsAndNrMemSections(String granule, int va, String profiles, int maxPhysmemBits,
                                                      long nrMemSections) {
            SoftAssertions soft = new SoftAssertions();
            for (KernelProfile p : profiles(profiles)) {
                Geometry g = Arm64Geometry.of(Granule.parse(granule), va, p);
                soft.assertThat(g.maxPhysmemBits).as(g + " MAX_PHYSMEM_BITS").isEqualTo(maxPhysmemBits);
                soft.assertThat(g.nrMemSections).as(g + " NR_MEM_SECTIONS").isEqualTo(nrMemSections);
            }
            soft.assertAll();
        }
    }

    /**
     * Largest buddy order and pageblock order (section 1.4): 10 / 11 / 13 for 4K / 16K / 64K, unchanged
     * across our profiles (v6.1 Kconfig FORCE_MAX_ZONEORDER 11/12/14 is exclusive, v6.4+
     * ARCH_FORCE_MAX_ORDER 10/11/13 inclusive); pageblock_order = PMD_SHIFT - PAGE_SHIFT = 9 / 11 / 13.
     */
    @Nested
    class BuddyLimits {
        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', textBlock = """
            # granule | max order | largest block | pageblock order | pageblock size
              4K      | 10        | 4M            | 9               | 2M
              16K     | 11        | 32M           | 11              | 32M
              64K     | 13        | 512M          | 13              | 512M
            """)
        void maxPageOrderAndPageblockOrder(String granule, int maxOrder, String largestBlock, int pageblockOrder,
                                           String pageblockSize) {
            Granule gr = Granule.parse(granule);
            SoftAssertions soft = new SoftAssertions();
            for (KernelProfile p : KernelProfile.values()) {
                for (int va : Arm64Geometry.validVaBits(gr, p)) {
                    Geometry g = Arm64Geometry.of(gr, va, p);
                    soft.assertThat(g.maxPageOrder).as(g + " MAX_PAGE_ORDER").isEqualTo(maxOrder);
                    soft.assertThat(g.pageSize << g.maxPageOrder).as(g + " largest buddy block").isEqualTo(size(largestBlock));
                    soft.assertThat(g.pageblockOrder).as(g + " pageblock_order").isEqualTo(pageblockOrder);
                    soft.assertThat(g.pageSize << g.pageblockOrder).as(g + " pageblock size").isEqualTo(size(pageblockSize));
                    // A section must hold the largest buddy block.
                    soft.assertThat(g.sectionSizeBits).as(g + " section >= largest block")
                            .isGreaterThanOrEqualTo(g.pageShift + g.maxPageOrder);
                }
            }
            soft.assertAll();
        }
    }
}
