package org.vmemsim.view;

import java.util.ArrayList;
import java.util.List;
import org.vmemsim.arch.arm64.Arm64Ptdump;
import org.vmemsim.arch.arm64.Arm64Pte;
import org.vmemsim.kernel.Kernel;

/** {@code /sys/kernel/debug/kernel_page_tables}, walked from the model's page tables. */
public final class PtdumpView {
    private PtdumpView() {}

    /** The dump lines; with {@code backing}, vmemsim's extra column saying RAM or which altmap. */
    public static List<String> lines(Kernel k, boolean backing) {
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
}
