package org.vmemsim.kernel;

import org.vmemsim.util.Sz;
import org.vmemsim.util.U64;

/** A boot RAM range {@code [start, start + size)} on a NUMA node. */
public record RamRange(long start, long size, int node) {
    public long end() {
        return U64.end(start, size);
    }

    /** Parses {@code SIZE@ADDR[:NODE]}, e.g. {@code 4G@0x40000000} or {@code 2G@0x1_0000_0000:1}. */
    public static RamRange parse(String text) {
        String s = text.trim();
        int at = s.indexOf('@');
        if (at < 0) {
            throw new IllegalArgumentException("RAM range '" + text + "' must be SIZE@ADDR[:NODE], e.g. 4G@0x40000000");
        }
        long size = Sz.parse(s.substring(0, at));
        String rest = s.substring(at + 1);
        int node = 0;
        int colon = rest.indexOf(':');
        if (colon >= 0) {
            try {
                node = Integer.parseInt(rest.substring(colon + 1).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("RAM range '" + text + "': node '" + rest.substring(colon + 1) + "' is not a number");
            }
            rest = rest.substring(0, colon);
        }
        long start = Sz.parseAddress(rest);
        return new RamRange(start, size, node);
    }

    @Override
    public String toString() {
        return Sz.human(size) + "@" + U64.hex(start) + (node != 0 ? ":" + node : "");
    }
}
