package org.vmemsim.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Unsigned 64-bit helpers. Kernel VAs such as 0xffff000000000000 are negative as Java longs, so every
 * test here puts at least one such value on the far side of the sign bit.
 */
class U64Test {

    static final long PAGE_OFFSET_48 = 0xffff000000000000L;
    static final long VMEMMAP_START_59_4K = 0xfffffdffffe00000L;
    static final long TOP = 0xffffffffffffffffL;

    @Nested
    class Compare {
        @Test
        void cmp_kernelVaIsAboveUserVa() {
            assertThat(U64.lt(0x0000ffffffffffffL, PAGE_OFFSET_48)).isTrue();
            assertThat(U64.gt(PAGE_OFFSET_48, 0x7fffffffffffffffL)).isTrue();
            assertThat(U64.le(PAGE_OFFSET_48, PAGE_OFFSET_48)).isTrue();
            assertThat(U64.ge(TOP, PAGE_OFFSET_48)).isTrue();
            assertThat(U64.cmp(VMEMMAP_START_59_4K, PAGE_OFFSET_48)).isPositive();
            assertThat(U64.min(PAGE_OFFSET_48, 1L)).isEqualTo(1L);
            assertThat(U64.max(PAGE_OFFSET_48, 1L)).isEqualTo(PAGE_OFFSET_48);
        }

        @Test
        void inRange_isHalfOpen() {
            long start = VMEMMAP_START_59_4K;
            long end = 0xffffffffffe00000L;
            assertThat(U64.inRange(start, start, end)).isTrue();
            assertThat(U64.inRange(end - 1, start, end)).isTrue();
            assertThat(U64.inRange(end, start, end)).isFalse();
            assertThat(U64.inRange(PAGE_OFFSET_48, start, end)).isFalse();
        }

        @Test
        void overlaps_touchingRangesDoNotOverlap() {
            // [0xfffffe007ee00000, 0xfffffe007fe00000) = the 16 MiB memmap of section #128 in spec 10.1
            long a = 0xfffffe007ee00000L;
            long b = 0xfffffe007fe00000L;
            assertThat(U64.overlaps(a, b, b, b + Sz.SZ_16M)).isFalse();
            assertThat(U64.overlaps(a, b, b - 1, b + Sz.SZ_16M)).isTrue();
            assertThat(U64.overlaps(a, b, PAGE_OFFSET_48, a + 1)).isTrue();
        }
    }

    @Nested
    class Division {
        @Test
        void div_isUnsigned() {
            // 0xffff000000000000 / 4096 = 0xffff000000000 (a signed division would give a negative number)
            assertThat(U64.div(PAGE_OFFSET_48, 4096)).isEqualTo(0xffff000000000L);
            assertThat(U64.rem(TOP, 4096)).isEqualTo(4095);
        }

        @ParameterizedTest(name = "DIV_ROUND_UP({0}, {1}) = {2}")
        @CsvSource({
            "0, 4096, 0",
            "1, 4096, 1",
            "4096, 4096, 1",
            "4097, 4096, 2",
            // (2^30 - 8192) / 65536 rounded up = 16384 (spec 10.5 has the floor, 16383)
            "1073733632, 65536, 16384",
        })
        void divRoundUp_small(long n, long d, long expected) {
            assertThat(U64.divRoundUp(n, d)).isEqualTo(expected);
        }

        @Test
        void divRoundUp_aboveSignBit() {
            // (2^64 - 1) / 2 rounded up = 2^63
            assertThat(U64.divRoundUp(TOP, 2)).isEqualTo(Long.MIN_VALUE);
        }
    }

    @Nested
    class End {
        @Test
        void end_ofKernelRange() {
            // 10.1: memmap of 262,144 pages * 64 B = 16 MiB from 0xfffffe007ee00000
            assertThat(U64.end(0xfffffe007ee00000L, 16L << 20)).isEqualTo(0xfffffe007fe00000L);
            assertThat(U64.end(PAGE_OFFSET_48, 0)).isEqualTo(PAGE_OFFSET_48);
            assertThat(U64.end(0, TOP)).isEqualTo(TOP);
        }

        @Test
        void end_passing2pow64IsOverflow() {
            assertThatThrownBy(() -> U64.end(0xffffffffffff0000L, 0x20000))
                    .isInstanceOf(U64.Overflow.class)
                    .hasMessageContaining("0xffffffffffff0000");
            assertThat(U64.endOverflows(0xffffffffffff0000L, 0x20000)).isTrue();
        }

        @Test
        void end_reachingExactly2pow64IsOverflow() {
            // [2^64 - 2 MiB, 2^64) has no exclusive end in 64 bits: use lastByte for such ranges.
            assertThatThrownBy(() -> U64.end(0xffffffffffe00000L, 2L << 20)).isInstanceOf(U64.Overflow.class);
            assertThat(U64.endOverflows(0xffffffffffe00000L, 2L << 20)).isTrue();
            assertThat(U64.lastByte(0xffffffffffe00000L, 2L << 20)).isEqualTo(TOP);
        }

        @Test
        void endOverflows_falseInsideTheSpace() {
            assertThat(U64.endOverflows(0xffffffffffe00000L, (2L << 20) - 1)).isFalse();
            assertThat(U64.endOverflows(TOP, 0)).isFalse();
        }

