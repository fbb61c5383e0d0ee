package org.vmemsim.arch;

import java.util.Locale;

/** The architectures vmemsim models. */
public enum Arch {
    ARM64("arm64"),
    X86_64("x86_64"),
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
        if (s.equals("riscv") || s.equals("rv64")) {
            s = "riscv64";
        }
        for (Arch a : values()) {
            if (a.label.equals(s)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown arch '" + text + "' (valid: arm64, x86_64, riscv64, ia64)");
    }
}
