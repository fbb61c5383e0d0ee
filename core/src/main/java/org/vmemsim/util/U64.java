package org.vmemsim.util;

/**
 * Unsigned 64-bit arithmetic for physical addresses, virtual addresses and pfns.
 *
 * <p>Kernel virtual addresses on arm64 live in the top of the 64-bit space and are negative as Java
 * {@code long}s, so every ordering, division and end-of-range computation on an address goes
 * through this class. Ranges are half-open {@code [start, end)}; an end that would pass 2^64 is an
 * error ({@link Overflow}), never a wrapped value. The single exception is the inclusive "last
 * byte" form used by kernel helpers such as {@code mhp_range_allowed}, which {@link #lastByte}
 * provides.
 */
public final class U64 {
    private U64() {}

    /** Thrown when a range computation would pass 2^64. */
    public static final class Overflow extends ArithmeticException {
        public Overflow(String message) {
            super(message);
        }
    }

    public static int cmp(long a, long b) {
        return Long.compareUnsigned(a, b);
    }

    public static boolean lt(long a, long b) {
        return Long.compareUnsigned(a, b) < 0;
    }

    public static boolean le(long a, long b) {
        return Long.compareUnsigned(a, b) <= 0;
    }

    public static boolean gt(long a, long b) {
        return Long.compareUnsigned(a, b) > 0;
    }

    public static boolean ge(long a, long b) {
        return Long.compareUnsigned(a, b) >= 0;
    }

    public static long min(long a, long b) {
        return lt(a, b) ? a : b;
    }

    public static long max(long a, long b) {
        return gt(a, b) ? a : b;
    }

    public static long div(long a, long b) {
        return Long.divideUnsigned(a, b);
    }

    public static long rem(long a, long b) {
        return Long.remainderUnsigned(a, b);
    }

    /** {@code start + size} as the exclusive end of a range; throws when it passes 2^64. */
    public static long end(long start, long size) {
        long e = start + size;
        if (size != 0 && Long.compareUnsigned(e, start) <= 0 && e != 0) {
            throw new Overflow(String.format("range 0x%x + 0x%x passes 2^64", start, size));
        }
        if (e == 0 && size != 0 && start != 0) {
            // exactly 2^64: representable only as an inclusive end
            throw new Overflow(String.format("range 0x%x + 0x%x ends at 2^64", start, size));
        }
        return e;
    }

    /** True when {@code start + size} would pass (or reach) 2^64. */
    public static boolean endOverflows(long start, long size) {
        long e = start + size;
        return size != 0 && Long.compareUnsigned(e, start) <= 0;
    }

    /** Inclusive last byte {@code start + size - 1}; size must be non-zero. */
    public static long lastByte(long start, long size) {
        if (size == 0) {
            throw new IllegalArgumentException("empty range has no last byte");
        }
        long last = start + size - 1;
        if (Long.compareUnsigned(last, start) < 0) {
            throw new Overflow(String.format("range 0x%x + 0x%x passes 2^64", start, size));
        }
        return last;
    }

    /** True when {@code x} lies in the half-open range {@code [start, end)}. */
    public static boolean inRange(long x, long start, long end) {
        return ge(x, start) && lt(x, end);
    }

    /** True when {@code [aStart, aEnd)} and {@code [bStart, bEnd)} intersect. */
    public static boolean overlaps(long aStart, long aEnd, long bStart, long bEnd) {
        return lt(aStart, bEnd) && lt(bStart, aEnd);
    }

    public static boolean isPow2(long x) {
        return x != 0 && (x & (x - 1)) == 0;
    }

    /** ALIGN(x, a) for a power-of-two {@code a}; throws on overflow. */
    public static long alignUp(long x, long a) {
        long r = (x + a - 1) & -a;
        if (x != 0 && Long.compareUnsigned(r, x) < 0) {
            throw new Overflow(String.format("ALIGN(0x%x, 0x%x) passes 2^64", x, a));
        }
        return r;
    }

    /** ALIGN_DOWN(x, a) for a power-of-two {@code a}. */
    public static long alignDown(long x, long a) {
        return x & -a;
    }

    public static boolean isAligned(long x, long a) {
        return (x & (a - 1)) == 0;
    }

    /** Index of the least significant set bit, the kernel's {@code __ffs}; x must be non-zero. */
    public static int ffs0(long x) {
        if (x == 0) {
            throw new IllegalArgumentException("ffs of 0");
        }
        return Long.numberOfTrailingZeros(x);
    }

    /** {@code ilog2} of a non-zero value (floor). */
    public static int ilog2(long x) {
        return 63 - Long.numberOfLeadingZeros(x);
    }

    /** {@code order_base_2}: ceil(log2(x)) for x >= 1. */
    public static int orderBase2(long x) {
        return Long.compareUnsigned(x, 1) <= 0 ? 0 : 64 - Long.numberOfLeadingZeros(x - 1);
    }

    /** {@code get_order(size)} for a page size of {@code 1 << pageShift}. */
    public static int getOrder(long size, int pageShift) {
        long pages = (size + (1L << pageShift) - 1) >>> pageShift;
        return orderBase2(pages);
    }

    /** DIV_ROUND_UP for unsigned values. */
    public static long divRoundUp(long n, long d) {
        return Long.divideUnsigned(n, d) + (Long.remainderUnsigned(n, d) == 0 ? 0 : 1);
    }

    public static String hex(long x) {
        return "0x" + Long.toHexString(x);
    }

    public static String hex16(long x) {
        return String.format("0x%016x", x);
    }

    public static String str(long x) {
        return Long.toUnsignedString(x);
    }
}
