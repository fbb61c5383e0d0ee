package org.vmemsim.arch;

import java.util.Locale;

/** The architectures vmemsim models. */
public enum Arch {
    ARM64("arm64");

    public final String label;

    Arch(String label) {
        this.label = label;
    }

    public static Arch parse(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        if (s.equals("aarch64")) {
            s = "arm64";
        }
        for (Arch a : values()) {
            if (a.label.equals(s)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown arch '" + text + "' (valid: arm64)");
    }
}
