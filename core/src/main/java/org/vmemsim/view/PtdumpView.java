package org.vmemsim.view;

import java.util.ArrayList;
import java.util.List;
import org.vmemsim.arch.arm64.Arm64Ptdump;
import org.vmemsim.arch.Arch;
import org.vmemsim.arch.Geometry;
import org.vmemsim.arch.arm64.Arm64Pte;
import org.vmemsim.arch.ppc64.Ppc64Ptdump;
import org.vmemsim.arch.riscv.RiscvPtdump;
import org.vmemsim.arch.x86.X86Ptdump;
import org.vmemsim.kernel.Kernel;
import org.vmemsim.mm.phys.PgTable;

/** {@code /sys/kernel/debug/kernel_page_tables}, walked from the model's page tables. */
public final class PtdumpView {
    private PtdumpView() {}

    /** The dump lines; with {@code backing}, vmemsim's extra column saying RAM or which altmap. */
    public static List<String> lines(Kernel k, boolean backing) {
        if (k.g.arch == Arch.X86_64) {
            return x86Lines(k, backing);
        }
        if (k.g.arch == Arch.PPC64) {
            return ppc64Lines(k, backing);
        }
        if (k.g.arch == Arch.RISCV64) {
            return riscvLines(k, backing);
        }
        if (k.g.arch == Arch.IA64) {
            return List.of("# ia64 has no kernel page-table dump (no ptdump support; region 7 has no page tables)");
        }
        List<Arm64Ptdump.Leaf> leaves = new ArrayList<>();
        k.mm.pgtable.walkLeaves(k.mm.pgtable.ttbr1Base(), -1L, (va, count, level, desc, stride) -> {
            long span = k.g.entrySpan(level);
            if (count > 1 && stride == span && !backing) {
                leaves.add(new Arm64Ptdump.Leaf(va, count * span, level, desc, null));
                return;
            }
            for (long i = 0; i < count; i++) {
                long d = desc + i * stride;
                String b = backing ? Accounting.backing(k, k.mm.fmt.outputAddress(d)) : null;
                leaves.add(new Arm64Ptdump.Leaf(va + i * span, span, level, d, b));
            }
        });
        Arm64Ptdump.Tables tables = (level, va) -> {
            long t = k.mm.pgtable.tableAt(va, level + 1);
            return t != -1;
        };
        return Arm64Ptdump.format(k.g, (Arm64Pte) k.mm.fmt, leaves, tables, backing);
    }

    /** powerpc radix: every leaf of the kernel quadrant {@code [0xc000..., 0xc000... + 2^52)}. */
    private static List<String> ppc64Lines(Kernel k, boolean backing) {
        List<Ppc64Ptdump.Leaf> leaves = new ArrayList<>();
        long base = k.mm.pgtable.ttbr1Base();
        k.mm.pgtable.walkLeaves(base, base + (1L << k.g.vaBits), (va, count, level, desc, stride) -> {
            long span = k.g.entrySpan(level);
            for (long i = 0; i < count; i++) {
                long d = desc + i * stride;
                String b = backing ? Accounting.backing(k, k.mm.fmt.outputAddress(d)) : null;
                leaves.add(new Ppc64Ptdump.Leaf(va + i * span, span, level, d, b));
            }
        });
        return Ppc64Ptdump.format(leaves, backing);
    }

    /** riscv: every leaf of the kernel half, in VA order. */
    private static List<String> riscvLines(Kernel k, boolean backing) {
        List<RiscvPtdump.Leaf> leaves = new ArrayList<>();
        k.mm.pgtable.walkLeaves(k.mm.pgtable.ttbr1Base(), -1L, (va, count, level, desc, stride) -> {
            long span = k.g.entrySpan(level);
            for (long i = 0; i < count; i++) {
                long d = desc + i * stride;
                String b = backing ? Accounting.backing(k, k.mm.fmt.outputAddress(d)) : null;
                leaves.add(new RiscvPtdump.Leaf(va + i * span, span, level, d, b));
            }
        });
        return RiscvPtdump.format(k.g, leaves, backing);
    }

    /** x86: the generic walker over {@code [0, 2^(VA-1))} and {@code [GUARD_HOLE_END, 2^64)}. */
    private static List<String> x86Lines(Kernel k, boolean backing) {
        List<X86Ptdump.Note> notes = new ArrayList<>();
        Geometry g = k.g;
        long base = k.mm.pgtable.ttbr1Base();
        walk(k, k.mm.pgtable.pgdPfn, 0, base, 0, 1L << (g.vaBits - 1), notes, backing);
        walk(k, k.mm.pgtable.pgdPfn, 0, base, X86Ptdump.guardHoleEnd(g), 0, notes, backing);
        return X86Ptdump.format(g, notes, backing);
    }

    /** Notes the entries of table {@code pfn} (window starting at {@code window}) inside [from, to); to == 0 means 2^64. */
    private static void walk(Kernel k, long pfn, int level, long window, long from, long to,
                             List<X86Ptdump.Note> notes, boolean backing) {
        Geometry g = k.g;
        PgTable t = k.mm.pgtable.table(pfn);
        long span = g.entrySpan(level);
        int sw = X86Ptdump.softwareLevel(g, level);
        for (int i = 0; i < g.ptrs(level); i++) {
            // the top table's window is sign-extended: entry i of the PGD maps the canonical address
            long va = level == 0 ? (i < g.ptrs(0) / 2 ? (long) i * span : window + (long) i * span) : window + (long) i * span;
            long last = va + span - 1;
            if (Long.compareUnsigned(last, from) < 0 || (to != 0 && Long.compareUnsigned(va, to) >= 0)) {
                continue;
            }
            long d = t.get(i);
            if (d == 0 || !k.mm.fmt.present(d)) {
                notes.add(new X86Ptdump.Note(va, sw, 0, null));
            } else if (k.mm.pgtable.isLeaf(d, level)) {
                String b = backing ? Accounting.backing(k, k.mm.fmt.outputAddress(d)) : null;
                notes.add(new X86Ptdump.Note(va, sw, d, b));
            } else {
                walk(k, k.mm.pgtable.nextTablePfn(d), level + 1, va, from, to, notes, backing);
            }
        }
    }
}
