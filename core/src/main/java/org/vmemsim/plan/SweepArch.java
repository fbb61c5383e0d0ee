package org.vmemsim.plan;

import java.util.List;
import org.vmemsim.arch.Arch;
import org.vmemsim.arch.Granule;

/**
 * One architecture value of a sweep grid: {@code ARCH} or {@code ARCH:VA_BITS} (the key
 * {@code vmemsim plan --compare arch=...} takes). A VA size given here overrides the grid's VA
 * sizes for this arch only; without it the arch goes through the grid's VA sizes ({@code null}:
 * the arch's default for the granule).
 */
public record SweepArch(Arch arch, Integer vaBits) {
    /** arm64 with its default VA sizes: the sweep's default arch. */
    public static final SweepArch ARM64 = new SweepArch(Arch.ARM64, null);

    /** Parses {@code arm64}, {@code x86_64}, {@code riscv64:48} ... (aliases as {@link Arch#parse}). */
    public static SweepArch parse(String text) {
        String s = text.trim();
        int colon = s.indexOf(':');
        if (colon < 0) {
            return new SweepArch(Arch.parse(s), null);
        }
        String va = s.substring(colon + 1).trim();
        try {
            return new SweepArch(Arch.parse(s.substring(0, colon)), Integer.valueOf(va));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("arch '" + text + "': VA size '" + va
                    + "' is not a number of bits (e.g. riscv64:48)");
        }
    }

    /** As written on the command line: {@code arm64} or {@code riscv64:48}. */
    public String label() {
        return vaBits == null ? arch.label : arch.label + ":" + vaBits;
    }

    /**
     * The granules a sweep runs on this arch when none are given: every page size vmemsim models for
     * it (the geometries reject the others): arm64 4K, 16K, 64K; x86_64 and riscv64 4K (PAGE_SHIFT is
     * always 12); ppc64 64K (radix with 64K pages); ia64 16K, 64K.
     */
    public static List<Granule> defaultGranules(Arch arch) {
        return switch (arch) {
            case ARM64 -> List.of(Granule.G4K, Granule.G16K, Granule.G64K);
            case X86_64, RISCV64 -> List.of(Granule.G4K);
            case PPC64 -> List.of(Granule.G64K);
            case IA64 -> List.of(Granule.G16K, Granule.G64K);
        };
    }
}
