package org.vmemsim.arch.arm64;

import static org.vmemsim.arch.arm64.Arm64GeometryTest.hex;
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
 * Kernel virtual layout of {@link Arm64Geometry#of} ({@code arch/arm64/include/asm/memory.h}):
 * kernel-semantics.md table 1.6, one nested class per era of the VMEMMAP placement.
 *
 * <p>Definitions used by the hand-worked rows: {@code _PAGE_OFFSET(va) = 2^64 - 2^va},
 * {@code _PAGE_END(va) = 2^64 - 2^(va-1)}, STRUCT_PAGE_MAX_SHIFT = 6, VMEMMAP_SHIFT = PAGE_SHIFT - 6.
 * VA_BITS_MIN = VA_BITS up to 48; for 52-bit VA it is 48, except 16K pages with LPA2 (v6.9+) where
 * the kernel's memory.h sets it to 47 (the spec's 1.6 says 48 for every granule; see 16K/52 below).
 */
class Arm64GeometryMemoryTest {

    static void check(String granule, int va, String profiles, String pageOffset, String pageEnd, String linear,
                      String vmemmapSize, String vmemmapStart, String vmemmapEnd) {
        SoftAssertions soft = new SoftAssertions();
        for (KernelProfile p : profiles(profiles)) {
            Geometry g = Arm64Geometry.of(Granule.parse(granule), va, p);
            String at = g.toString();
            soft.assertThat(Long.toHexString(g.pageOffset)).as(at + " PAGE_OFFSET")
                    .isEqualTo(Long.toHexString(hex(pageOffset)));
            soft.assertThat(Long.toHexString(g.pageEnd)).as(at + " PAGE_END").isEqualTo(Long.toHexString(hex(pageEnd)));
            soft.assertThat(g.linearRegionSize()).as(at + " linear region size").isEqualTo(size(linear));
            soft.assertThat(g.vmemmapSize).as(at + " VMEMMAP_SIZE").isEqualTo(size(vmemmapSize));
            soft.assertThat(Long.toHexString(g.vmemmapStart)).as(at + " VMEMMAP_START")
                    .isEqualTo(Long.toHexString(hex(vmemmapStart)));
            soft.assertThat(Long.toHexString(g.vmemmapEnd)).as(at + " VMEMMAP_END")
                    .isEqualTo(Long.toHexString(hex(vmemmapEnd)));
            // The vmemmap covers the whole linear region, one 64-byte struct page per page.
            soft.assertThat(g.vmemmapEnd - g.vmemmapStart).as(at + " END - START").isEqualTo(size(vmemmapSize));
        }
        soft.assertAll();
    }

    /**
     * E5.4..E5.10 (profiles 5.8, 5.9): table 1.6 "Numeric values". VMEMMAP_START = 2^64 - SIZE - 2 MiB,
     * END = 2^64 - 2 MiB = 0xffffffffffe00000. PAGE_END = _PAGE_END(vabits_actual), 52-bit hardware assumed.
     */
    @Nested
    class Era5_9 {
        @ParameterizedTest(name = "{0}/VA{1}")
        @CsvSource(delimiter = '|', textBlock = """
            # granule | VA | PAGE_OFFSET        | PAGE_END           | linear | VMEMMAP_SIZE | VMEMMAP_START      | VMEMMAP_END
              4K      | 39 | 0xffffff8000000000 | 0xffffffc000000000 | 256G   | 4G           | 0xfffffffeffe00000 | 0xffffffffffe00000
              4K      | 48 | 0xffff000000000000 | 0xffff800000000000 | 128T   | 2T           | 0xfffffdffffe00000 | 0xffffffffffe00000
              16K     | 36 | 0xfffffff000000000 | 0xfffffff800000000 | 32G    | 128M         | 0xfffffffff7e00000 | 0xffffffffffe00000
              16K     | 47 | 0xffff800000000000 | 0xffffc00000000000 | 64T    | 256G         | 0xffffffbfffe00000 | 0xffffffffffe00000
              16K     | 48 | 0xffff000000000000 | 0xffff800000000000 | 128T   | 512G         | 0xffffff7fffe00000 | 0xffffffffffe00000
              64K     | 42 | 0xfffffc0000000000 | 0xfffffe0000000000 | 2T     | 2G           | 0xffffffff7fe00000 | 0xffffffffffe00000
              64K     | 48 | 0xffff000000000000 | 0xffff800000000000 | 128T   | 128G         | 0xffffffdfffe00000 | 0xffffffffffe00000
              64K     | 52 | 0xfff0000000000000 | 0xfff8000000000000 | 2048T  | 3968G        | 0xfffffc1fffe00000 | 0xffffffffffe00000
            """)
        void memoryH_e59Layout(String granule, int va, String pageOffset, String pageEnd, String linear,
                               String vmemmapSize, String vmemmapStart, String vmemmapEnd) {
            check(granule, va, "5.8 5.9", pageOffset, pageEnd, linear, vmemmapSize, vmemmapStart, vmemmapEnd);
        }
    }

