package org.vmemsim.arch.riscv;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.vmemsim.arch.Geometry;

/**
 * The riscv kernel page-table dump ({@code /sys/kernel/debug/kernel_page_tables}), modelled on
 * {@code arch/riscv/mm/ptdump.c} ({@code note_page}, {@code dump_addr}, {@code dump_prot}, the address
 * markers): a pure formatter over the leaves the caller walked in ascending VA order.
 *
 * <p>Leaves with the same level and the same protection bits merge into one line
 * {@code 0x<start>-0x<end>   0x<pa>   <size><unit> <level>  <bits>}; a hole or a marker breaks a range.
 * Levels are named pgd, p4d, pud, pmd, pte counted from the leaf. Left out: the Fixmap, KASAN,
 * Modules/BPF and Kernel mapping markers (vmemsim does not model those areas), and the Svnapot and
 * Svpbmt columns of 6.x ({@code N}, {@code MT(...)}), which are blank for the kernel's own mappings.
 * vmemsim addition: with {@code showBacking} each line gets one more column (two spaces, the backing
 * label) and leaves with different labels do not merge.
 */
public final class RiscvPtdump {
    private RiscvPtdump() {}

    /** One leaf: {@code size} bytes at {@code va} mapped by {@code desc} at hardware level {@code level}. */
    public record Leaf(long va, long size, int level, long desc, String backing) {}

    public record Marker(long va, String name) {}

    private static final String[] LEVEL_NAME = {"pgd", "p4d", "pud", "pmd", "pte"};
    private static final long[] BIT = {RiscvPte.D, RiscvPte.A, RiscvPte.G, RiscvPte.U, RiscvPte.X, RiscvPte.W,
        RiscvPte.R, RiscvPte.V};
    private static final String[] SET = {"D", "A", "G", "U", "X", "W", "R", "V"};
    private static final long RSW = 3L << 8;
    private static final long PROT_MASK = ~RiscvPte.PPN_MASK;

    /** The markers of the areas vmemsim models, in address order. */
    public static List<Marker> markers(Geometry g) {
        List<Marker> m = new ArrayList<>();
        m.add(new Marker(g.vmemmapStart - (16L << 20), "PCI I/O start"));
        m.add(new Marker(g.vmemmapStart, "PCI I/O end"));
        m.add(new Marker(g.vmemmapStart, "vmemmap start"));
        m.add(new Marker(g.vmemmapEnd, "vmemmap end"));
        m.add(new Marker(g.vmemmapEnd, "vmalloc() area"));
        m.add(new Marker(g.pageOffset, "vmalloc() end"));
        m.add(new Marker(g.pageOffset, "Linear mapping"));
        return m;
    }

    public static List<String> format(Geometry g, List<Leaf> leaves, boolean showBacking) {
        List<String> out = new ArrayList<>();
        List<Marker> markers = markers(g);
        int mi = 0;
        Leaf first = null;
        long end = 0;
        for (Leaf l : leaves) {
            boolean joins = first != null && l.va == end && l.level == first.level
                    && (l.desc & PROT_MASK) == (first.desc & PROT_MASK)
                    && (!showBacking || Objects.equals(l.backing, first.backing))
                    && (mi >= markers.size() || Long.compareUnsigned(l.va, markers.get(mi).va) < 0);
            if (joins) {
                end = l.va + l.size;
                continue;
            }
            if (first != null) {
                out.add(line(g, first, end, showBacking));
            }
            while (mi < markers.size() && Long.compareUnsigned(l.va, markers.get(mi).va) >= 0) {
                out.add("---[ " + markers.get(mi++).name + " ]---");
            }
            first = l;
            end = l.va + l.size;
        }
        if (first != null) {
            out.add(line(g, first, end, showBacking));
        }
        while (mi < markers.size()) {
            out.add("---[ " + markers.get(mi++).name + " ]---");
        }
        return out;
    }

    private static String line(Geometry g, Leaf first, long end, boolean showBacking) {
        String units = "KMGTPE";
        int unit = 0;
        long delta = (end - first.va) >>> 10;
        while ((delta & 1023) == 0 && unit < units.length() - 1) {
            delta >>>= 10;
            unit++;
        }
        long pa = ((first.desc & RiscvPte.PPN_MASK) >>> RiscvPte.PFN_SHIFT) << g.pageShift;
        StringBuilder sb = new StringBuilder(String.format("0x%016x-0x%016x   0x%016x   %9d%c %s", first.va, end, pa,
                delta, units.charAt(unit), LEVEL_NAME[first.level + 5 - g.levels]));
        sb.append(' ').append((first.desc & RSW) != 0 ? "RSW(" + ((first.desc & RSW) >>> 8) + ")" : "..");
        for (int i = 0; i < BIT.length; i++) {
            sb.append(' ').append((first.desc & BIT[i]) != 0 ? SET[i] : ".");
        }
        if (showBacking && first.backing != null) {
            sb.append("  ").append(first.backing);
        }
        return sb.toString();
    }
}
