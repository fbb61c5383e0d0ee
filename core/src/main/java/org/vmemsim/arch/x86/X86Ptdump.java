package org.vmemsim.arch.x86;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.vmemsim.arch.Geometry;
import org.vmemsim.util.U64;

/**
 * The x86-64 kernel page-table dump ({@code /sys/kernel/debug/page_tables/kernel}), modelled on
 * {@code arch/x86/mm/dump_pagetables.c} ({@code note_page}, {@code printk_prot}, the address markers)
 * with the generic walker of {@code mm/ptdump.c}: a pure formatter from the walker's notes.
 *
 * <p>The caller walks {@code [0, 2^(VA-1))} and {@code [GUARD_HOLE_END, 2^64)} and notes every entry
 * in VA order: a leaf at its level, an empty entry at the level where the walk found it (the top
 * hardware level of 4-level paging is the folded p4d level, so its holes print as {@code p4d}).
 * Notes with the same flags and level merge; a break prints the finished range, then at most one
 * marker header (the kernel advances one marker per break). The last range is closed by the
 * walker's final note at address 0.
 *
 * <p>Left out: the Fixmap marker (its address depends on the configuration), the per-marker line
 * limit of the ESPfix area, the KASAN markers (no KASAN), the W+X check. vmemsim addition: with
 * {@code showBacking} a mapped line gets one more column (two spaces, the backing label) and
 * ranges with different labels do not merge.
 */
public final class X86Ptdump {
    private X86Ptdump() {}

    /** One entry noted by the walker: software level 0..4 = pgd, p4d, pud, pmd, pte; {@code val} 0 for a hole. */
    public record Note(long addr, int level, long val, String backing) {}

    public record Marker(long va, String name) {}

    private static final String[] LEVEL_NAME = {"pgd", "p4d", "pud", "pmd", "pte"};
    /** PTE_FLAGS_MASK: everything but the pfn bits. */
    private static final long FLAGS_MASK = ~X86Pte.PFN_MASK;
    private static final long PAT = 1L << 7;
    private static final long PAT_LARGE = 1L << 12;

    /** Software level of hardware level {@code hwLevel}: pgd, p4d, pud, pmd, pte counted from the leaf. */
    public static int softwareLevel(Geometry g, int hwLevel) {
        return hwLevel + (5 - g.levels);
    }

    /** Start of the second walked range, the end of the guard hole below the direct map. */
    public static long guardHoleEnd(Geometry g) {
        return g.levels == 5 ? 0xff10000000000000L : 0xffff880000000000L;
    }

    /** The address markers of a Debian-like configuration (LDT remap, ESPfix, EFI; no KASAN). */
    public static List<Marker> markers(Geometry g) {
        boolean l5 = g.levels == 5;
        List<Marker> m = new ArrayList<>();
        m.add(new Marker(0, "User Space"));
        m.add(new Marker(1L << 63, "Kernel Space"));
        m.add(new Marker(l5 ? 0xff10000000000000L : 0xffff880000000000L, "LDT remap"));
        m.add(new Marker(g.pageOffset, "Low Kernel Mapping"));
        m.add(new Marker(l5 ? 0xffa0000000000000L : 0xffffc90000000000L, "vmalloc() Area"));
        m.add(new Marker(g.vmemmapStart, "Vmemmap"));
        m.add(new Marker(0xfffffe0000000000L, "CPU entry Area"));
        m.add(new Marker(0xffffff0000000000L, "ESPfix Area"));
        m.add(new Marker(0xffffffef00000000L, "EFI Runtime Services"));
        m.add(new Marker(0xffffffff80000000L, "High Kernel Mapping"));
        m.add(new Marker(0xffffffffc0000000L, "Modules"));
        m.add(new Marker(0xffffffffff000000L, "End Modules"));
        m.add(new Marker(-1L, null));
        return m;
    }

    /** Formats the notes (in walk order) into the dump's lines. */
    public static List<String> format(Geometry g, List<Note> notes, boolean showBacking) {
        List<Marker> markers = markers(g);
        List<String> out = new ArrayList<>();
        int marker = 0;
        int level = -1;
        long prot = 0;
        long start = 0;
        String backing = null;
        boolean first = true;
        List<Note> all = new ArrayList<>(notes);
        all.add(new Note(0, -1, 0, null)); // the walker's final note
        for (Note n : all) {
            long newProt = n.val() & FLAGS_MASK;
            String newBacking = showBacking && n.val() != 0 ? n.backing() : null;
            if (first) {
                first = false;
                out.add("---[ " + markers.get(0).name() + " ]---");
            } else if (newProt != prot || n.level() != level || !Objects.equals(newBacking, backing)
                    || U64.ge(n.addr(), markers.get(marker + 1).va())) {
                out.add(line(start, n.addr(), prot, level, backing));
                if (U64.ge(n.addr(), markers.get(marker + 1).va())) {
                    marker++;
                    out.add("---[ " + markers.get(marker).name() + " ]---");
                }
            } else {
                continue;
            }
            start = n.addr();
            prot = newProt;
            level = n.level();
            backing = newBacking;
        }
        return out;
    }

    private static String line(long start, long end, long prot, int level, String backing) {
        StringBuilder sb = new StringBuilder(String.format("0x%016x-0x%016x   ", start, end));
        long delta = end - start;
        String units = "BKMGTPE";
        int u = 0;
        while ((delta & 1023) == 0 && u < units.length() - 1) {
            delta >>>= 10;
            u++;
        }
        sb.append(String.format("%9s%c ", Long.toUnsignedString(delta), units.charAt(u)));
        if ((prot & X86Pte.PRESENT) == 0) {
            sb.append(" ".repeat(30));
        } else {
            sb.append((prot & X86Pte.USER) != 0 ? "USR " : "    ");
            sb.append((prot & X86Pte.RW) != 0 ? "RW " : "ro ");
            sb.append((prot & X86Pte.PWT) != 0 ? "PWT " : "    ");
            sb.append((prot & X86Pte.PCD) != 0 ? "PCD " : "    ");
            sb.append(level <= 3 && (prot & X86Pte.PSE) != 0 ? "PSE " : "    ");
            boolean pat = (level == 4 && (prot & PAT) != 0) || ((level == 3 || level == 2) && (prot & PAT_LARGE) != 0);
            sb.append(pat ? "PAT " : "    ");
            sb.append((prot & X86Pte.GLOBAL) != 0 ? "GLB " : "    ");
            sb.append((prot & X86Pte.NX) != 0 ? "NX " : "x  ");
        }
        sb.append(LEVEL_NAME[level]);
        if (backing != null) {
            sb.append("  ").append(backing);
        }
        return sb.toString();
    }
}
