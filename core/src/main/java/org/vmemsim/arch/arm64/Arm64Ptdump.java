package org.vmemsim.arch.arm64;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.vmemsim.arch.Geometry;
import org.vmemsim.util.U64;

/**
 * The arm64 kernel page-table dump, {@code /sys/kernel/debug/kernel_page_tables}: a pure formatter
 * from a list of leaf mappings to the exact lines the kernel prints. It models
 * {@code arch/arm64/mm/ptdump.c} ({@code dump.c} before v5.10) together with the generic walker of
 * {@code mm/ptdump.c} and {@code mm/pagewalk.c}; it knows nothing about how page tables are stored.
 *
 * <h2>What is modelled</h2>
 * <ul>
 *   <li><b>The walk</b> ({@code ptdump_walk_pgd} over {@code [PAGE_OFFSET, ~0UL)}): every entry of
 *       every present table is noted in VA order. A leaf (block or page) is noted at its level; an
 *       empty entry is noted once, at the level where the walker finds it, as a "hole" with value 0
 *       ({@code ptdump_hole}; an empty PTE is noted at the PTE level). Hole levels of folded
 *       software levels collapse to the top level ({@code real_depth}), so a hole in the top table
 *       always prints {@code PGD}. Which tables exist is inferred from the leaves (a table is present
 *       when at least one leaf lies below it) unless a {@link Tables} predicate is given.</li>
 *   <li><b>Merging</b> ({@code note_page}): consecutive notes stay on one line while the level and
 *       the descriptor bits ptdump knows ({@link Arm64PtdumpProt#mask}) are equal and no marker is
 *       reached. So holes are printed too, as lines with a level name and no attribute columns
 *       (arm64 has done this since v5.6, "arm64: mm: Display non-present entries in ptdump"), and
 *       bits ptdump does not print (DBM, software dirty, output address) never split a line.</li>
 *   <li><b>Markers</b>: a header {@code ---[ NAME ]---} is printed when the first note at or above
 *       the next marker's address arrives, after the line it closes; at most two headers per note.
 *       A range is therefore split only at a noted address, not at the marker itself, and a marker
 *       that no note reaches is never printed (the kernel behaves the same).</li>
 *   <li><b>Line format</b>: {@code 0x%016lx-0x%016lx}, three spaces, {@code %9lu} and the largest
 *       unit of K/M/G/T/P/E that divides the size exactly, a space, the level name, then the
 *       attribute columns of {@link Arm64PtdumpProt} for mapped ranges. The last range ends at
 *       {@code 0x0000000000000000}: the kernel closes it with a final note at address 0.</li>
 *   <li><b>Profiles</b>: level names ({@code PGD} for the pud/pmd levels folded into the top before
 *       v6.9; plain names plus run-time folding after), the memory-type columns and MAIR indices,
 *       and the marker list of each VA layout ({@link #markers}).</li>
 * </ul>
 *
 * <h2>What is left out</h2>
 * <ul>
 *   <li>The "Fixmap start"/"Fixmap end" markers (their start depends on the configuration's fixmap
 *       slot count, which Geometry does not carry), the KASAN markers and the KASAN shadow shortcut
 *       (no KASAN), and the 5.10..5.14 "BPF start/end" markers (no such profile).</li>
 *   <li>Descriptors that are non-zero but not valid (printed by the kernel with {@code F} at the PTE
 *       level, skipped at higher levels): leaves must be valid.</li>
 *   <li>The W+X / non-UXN checks ({@code ptdump_check_wx}), user-space ranges, EFI and hyp dumps.</li>
 *   <li>Run-time folding of a level on hardware without 52-bit VA (vmemsim assumes it is present).</li>
 * </ul>
 *
 * <p>vmemsim addition: with {@code showBacking}, a mapped line gets one more column, two spaces
 * then the leaf's backing label, and ranges with different labels are not merged.
 */
public final class Arm64Ptdump {
    private Arm64Ptdump() {}

    /**
     * One valid leaf mapping found by a table walk: [va, va+size), at hardware level {@code level}
     * (0 = top, see Geometry), raw descriptor {@code desc}; {@code backing} is an optional label
     * ("RAM", "altmap:&lt;owner&gt;") or null. {@code size} is the level's entry span, or a multiple of
     * it for a run of entries with the same attributes.
     */
    public record Leaf(long va, long size, int level, long desc, String backing) {}

    /** An address marker of the kernel VA space: a header is printed when the dump reaches {@code va}. */
    public record Marker(long va, String name) {}

    /**
     * Which non-leaf entries point at a next-level table, for callers that know about tables
     * without leaves below them (the formatter otherwise infers tables from leaves).
     */
    @FunctionalInterface
    public interface Tables {
        /** True when the entry at hardware {@code level} covering {@code va} points at a table. */
        boolean present(int level, long va);
    }

