package org.vmemsim.arch.ppc64;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@code /sys/kernel/debug/kernel_page_tables} of powerpc Book3S-64 radix
 * ({@code arch/powerpc/mm/ptdump/ptdump.c}, flag names of {@code ptdump/book3s64.c}): a
 * {@code ---[ name ]---} line at each address marker, then one line per run of leaves with the same
 * level and flags whose virtual and physical addresses are contiguous:
 * <pre>
 * 0xc000000000000000-0xc00000000fffffff  0x0000000000000000       256M         r  w       pte  valid  dirty  accessed
 * </pre>
 * Markers kept: Start of kernel VM, vmalloc() Area, vmalloc() End, vmemmap start (the I/O markers
 * between vmalloc() End and the vmemmap are left out). The flag set is the subset that kernel
 * mappings use: user (privileged clear), r, w, X, pte, valid, dirty, accessed. With
 * {@code backing}, vmemsim's extra column says whether the range is backed by RAM or an altmap.
 */
public final class Ppc64Ptdump {
    /** One leaf (or a run of equal-stride leaves already merged): VA, bytes, level, first descriptor, backing. */
    public record Leaf(long va, long size, int level, long desc, String backing) {}

    private record Marker(long va, String name) {}

    private static final List<Marker> MARKERS = List.of(
            new Marker(Ppc64Geometry.PAGE_OFFSET, "Start of kernel VM"),
            new Marker(Ppc64Geometry.VMALLOC_START, "vmalloc() Area"),
            new Marker(Ppc64Geometry.KERN_IO_START, "vmalloc() End"),
            new Marker(Ppc64Geometry.VMEMMAP_START, "vmemmap start"));

    private Ppc64Ptdump() {}

    /** The flag columns of one descriptor. */
    static String flags(long d) {
        StringBuilder sb = new StringBuilder();
        sb.append((d & Ppc64Pte.PRIVILEGED) == 0 ? "user" : "    ").append("  ");
        sb.append((d & Ppc64Pte.READ) != 0 ? "r" : " ").append("  ");
        sb.append((d & Ppc64Pte.WRITE) != 0 ? "w" : " ").append("  ");
        sb.append((d & Ppc64Pte.EXEC) != 0 ? " X " : "   ").append("  ");
        sb.append((d & Ppc64Pte.PTE) != 0 ? "pte" : "   ").append("  ");
        sb.append((d & Ppc64Pte.PRESENT) != 0 ? "valid" : "     ").append("  ");
        sb.append((d & Ppc64Pte.DIRTY) != 0 ? "dirty" : "     ").append("  ");
        sb.append((d & Ppc64Pte.ACCESSED) != 0 ? "accessed" : "        ");
        return sb.toString().stripTrailing();
    }

    /** ptdump's size column: the largest unit that divides the size, right-aligned in 9 columns. */
    static String size(long bytes) {
        String units = " KMGTPE";
        int u = 0;
        while ((bytes & 1023) == 0 && u < units.length() - 1) {
            bytes >>>= 10;
            u++;
        }
        return String.format("%9d%c", bytes, units.charAt(u));
    }

    private static long flagBits(long d) {
        return d & ~Ppc64Pte.RPN_MASK;
    }

    /** Formats leaves given in ascending VA order. */
    public static List<String> format(List<Leaf> leaves, boolean backing) {
        List<String> out = new ArrayList<>();
        int nextMarker = 0;
        int i = 0;
        while (i < leaves.size()) {
            Leaf first = leaves.get(i);
            while (nextMarker < MARKERS.size() && Long.compareUnsigned(MARKERS.get(nextMarker).va(), first.va()) <= 0) {
                out.add("---[ " + MARKERS.get(nextMarker).name() + " ]---");
                nextMarker++;
            }
            long boundary = nextMarker < MARKERS.size() ? MARKERS.get(nextMarker).va() : 0;
            long end = first.va() + first.size();
            long pa = first.desc() & Ppc64Pte.RPN_MASK;
            long paEnd = pa + first.size();
            int j = i + 1;
            while (j < leaves.size()) {
                Leaf n = leaves.get(j);
                boolean same = n.va() == end && n.level() == first.level() && flagBits(n.desc()) == flagBits(first.desc())
                        && (n.desc() & Ppc64Pte.RPN_MASK) == paEnd && Objects.equals(n.backing(), first.backing())
                        && (boundary == 0 || Long.compareUnsigned(n.va(), boundary) < 0);
                if (!same) {
                    break;
                }
                end += n.size();
                paEnd += n.size();
                j++;
            }
            String line = String.format("0x%016x-0x%016x  0x%016x %s %s", first.va(), end - 1, pa, size(end - first.va()),
                    flags(first.desc()));
            if (backing && first.backing() != null) {
                line += "  [" + first.backing() + "]";
            }
            out.add(line);
            i = j;
        }
        while (nextMarker < MARKERS.size()) {
            out.add("---[ " + MARKERS.get(nextMarker).name() + " ]---");
            nextMarker++;
        }
        return out;
    }
}
