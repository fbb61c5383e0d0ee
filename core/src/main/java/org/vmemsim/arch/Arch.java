package org.vmemsim.arch;

import java.util.Locale;

/** The architectures vmemsim models. */
public enum Arch {
    ARM64("arm64"),
    X86_64("x86_64"),
    /** powerpc64 Book3S-64 with the radix MMU (the hash MMU is not modelled). */
    PPC64("ppc64"),
    RISCV64("riscv64"),
    IA64("ia64");

    public final String label;

    Arch(String label) {
        this.label = label;
    }

    public static Arch parse(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        if (s.equals("aarch64")) {
            s = "arm64";
        }
        if (s.equals("x86-64") || s.equals("amd64") || s.equals("x64")) {
            s = "x86_64";
        }
        if (s.equals("ppc64-hash") || s.equals("ppc64/hash") || s.equals("hash")) {
            throw new IllegalArgumentException("arch '" + text
                    + "': the ppc64 hash MMU is not modelled (valid: ppc64, which is the radix MMU)");
        }
        if (s.equals("powerpc64") || s.equals("ppc64le")) {
            s = "ppc64";
        }
        if (s.equals("riscv") || s.equals("rv64")) {
            s = "riscv64";
        }
        for (Arch a : values()) {
            if (a.label.equals(s)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown arch '" + text + "' (valid: arm64, x86_64, ppc64, riscv64, ia64)");
    }
}
