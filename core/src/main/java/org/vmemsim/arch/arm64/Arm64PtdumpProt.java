package org.vmemsim.arch.arm64;

import org.vmemsim.arch.Geometry;
import org.vmemsim.arch.KernelProfile;

/**
 * The attribute columns ({@code pte_bits[]}) and level names ({@code pg_level[]}) of
 * {@code arch/arm64/mm/ptdump.c} (named {@code dump.c} before v5.10) for one kernel profile.
 *
 * <p>Columns, in the kernel's order, each printed as a space and then the "set" or the "clear"
 * string (memory types print nothing when they do not match):
 * <pre>
 *   VALID " " / "F"    USER "USR" / "   "   AP[2] "ro" / "RW"    PXN "NX" / "x "
 *   SHARED "SHD" / "   "   AF "AF" / "  "    nG "NG" / "  "      CONT "CON" / "   "
 *   TABLE_BIT "   " / "BLK"   UXN "UXN" / "   "   GP "GP" / "  "
 *   AttrIndx: one of DEVICE/nGnRnE, DEVICE/nGnRE, [DEVICE/GRE], MEM/NORMAL-NC, MEM/NORMAL, [MEM/NORMAL-TAGGED]
 * </pre>
 * The memory-type list and the MAIR indices follow the profile: 5.8/5.9 have Device-GRE and no
 * Normal-Tagged, with MT_NORMAL at index 4; 6.1 and later have Normal-Tagged, no Device-GRE, with
 * MT_NORMAL at index 0. The bits ptdump does not know (DBM, the software dirty and write bits, the
 * output address) are outside {@link #mask} and so never split a line.
 */
final class Arm64PtdumpProt {
    /** PTE_USER (AP[1]). */
    static final long PTE_USER = 1L << 6;
    /** PTE_GP, the BTI guarded-page bit (v8.5). */
    static final long PTE_GP = 1L << 50;

    private record Bit(long mask, long val, String set, String clear) {}

    private final Bit[] bits;
    /** OR of every column's mask: the part of a descriptor that note_page compares. */
    final long mask;
    /** Name printed for each note_page level 0..4 (pgd, p4d, pud, pmd, pte). */
    private final String[] names;
    /** v6.9+: note_page moves notes of compile-time folded p4d/pud levels to level 0. */
    final boolean foldAtNote;

    private Arm64PtdumpProt(Bit[] bits, String[] names, boolean foldAtNote) {
        this.bits = bits;
        long m = 0;
        for (Bit b : bits) {
            m |= b.mask;
        }
        this.mask = m;
        this.names = names;
        this.foldAtNote = foldAtNote;
    }

    /** Whether the profile uses the pre-v5.11 MAIR layout (MT_NORMAL = 4, Device-GRE present, no MTE). */
    static boolean legacyMair(KernelProfile p) {
        return switch (p) {
            case V5_8, V5_9 -> true;
            case V6_1, V6_12, MAINLINE -> false;
        };
    }

    /**
     * Whether the profile has the v6.9 ptdump ("arm64: ptdump: Deal with translation levels folded at
     * runtime"): plain level names, folded levels mapped to level 0 inside note_page.
     */
    static boolean runtimeFoldNames(KernelProfile p) {
        return switch (p) {
            case V5_8, V5_9, V6_1 -> false;
            case V6_12, MAINLINE -> true;
        };
    }

    /**
     * The table for {@code g}'s profile; {@code fmt} must build descriptors for the same profile.
     *
     * @kernel arch/arm64/mm/ptdump.c: ptdump_initialize
     */
    static Arm64PtdumpProt of(Geometry g, Arm64Pte fmt) {
        boolean legacy = legacyMair(g.profile);
        long mtNormal = legacy ? 4 : 0;
        if (fmt.mtNormal() != mtNormal) {
            throw new IllegalArgumentException("descriptor format has MT_NORMAL at index " + fmt.mtNormal()
                    + " but kernel " + g.profile.label + " puts it at " + mtNormal
                    + ": Arm64Pte and Geometry were built for different profiles");
        }
        String[] mt;
        long[] idx;
        if (legacy) {
            mt = new String[] {"DEVICE/nGnRnE", "DEVICE/nGnRE", "DEVICE/GRE", "MEM/NORMAL-NC", "MEM/NORMAL"};
            idx = new long[] {0, 1, 2, 3, 4};
        } else {
            mt = new String[] {"DEVICE/nGnRnE", "DEVICE/nGnRE", "MEM/NORMAL-NC", "MEM/NORMAL", "MEM/NORMAL-TAGGED"};
            idx = new long[] {3, 4, 2, 0, 1};
        }
        Bit[] b = new Bit[11 + mt.length];
        int i = 0;
        b[i++] = new Bit(Arm64Pte.PTE_VALID, Arm64Pte.PTE_VALID, " ", "F");
        b[i++] = new Bit(PTE_USER, PTE_USER, "USR", "   ");
        b[i++] = new Bit(Arm64Pte.PTE_RDONLY, Arm64Pte.PTE_RDONLY, "ro", "RW");
        b[i++] = new Bit(Arm64Pte.PTE_PXN, Arm64Pte.PTE_PXN, "NX", "x ");
        b[i++] = new Bit(Arm64Pte.PTE_SHARED, Arm64Pte.PTE_SHARED, "SHD", "   ");
        b[i++] = new Bit(Arm64Pte.PTE_AF, Arm64Pte.PTE_AF, "AF", "  ");
        b[i++] = new Bit(Arm64Pte.PTE_NG, Arm64Pte.PTE_NG, "NG", "  ");
        b[i++] = new Bit(Arm64Pte.PTE_CONT, Arm64Pte.PTE_CONT, "CON", "   ");
        b[i++] = new Bit(Arm64Pte.PTE_TABLE_BIT, Arm64Pte.PTE_TABLE_BIT, "   ", "BLK");
        b[i++] = new Bit(Arm64Pte.PTE_UXN, Arm64Pte.PTE_UXN, "UXN", "   ");
        b[i++] = new Bit(PTE_GP, PTE_GP, "GP", "  ");
        for (int k = 0; k < mt.length; k++) {
            b[i++] = new Bit(Arm64Pte.ATTRINDX_MASK, idx[k] << 2, mt[k], null);
        }
        boolean fold = runtimeFoldNames(g.profile);
        String[] names = fold
                ? new String[] {"PGD", "P4D", "PUD", "PMD", "PTE"}
                : new String[] {"PGD", "P4D", g.levels > 3 ? "PUD" : "PGD", g.levels > 2 ? "PMD" : "PGD", "PTE"};
        return new Arm64PtdumpProt(b, names, fold);
    }

    /** The name column for a note_page level (0 = pgd ... 4 = pte). */
    String name(int level) {
        return names[level];
    }

    /**
     * Appends the attribute columns of {@code prot} (already masked) to {@code sb}.
     *
     * @kernel arch/arm64/mm/ptdump.c: dump_prot
     */
    void dumpProt(StringBuilder sb, long prot) {
        for (Bit b : bits) {
            String s = (prot & b.mask) == b.val ? b.set : b.clear;
            if (s != null) {
                sb.append(' ').append(s);
            }
        }
    }
}