    /**
     * v5.11..v6.8 (profile 6.1): VMEMMAP_SIZE as in E5.9, VMEMMAP_START = 2^64 - 2^(VA_BITS - VMEMMAP_SHIFT),
     * END = START + SIZE; PAGE_END = _PAGE_END(VA_BITS_MIN) (read in a 6.1.y memory.h). Spec examples:
     * 4K/48 START 0xfffffc0000000000, 64K/48 START 0xffffffc000000000. Other rows by hand, e.g.
     * 4K/39: START = -2^(39-6) = 0xfffffffe00000000, END = START + 2^32 = 0xffffffff00000000;
     * 64K/52: START = -2^(52-10) = 0xfffffc0000000000, SIZE = (2^52 - 2^47) >> 10 = 2^42 - 2^37,
     * END = -2^37 = 0xffffffe000000000, PAGE_END = _PAGE_END(48) = 0xffff800000000000.
     */
    @Nested
    class Era5_11 {
        @ParameterizedTest(name = "{0}/VA{1}")
        @CsvSource(delimiter = '|', textBlock = """
            # granule | VA | PAGE_OFFSET        | PAGE_END           | linear          | VMEMMAP_SIZE | VMEMMAP_START      | VMEMMAP_END
              4K      | 39 | 0xffffff8000000000 | 0xffffffc000000000 | 256G            | 4G           | 0xfffffffe00000000 | 0xffffffff00000000
              4K      | 48 | 0xffff000000000000 | 0xffff800000000000 | 128T            | 2T           | 0xfffffc0000000000 | 0xfffffe0000000000
              16K     | 36 | 0xfffffff000000000 | 0xfffffff800000000 | 32G             | 128M         | 0xfffffffff0000000 | 0xfffffffff8000000
              16K     | 47 | 0xffff800000000000 | 0xffffc00000000000 | 64T             | 256G         | 0xffffff8000000000 | 0xffffffc000000000
              16K     | 48 | 0xffff000000000000 | 0xffff800000000000 | 128T            | 512G         | 0xffffff0000000000 | 0xffffff8000000000
              64K     | 42 | 0xfffffc0000000000 | 0xfffffe0000000000 | 2T              | 2G           | 0xffffffff00000000 | 0xffffffff80000000
              64K     | 48 | 0xffff000000000000 | 0xffff800000000000 | 128T            | 128G         | 0xffffffc000000000 | 0xffffffe000000000
              64K     | 52 | 0xfff0000000000000 | 0xffff800000000000 | 0xf800000000000 | 3968G        | 0xfffffc0000000000 | 0xffffffe000000000
            """)
        void memoryH_v511Layout(String granule, int va, String pageOffset, String pageEnd, String linear,
                                String vmemmapSize, String vmemmapStart, String vmemmapEnd) {
            check(granule, va, "6.1", pageOffset, pageEnd, linear, vmemmapSize, vmemmapStart, vmemmapEnd);
        }
    }

