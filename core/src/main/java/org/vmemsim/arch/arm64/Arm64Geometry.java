package org.vmemsim.arch.arm64;

import org.vmemsim.arch.Arch;
import org.vmemsim.arch.Geometry;
import org.vmemsim.arch.Granule;
import org.vmemsim.arch.KernelProfile;
import org.vmemsim.util.Sz;

/**
 * arm64 build-time geometry: the values of {@code arch/arm64/include/asm/pgtable-hwdef.h},
 * {@code memory.h}, {@code sparsemem.h}, {@code kernel-pgtable.h} and {@code Kconfig} for one
 * granule, VA size and kernel profile. No KASLR, no KASAN.
 */
public final class Arm64Geometry {
    private Arm64Geometry() {}

    /** VA sizes a granule supports in a profile ({@code arch/arm64/Kconfig}: ARM64_VA_BITS_*). */
    public static int[] validVaBits(Granule g, KernelProfile p) {
        return switch (g) {
            case G4K -> p.lpa2() ? new int[] {39, 48, 52} : new int[] {39, 48};
            case G16K -> p.lpa2() ? new int[] {36, 47, 48, 52} : new int[] {36, 47, 48};
            case G64K -> new int[] {42, 48, 52};
        };
    }

    /** The VA size used when none is given: 48 for 4K and 64K, 47 for 16K (what distributions build). */
    public static int defaultVaBits(Granule g) {
        return switch (g) {
            case G4K -> 48;
            case G16K -> 47;
            case G64K -> 48;
        };
    }

    /**
     * Builds the geometry.
     *
     * @throws IllegalArgumentException naming the VA size and the rule when the combination does not
     *     exist in that profile
     */
    public static Geometry of(Granule g, int vaBits, KernelProfile p) {
        boolean ok = false;
        for (int v : validVaBits(g, p)) {
            ok |= v == vaBits;
        }
        if (!ok) {
            StringBuilder valid = new StringBuilder();
            for (int v : validVaBits(g, p)) {
                valid.append(valid.length() == 0 ? "" : ", ").append(v);
            }
            throw new IllegalArgumentException("VA size " + vaBits + " is not valid for arm64 " + g.label()
                    + " pages in kernel " + p.label + " (valid: " + valid + ")");
        }
        int pageShift = g.pageShift;
        int bitsPerLevel = pageShift - 3;
        // CONFIG_PGTABLE_LEVELS = (VA_BITS - 4) / (PAGE_SHIFT - 3)
        int levels = (vaBits - 4) / bitsPerLevel;
        int[] shift = new int[levels];
        int[] ptrs = new int[levels];
        boolean[] block = new boolean[levels];
        int top4 = 4 - levels; // 4-level numbering of the top level (may be -1 with 5 levels)
        for (int i = 0; i < levels; i++) {
            int n = top4 + i;
            shift[i] = bitsPerLevel * (4 - n) + 3;
            ptrs[i] = 1 << bitsPerLevel;
        }
        ptrs[0] = 1 << (vaBits - shift[0]);
        int pmdShift = pageShift + bitsPerLevel;
        int pudShift = pmdShift + bitsPerLevel;
        for (int i = 0; i < levels; i++) {
            // PMD blocks for every granule; PUD (1 GiB) blocks only with 4K pages.
            block[i] = shift[i] == pmdShift || (g == Granule.G4K && shift[i] == pudShift && levels >= 3);
        }
        int sectionBits = p.sectionSizeBits(g);
        // 52-bit PA is configured together with 52-bit VA (64K PA_BITS_52, or LPA2 on 4K/16K).
        int maxPhysmemBits = vaBits == 52 ? 52 : 48;

        // ARM64_MEMSTART_SHIFT: PUD_SHIFT (4K), CONT_PMD_SHIFT = 30 (16K), PMD_SHIFT (64K); at least a section.
        int memstartShift = switch (g) {
            case G4K -> 30;
            case G16K -> 30;
            case G64K -> pmdShift;
        };
        long memstartAlign = 1L << Math.max(memstartShift, sectionBits);

        long pageOffset = -(1L << vaBits); // _PAGE_OFFSET(VA_BITS) = 2^64 - 2^VA
        // VA_BITS_MIN: the VA size a 52-bit kernel falls back to on hardware without 52-bit VA. 48, except
        // 16K pages with LPA2 (v6.9+), whose fallback is 47 bits.
        int vaBitsMin = vaBits <= 48 ? vaBits : g == Granule.G16K ? 47 : 48;
        long pageEndMin = -(1L << (vaBitsMin - 1)); // _PAGE_END(VA_BITS_MIN)
        long pageEnd = switch (p.vmemmapLayout()) {
            // v5.4..v5.10: PAGE_END = _PAGE_END(vabits_actual); we assume 52-bit capable hardware.
            case E5_4 -> -(1L << (vaBits - 1));
            // v5.11+ ("arm64: mm: extend linear region for 52-bit VA configurations"): _PAGE_END(VA_BITS_MIN).
            case V5_11, V6_9 -> pageEndMin;
        };
        long vmemmapSize;
        long vmemmapStart;
        long vmemmapEnd;
        int vmemmapShift = pageShift - Geometry.STRUCT_PAGE_SHIFT;
        switch (p.vmemmapLayout()) {
            case E5_4 -> {
                vmemmapSize = (pageEndMin - pageOffset) >>> vmemmapShift;
                vmemmapStart = -vmemmapSize - Sz.SZ_2M;
                vmemmapEnd = vmemmapStart + vmemmapSize;
            }
            case V5_11 -> {
                vmemmapSize = (pageEndMin - pageOffset) >>> vmemmapShift;
                vmemmapStart = -(1L << (vaBits - vmemmapShift));
                vmemmapEnd = vmemmapStart + vmemmapSize;
            }
            default -> {
                vmemmapSize = ((pageEndMin - pageOffset) >>> pageShift) * Geometry.STRUCT_PAGE_SIZE;
                vmemmapEnd = -Sz.SZ_1G;
                vmemmapStart = vmemmapEnd - vmemmapSize;
            }
        }
        return new Geometry(Arch.ARM64, g, p, vaBits, levels, shift, ptrs, block, sectionBits, maxPhysmemBits,
                p.maxPageOrder(g), memstartAlign, pageOffset, pageEnd, vmemmapStart, vmemmapSize, vmemmapEnd);
    }
}
