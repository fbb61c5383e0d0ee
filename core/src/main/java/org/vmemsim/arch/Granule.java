package org.vmemsim.arch;

import java.util.Locale;

/** A translation granule (base page size). */
public enum Granule {
    G4K(12), G16K(14), G64K(16);

    public final int pageShift;

    Granule(int pageShift) {
        this.pageShift = pageShift;
    }

    public long pageSize() {
        return 1L << pageShift;
    }

    public String label() {
        return (pageSize() >> 10) + "K";
    }

    /** Parses "4K", "4k", "16K", "64K", "4096", "65536". */
    public static Granule parse(String text) {
        String s = text.trim().toUpperCase(Locale.ROOT);
        for (Granule g : values()) {
            if (s.equals(g.label()) || s.equals(g.label() + "B") || s.equals(Long.toString(g.pageSize()))) {
                return g;
            }
        }
        throw new IllegalArgumentException("unknown granule '" + text + "' (valid: 4K, 16K, 64K)");
    }
}
