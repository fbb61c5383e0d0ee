package org.vmemsim.mm.hotplug;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.vmemsim.util.Sz.SZ_128M;
import static org.vmemsim.util.Sz.SZ_256M;
import static org.vmemsim.util.Sz.SZ_2M;
import static org.vmemsim.util.Sz.SZ_512M;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.vmemsim.arch.Geometry;
import org.vmemsim.arch.Granule;
import org.vmemsim.arch.KernelProfile;
import org.vmemsim.arch.arm64.Arm64Geometry;

/**
 * memmap_on_memory support rules (spec 6.8): a block's memmap is PFN(block) x 64 bytes; arm64
 * needs it to be a whole number of PMDs.
 */
class MemmapOnMemoryTest {
    static MemmapOnMemory mom(Granule g, KernelProfile p, String param) {
        Geometry geo = Arm64Geometry.of(g, Arm64Geometry.defaultVaBits(g), p);
        return new MemmapOnMemory(geo, param);
    }

    @Nested
    class MemoryBlockMemmapOnMemoryPages {
        /** 4K: 128 MiB / 4 KiB = 32768 pages x 64 B = 2 MiB = 512 pages; 16K: 8192 x 64 B = 512 KiB = 32 pages; 64K: 512 MiB -> 8 pages. */
        @ParameterizedTest
        @CsvSource({"G4K, 512", "G16K, 32", "G64K, 8"})
        void memoryBlockMemmapOnMemoryPages_perGranule(Granule g, long pages) {
            assertThat(mom(g, KernelProfile.MAINLINE, "Y").memoryBlockMemmapOnMemoryPages()).isEqualTo(pages);
        }

        /** force rounds up to a pageblock: 16K pageblock = 32 MiB / 16 KiB = 2048 pages; 64K: 512 MiB / 64 KiB = 8192. */
        @ParameterizedTest
        @CsvSource({"G4K, 512", "G16K, 2048", "G64K, 8192"})
        void memoryBlockMemmapOnMemoryPages_forceRoundsToPageblock(Granule g, long pages) {
            assertThat(mom(g, KernelProfile.MAINLINE, "force").memoryBlockMemmapOnMemoryPages()).isEqualTo(pages);
        }
    }

    @Nested
    class MhpSupportsMemmapOnMemory {
        @ParameterizedTest
        @CsvSource({"G4K, Y, true", "G16K, Y, false", "G64K, Y, false", "G4K, force, true", "G16K, force, false",
                "G64K, force, false", "G4K, N, false"})
        void mhpSupportsMemmapOnMemory_mainlineArm64(Granule g, String param, boolean supported) {
            assertThat(mom(g, KernelProfile.MAINLINE, param).mhpSupportsMemmapOnMemory()).isEqualTo(supported);
            assertThat(mom(g, KernelProfile.V6_12, param).supports(SZ_512M)).isEqualTo(supported);
        }

        /** 6.1: only exactly one block qualifies (4K block 128 MiB). */
        @Test
        void mhpSupportsMemmapOnMemory_61SingleBlockOnly() {
            MemmapOnMemory m = mom(Granule.G4K, KernelProfile.V6_1, "Y");
            assertThat(m.supports(SZ_128M)).isTrue();
            assertThat(m.supports(SZ_256M)).isFalse();
            assertThat(m.supports(SZ_2M)).isFalse();
            assertThat(mom(Granule.G16K, KernelProfile.V6_1, "Y").supports(SZ_128M)).isFalse();
            assertThat(mom(Granule.G64K, KernelProfile.V6_1, "Y").supports(SZ_512M)).isFalse();
        }

        /** Before v5.13 the parameter does not exist on arm64. */
        @Test
        void mhpSupportsMemmapOnMemory_59HasNone() {
            MemmapOnMemory m = mom(Granule.G4K, KernelProfile.V5_9, "Y");
            assertThat(m.mhpMemmapOnMemory()).isFalse();
            assertThat(m.supports(1L << 30)).isFalse();
        }
    }

    @Test
    void setMemmapMode_parsesKernelBools() {
        assertThat(MemmapOnMemory.Mode.parse("1")).isEqualTo(MemmapOnMemory.Mode.ENABLE);
        assertThat(MemmapOnMemory.Mode.parse("off")).isEqualTo(MemmapOnMemory.Mode.DISABLE);
        assertThat(MemmapOnMemory.Mode.parse("FORCE")).isEqualTo(MemmapOnMemory.Mode.FORCE);
        assertThatThrownBy(() -> MemmapOnMemory.Mode.parse("maybe")).hasMessageContaining("maybe");
    }
}