    /**
     * Address markers of the kernel VA space for this geometry/profile, in ascending unsigned VA
     * order; see {@link Arm64PtdumpMarkers} for the layouts and what is left out.
     *
     * @kernel arch/arm64/mm/ptdump.c: ptdump_init
     */
    public static List<Marker> markers(Geometry g) {
        return Arm64PtdumpMarkers.of(g);
    }

    /**
     * Formats leaves (sorted by VA ascending, unsigned, non-overlapping) into dump lines exactly as
     * the kernel prints them, with the tables inferred from the leaves.
     *
     * @kernel arch/arm64/mm/ptdump.c: ptdump_walk
     * @throws IllegalArgumentException naming the leaf when leaves are unsorted, overlap, are
     *     misaligned for their level, lie below PAGE_OFFSET or are not valid block/page descriptors
     */
    public static List<String> format(Geometry g, Arm64Pte fmt, List<Leaf> leaves, boolean showBacking) {
        return format(g, fmt, leaves, null, showBacking);
    }

    /**
     * As {@link #format(Geometry, Arm64Pte, List, boolean)}, with empty tables described by
     * {@code tables} (null: a table exists only where a leaf lies below it).
     *
     * @kernel arch/arm64/mm/ptdump.c: ptdump_walk
     */
    public static List<String> format(Geometry g, Arm64Pte fmt, List<Leaf> leaves, Tables tables,
                                      boolean showBacking) {
        validate(g, fmt, leaves);
        PgState st = new PgState(g, Arm64PtdumpProt.of(g, fmt), markers(g), showBacking);
        new Walk(g, leaves, tables, st).ptdumpWalkPgd();
        return List.copyOf(st.out);
    }

    private static void validate(Geometry g, Arm64Pte fmt, List<Leaf> leaves) {
        long prevLast = 0;
        for (int i = 0; i < leaves.size(); i++) {
            Leaf l = leaves.get(i);
            String what = String.format("leaf %d [0x%016x + 0x%x, level %d]", i, l.va(), l.size(), l.level());
            if (l.level() < 0 || l.level() >= g.levels) {
                throw new IllegalArgumentException(what + ": level outside 0.." + (g.levels - 1) + " of " + g);
            }
            long span = g.entrySpan(l.level());
            if (l.size() == 0 || !U64.isAligned(l.size(), span) || !U64.isAligned(l.va(), span)) {
                throw new IllegalArgumentException(what + ": not aligned to the level's entry span 0x"
                        + Long.toHexString(span));
            }
            if (U64.lt(l.va(), g.pageOffset)) {
                throw new IllegalArgumentException(what + String.format(": below PAGE_OFFSET 0x%016x", g.pageOffset));
            }
            long last = U64.lastByte(l.va(), l.size());
            if (i > 0 && U64.le(l.va(), prevLast)) {
                throw new IllegalArgumentException(what + String.format(": not above the previous leaf ending at 0x%016x",
                        prevLast));
            }
            boolean leafLevel = l.level() == g.leafLevel();
            boolean ok = leafLevel ? fmt.isPage(l.desc(), l.level(), g.levels) : fmt.isBlock(l.desc(), l.level(), g.levels);
            if (!ok) {
                throw new IllegalArgumentException(what + String.format(": descriptor 0x%016x is not a valid %s", l.desc(),
                        leafLevel ? "page" : "block"));
            }
            prevLast = last;
        }
    }

    /**
     * The generic walker over a sparse list of leaves: one note per entry of every present table.
     *
     * <pre>
     *  top table   [ hole ][ hole ][ table --------------------------------- ][ hole ] ...
     *  next level          [ hole ... hole ][ table ---------------------- ]
     *  leaf level                           [ leaf leaf leaf ][ pte 0 ... ]
     * </pre>
     */
    private static final class Walk {
        private final Geometry g;
        private final List<Leaf> leaves;
        private final Tables tables;
        private final PgState st;
        /** First leaf whose last byte is at or above the address being walked. */
        private int cur;

        Walk(Geometry g, List<Leaf> leaves, Tables tables, PgState st) {
            this.g = g;
            this.leaves = leaves;
            this.tables = tables;
            this.st = st;
        }

        /** @kernel mm/ptdump.c: ptdump_walk_pgd */
        void ptdumpWalkPgd() {
            walkRange(0, g.pageOffset, g.ptrs(0) - g.index(g.pageOffset, 0));
            st.notePage(0, -1, 0, null); // flush the last range
        }

        /** The note_page level of a hardware level: 0 = pgd ... 4 = pte, folded levels skipped. */
        private int swLevel(int hw) {
            return hw + 5 - g.levels;
        }

