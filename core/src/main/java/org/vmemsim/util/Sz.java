package org.vmemsim.util;

import java.util.Locale;

/** Size constants in the kernel's {@code SZ_*} style, and parsing/printing of sizes. */
public final class Sz {
    private Sz() {}

    public static final long SZ_1K = 1L << 10;
    public static final long SZ_4K = 1L << 12;
    public static final long SZ_8K = 1L << 13;
    public static final long SZ_16K = 1L << 14;
    public static final long SZ_32K = 1L << 15;
    public static final long SZ_64K = 1L << 16;
    public static final long SZ_1M = 1L << 20;
    public static final long SZ_2M = 1L << 21;
    public static final long SZ_4M = 1L << 22;
    public static final long SZ_16M = 1L << 24;
    public static final long SZ_32M = 1L << 25;
    public static final long SZ_64M = 1L << 26;
    public static final long SZ_128M = 1L << 27;
    public static final long SZ_256M = 1L << 28;
    public static final long SZ_512M = 1L << 29;
    public static final long SZ_1G = 1L << 30;
    public static final long SZ_2G = 1L << 31;
    public static final long SZ_4G = 1L << 32;
    public static final long SZ_16G = 1L << 34;
    public static final long SZ_64G = 1L << 36;
    public static final long SZ_1T = 1L << 40;

    /**
     * Parses a size: a decimal or {@code 0x} hexadecimal number, underscores allowed, with an
     * optional binary suffix K, M, G, T, P or E (case-insensitive, optional trailing "iB" or "B").
     * Plain numbers are bytes.
     *
     * @throws IllegalArgumentException naming the text when it is not a size or passes 2^64 - 1
     */
    public static long parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("missing size");
        }
        String s = text.trim().replace("_", "");
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty size");
        }
        int shift = 0;
        String upper = s.toUpperCase(Locale.ROOT);
        if (upper.endsWith("IB")) {
            upper = upper.substring(0, upper.length() - 2);
        } else if (upper.endsWith("B") && !upper.startsWith("0X")) {
            upper = upper.substring(0, upper.length() - 1);
        }
        if (!upper.startsWith("0X") && !upper.isEmpty()) {
            char last = upper.charAt(upper.length() - 1);
            int idx = "KMGTPE".indexOf(last);
            if (idx >= 0) {
                shift = 10 * (idx + 1);
                upper = upper.substring(0, upper.length() - 1);
            }
        }
        long value;
        try {
            if (upper.startsWith("0X")) {
                String hex = upper.substring(2);
                if (hex.isEmpty()) {
                    throw new NumberFormatException();
                }
                value = Long.parseUnsignedLong(hex, 16);
            } else {
                value = Long.parseUnsignedLong(upper);
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a size (expected e.g. 4G, 128M, 4096 or 0x1000)");
        }
        if (shift > 0 && (value >>> (64 - shift)) != 0) {
            throw new IllegalArgumentException("'" + text + "' does not fit in 64 bits");
        }
        return value << shift;
    }

    /** Parses an address: {@code 0x...} hexadecimal (underscores allowed) or decimal. */
    public static long parseAddress(String text) {
        if (text == null) {
            throw new IllegalArgumentException("missing address");
        }
        String s = text.trim().replace("_", "");
        try {
            if (s.startsWith("0x") || s.startsWith("0X")) {
                String hex = s.substring(2);
                if (hex.isEmpty() || hex.length() > 16) {
                    throw new NumberFormatException();
                }
                return Long.parseUnsignedLong(hex, 16);
            }
            return parse(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not an address (expected e.g. 0xffff_fc00_0000_0000)");
        }
    }

    /** Human size with binary unit, exact when possible: 4096 -> "4K", 3 GiB -> "3G", 1536 -> "1536". */
    public static String human(long bytes) {
        String[] units = {"", "K", "M", "G", "T", "P", "E"};
        int u = 0;
        long v = bytes;
        while (u < units.length - 1 && v != 0 && (v & 1023) == 0) {
            v >>>= 10;
            u++;
        }
        return Long.toUnsignedString(v) + units[u];
    }

    /** Size with an unambiguous binary unit and two decimals: "16.00 GiB". */
    public static String gib(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double v = bytes < 0 ? (double) (bytes >>> 1) * 2 : bytes;
        int u = 0;
        while (u < units.length - 1 && v >= 1024) {
            v /= 1024;
            u++;
        }
        return u == 0 ? Long.toUnsignedString(bytes) + " B" : String.format(Locale.ROOT, "%.2f %s", v, units[u]);
    }
}
