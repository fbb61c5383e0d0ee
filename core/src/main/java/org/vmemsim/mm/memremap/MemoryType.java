package org.vmemsim.mm.memremap;

import java.util.Locale;

/** {@code enum memory_type} of a dev_pagemap ({@code include/linux/memremap.h}). */
public enum MemoryType {
    PRIVATE("private"), COHERENT("coherent"), FS_DAX("fsdax"), GENERIC("generic"), PCI_P2PDMA("p2pdma");

    public final String label;

    MemoryType(String label) {
        this.label = label;
    }

    public static MemoryType parse(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        for (MemoryType m : values()) {
            if (m.label.equals(t) || m.name().toLowerCase(Locale.ROOT).equals(t)) {
                return m;
            }
        }
        if (t.equals("devdax") || t.equals("dax")) {
            return GENERIC;
        }
        throw new IllegalArgumentException("unknown memory type '" + s + "' (valid: fsdax, generic (devdax), p2pdma, private)");
    }
}