        /**
         * The level a hole is reported at: folded levels collapse into the level above.
         *
         * @kernel mm/pagewalk.c: real_depth
         */
        private int realDepth(int depth) {
            if (depth == 3 && g.levels < 3) {
                depth = 2; // PTRS_PER_PMD == 1
            }
            if (depth == 2 && g.levels < 4) {
                depth = 1; // PTRS_PER_PUD == 1
            }
            if (depth == 1 && g.levels < 5) {
                depth = 0; // PTRS_PER_P4D == 1
            }
            return depth;
        }

        /**
         * Walks {@code count} entries of hardware level {@code level} from {@code start}.
         *
         * @kernel mm/pagewalk.c: walk_pgd_range, walk_p4d_range, walk_pud_range, walk_pmd_range, walk_pte_range
         */
        private void walkRange(int level, long start, long count) {
            long span = g.entrySpan(level);
            long a = start;
            for (long i = 0; i < count; i++, a += span) {
                long entryLast = a + span - 1;
                while (cur < leaves.size() && U64.lt(U64.lastByte(leaves.get(cur).va(), leaves.get(cur).size()), a)) {
                    cur++;
                }
                Leaf l = cur < leaves.size() ? leaves.get(cur) : null;
                if (l != null && l.level() == level && U64.le(l.va(), a)) {
                    st.notePage(a, swLevel(level), l.desc(), l.backing()); // ptdump_{pud,pmd}_entry, ptdump_pte_entry
                } else if (level < g.leafLevel() && ((l != null && U64.le(l.va(), entryLast))
                        || (tables != null && tables.present(level, a)))) {
                    walkRange(level + 1, a, g.ptrs(level + 1));
                } else if (level == g.leafLevel()) {
                    st.notePage(a, 4, 0, null); // ptdump_pte_entry of an empty pte
                } else {
                    st.notePage(a, realDepth(swLevel(level)), 0, null); // ptdump_hole
                }
            }
        }
    }

    /** The state of one dump: the range being accumulated and the next marker. */
    private static final class PgState {
        private static final String UNITS = "KMGTPE";
        private final Geometry g;
        private final Arm64PtdumpProt prot;
        private final long[] markerVa;
        private final String[] markerName;
        private final boolean showBacking;
        final List<String> out = new ArrayList<>();
        private int marker;
        private long startAddress;
        private int level = -1;
        private long currentProt;
        private String currentBacking;

        PgState(Geometry g, Arm64PtdumpProt prot, List<Marker> markers, boolean showBacking) {
            this.g = g;
            this.prot = prot;
            this.showBacking = showBacking;
            markerVa = new long[markers.size() + 1];
            markerName = new String[markers.size() + 1];
            for (int i = 0; i < markers.size(); i++) {
                markerVa[i] = markers.get(i).va();
                markerName[i] = markers.get(i).name();
            }
            markerVa[markers.size()] = -1L; // the terminating { -1, NULL }
        }

        private boolean reachedNextMarker(long addr) {
            return U64.ge(addr, markerVa[marker + 1]);
        }

        private void header() {
            out.add("---[ " + markerName[marker] + " ]---");
        }

        /**
         * Notes one entry (or the final flush with level -1).
         *
         * @kernel arch/arm64/mm/ptdump.c: note_page
         */
        void notePage(long addr, int lvl, long val, String backing) {
            if (prot.foldAtNote && ((lvl == 1 && g.levels < 5) || (lvl == 2 && g.levels < 4))) {
                lvl = 0; // mm_p4d_folded / mm_pud_folded
            }
            long p = lvl >= 0 ? val & prot.mask : 0;
            String b = showBacking && p != 0 ? backing : null;
            if (level == -1) {
                level = lvl;
                currentProt = p;
                currentBacking = b;
                startAddress = addr;
                header();
            } else if (p != currentProt || lvl != level || reachedNextMarker(addr)
                    || !Objects.equals(b, currentBacking)) {
                out.add(line(addr));
                if (reachedNextMarker(addr)) {
                    marker++;
                    header();
                }
                startAddress = addr;
                currentProt = p;
                currentBacking = b;
                level = lvl;
            }
            if (reachedNextMarker(addr)) {
                marker++;
                header();
            }
        }

        private String line(long addr) {
            StringBuilder sb = new StringBuilder(128);
            sb.append(String.format("0x%016x-0x%016x   ", startAddress, addr));
            long delta = (addr - startAddress) >>> 10;
            int unit = 0;
            while ((delta & 1023) == 0 && unit + 1 < UNITS.length()) {
                delta >>>= 10;
                unit++;
            }
            String n = Long.toUnsignedString(delta);
            sb.append(" ".repeat(Math.max(0, 9 - n.length()))).append(n).append(UNITS.charAt(unit));
            sb.append(' ').append(prot.name(level));
            if (currentProt != 0) {
                prot.dumpProt(sb, currentProt);
            }
            if (currentBacking != null) {
                sb.append("  ").append(currentBacking);
            }
            return sb.toString();
        }
    }
}