    /**
     * v6.9+ (profiles 6.12, mainline): VMEMMAP_SIZE = ((_PAGE_END(VA_BITS_MIN) - PAGE_OFFSET) >> PAGE_SHIFT) * 64,
     * VMEMMAP_END = 2^64 - 1 GiB = 0xffffffffc0000000, START = END - SIZE; PAGE_END = _PAGE_END(VA_BITS_MIN).
     * Spec examples: 4K/48 START 0xfffffdffc0000000, 64K/48 START 0xffffffdfc0000000. By hand:
     * <ul>
     *   <li>4K/39: SIZE = 2^38 / 2^12 * 64 = 2^32; START = 0xffffffffc0000000 - 0x100000000 = 0xfffffffec0000000</li>
     *   <li>4K/52: linear = 2^52 - 2^47 = 0xf800000000000; SIZE = that >> 6 = 0x3e0000000000;
     *       START = 0xffffffffc0000000 - 0x3e0000000000 = 0xffffc1ffc0000000</li>
     *   <li>16K/36: SIZE = 2^35 >> 8 = 2^27; START = 0xffffffffb8000000</li>
     *   <li>16K/47: SIZE = 2^46 >> 8 = 2^38; START = 0xffffffbfc0000000</li>
     *   <li>16K/48: SIZE = 2^47 >> 8 = 2^39; START = 0xffffff7fc0000000</li>
     *   <li>16K/52 (VA_BITS_MIN 47): PAGE_END = -2^46 = 0xffffc00000000000; linear = 2^52 - 2^46 = 0xfc00000000000;
     *       SIZE = that >> 8 = 0xfc000000000; START = 0xffffffffc0000000 - 0xfc000000000 = 0xfffff03fc0000000
     *       (with the spec's VA_BITS_MIN = 48 it would be 0xfffff07fc0000000)</li>
     *   <li>64K/42: SIZE = 2^41 >> 10 = 2^31; START = 0xffffffff40000000</li>
     *   <li>64K/52: SIZE = (2^52 - 2^47) >> 10 = 0x3e000000000; START = 0xfffffc1fc0000000</li>
     * </ul>
     */
    @Nested
    class EraMainline {
        @ParameterizedTest(name = "{0}/VA{1}")
        @CsvSource(delimiter = '|', textBlock = """
            # granule | VA | PAGE_OFFSET        | PAGE_END           | linear          | VMEMMAP_SIZE   | VMEMMAP_START      | VMEMMAP_END
              4K      | 39 | 0xffffff8000000000 | 0xffffffc000000000 | 256G            | 4G             | 0xfffffffec0000000 | 0xffffffffc0000000
              4K      | 48 | 0xffff000000000000 | 0xffff800000000000 | 128T            | 2T             | 0xfffffdffc0000000 | 0xffffffffc0000000
              4K      | 52 | 0xfff0000000000000 | 0xffff800000000000 | 0xf800000000000 | 0x3e0000000000 | 0xffffc1ffc0000000 | 0xffffffffc0000000
              16K     | 36 | 0xfffffff000000000 | 0xfffffff800000000 | 32G             | 128M           | 0xffffffffb8000000 | 0xffffffffc0000000
              16K     | 47 | 0xffff800000000000 | 0xffffc00000000000 | 64T             | 256G           | 0xffffffbfc0000000 | 0xffffffffc0000000
              16K     | 48 | 0xffff000000000000 | 0xffff800000000000 | 128T            | 512G           | 0xffffff7fc0000000 | 0xffffffffc0000000
              16K     | 52 | 0xfff0000000000000 | 0xffffc00000000000 | 0xfc00000000000 | 0xfc000000000  | 0xfffff03fc0000000 | 0xffffffffc0000000
              64K     | 42 | 0xfffffc0000000000 | 0xfffffe0000000000 | 2T              | 2G             | 0xffffffff40000000 | 0xffffffffc0000000
              64K     | 48 | 0xffff000000000000 | 0xffff800000000000 | 128T            | 128G           | 0xffffffdfc0000000 | 0xffffffffc0000000
              64K     | 52 | 0xfff0000000000000 | 0xffff800000000000 | 0xf800000000000 | 0x3e000000000  | 0xfffffc1fc0000000 | 0xffffffffc0000000
            """)
        void memoryH_v69Layout(String granule, int va, String pageOffset, String pageEnd, String linear,
                               String vmemmapSize, String vmemmapStart, String vmemmapEnd) {
            check(granule, va, "6.12 mainline", pageOffset, pageEnd, linear, vmemmapSize, vmemmapStart, vmemmapEnd);
        }
    }
}