        @Test
        void lastByte_inclusiveForm() {
            // 4 GiB of RAM at 0x4000_0000 (spec 10.0): last byte 0x1_3fff_ffff
            assertThat(U64.lastByte(0x40000000L, 4L << 30)).isEqualTo(0x13fffffffL);
            assertThatThrownBy(() -> U64.lastByte(0xffffffffffe00000L, (2L << 20) + 1)).isInstanceOf(U64.Overflow.class);
            assertThatThrownBy(() -> U64.lastByte(0x1000, 0)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    class Align {
        @ParameterizedTest(name = "ALIGN({0}, {1}) = {2}")
        @CsvSource({
            "0x0, 0x200000, 0x0",
            "0x1, 0x200000, 0x200000",
            "0x200000, 0x200000, 0x200000",
            // spec 10.1: metadata end 16,785,280 B aligned to 2 MiB = 18 MiB
            "0x1001f80, 0x200000, 0x1200000",
            // a 2 MiB aligned kernel VA above the sign bit
            "0xfffffdffffe00001, 0x200000, 0xfffffe0000000000",
            "0xfffffdffffe00000, 0x40000000, 0xfffffe0000000000",
        })
        void alignUp_powersOfTwo(String x, String a, String expected) {
            assertThat(U64.alignUp(hex(x), hex(a))).isEqualTo(hex(expected));
        }

        @Test
        void alignUp_past2pow64IsOverflow() {
            assertThatThrownBy(() -> U64.alignUp(0xfffffffffffff001L, 0x1000)).isInstanceOf(U64.Overflow.class);
        }

        @ParameterizedTest(name = "ALIGN_DOWN({0}, {1}) = {2}")
        @CsvSource({
            "0xfffffe007ee12345, 0x200000, 0xfffffe007ee00000",
            "0xfffffe007ee00000, 0x40000000, 0xfffffe0040000000",
            "0x4000_0000, 0x40000000, 0x40000000",
            "0x7fff_ffff, 0x40000000, 0x40000000",
            "0x3fff_ffff, 0x40000000, 0x0",
            "0xffffffffffffffff, 0x1000, 0xfffffffffffff000",
        })
        void alignDown_powersOfTwo(String x, String a, String expected) {
            assertThat(U64.alignDown(hex(x), hex(a))).isEqualTo(hex(expected));
        }

        @Test
        void isAligned_andIsPow2() {
            assertThat(U64.isAligned(0xfffffdffffe00000L, 0x200000)).isTrue();
            assertThat(U64.isAligned(0xfffffdffffe00000L, 0x40000000)).isFalse();
            assertThat(U64.isPow2(1L << 63)).isTrue();
            assertThat(U64.isPow2(0)).isFalse();
            assertThat(U64.isPow2(3 << 20)).isFalse();
        }
    }

    @Nested
    class Bits {
        @ParameterizedTest(name = "__ffs({0}) = {1}")
        @CsvSource({
            "0x1, 0",
            "0x2000002, 1",
            // spec 10.1: base_pfn 0x2000000 is 2^25 aligned
            "0x2000000, 25",
            "0x8000000000000000, 63",
            "0xfffffdffffe00000, 21",
        })
        void ffs0_lowestSetBit(String x, int expected) {
            assertThat(U64.ffs0(hex(x))).isEqualTo(expected);
        }

        @Test
        void ffs0_ofZeroIsRejected() {
            assertThatThrownBy(() -> U64.ffs0(0)).isInstanceOf(IllegalArgumentException.class);
        }

        @ParameterizedTest(name = "ilog2({0}) = {1}, order_base_2 = {2}")
        @CsvSource({
            "0x1, 0, 0",
            "0x2, 1, 1",
            "0x3, 1, 2",
            "0x40, 6, 6",
            "0x41, 6, 7",
            "0x4000000000000001, 62, 63",
        })
        void ilog2_andOrderBase2(String x, int ilog2, int orderBase2) {
            assertThat(U64.ilog2(hex(x))).isEqualTo(ilog2);
            assertThat(U64.orderBase2(hex(x))).isEqualTo(orderBase2);
        }

        @Test
        void ilog2_aboveSignBit() {
            assertThat(U64.ilog2(0x8000000000000000L)).isEqualTo(63);
            assertThat(U64.ilog2(0xffffffffffffffffL)).isEqualTo(63);
        }

        /** order_base_2(2^63) = 63; currently 0 because U64.orderBase2 tests {@code x <= 1} signed. */
        @Test
        void orderBase2_aboveSignBit() {
            assertThat(U64.orderBase2(0x8000000000000000L)).isEqualTo(63);
        }

        @ParameterizedTest(name = "get_order({0}) with PAGE_SHIFT {1} = {2}")
        @CsvSource({
            "2097152, 12, 9",
            "4096, 12, 0",
            "1, 12, 0",
            "4097, 12, 1",
            "4194304, 12, 10",
            "2097152, 16, 5",
            "536870912, 16, 13",
            "33554432, 14, 11",
        })
        void getOrder_perPageShift(long size, int pageShift, int expected) {
            assertThat(U64.getOrder(size, pageShift)).isEqualTo(expected);
        }
    }

    @Nested
    class Print {
        @Test
        void hexAndStr_areUnsigned() {
            assertThat(U64.hex(PAGE_OFFSET_48)).isEqualTo("0xffff000000000000");
            assertThat(U64.hex16(0x40000000L)).isEqualTo("0x0000000040000000");
            assertThat(U64.str(TOP)).isEqualTo("18446744073709551615");
        }
    }

    static long hex(String text) {
        return Long.parseUnsignedLong(text.trim().substring(2).replace("_", ""), 16);
    }
}
