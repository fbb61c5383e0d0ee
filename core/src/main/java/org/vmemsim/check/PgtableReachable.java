package org.vmemsim.check;

import java.util.List;

/**
 * Every page-table page is reachable from {@code swapper_pg_dir} exactly once: no table is linked
 * from two descriptors, and (full check) every frame holding a table is reached, so no table was
 * unlinked without being freed, nor freed while still linked.
 */
public final class PgtableReachable implements Invariant {
    public static final String NAME = "pgtable-reachable";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "every page-table page is reachable from the PGD exactly once";
    }

    @Override
    public void check(CheckContext c, List<Violation> out) {
        Tables t = c.tables();
        for (int i = 0; i + 1 < t.duplicates.size(); i += 2) {
            long pfn = t.duplicates.getLong(i);
            out.add(new Violation(NAME, pfn, String.format(
                    "table pfn 0x%x is linked a second time, for the window at 0x%016x", pfn, t.duplicates.getLong(i + 1))));
        }
        if (!c.isFull()) {
            return;
        }
        long pgd = c.k.mm.pgtable.pgdPfn;
        int stored = c.k.mm.frames.tableCount();
        if (stored == t.size() + 1) {
            return;
        }
        int reported = 0;
        for (long pfn : c.k.mm.frames.tablePfns()) {
            if (pfn != pgd && !t.reached(pfn) && reported++ < 4) {
                out.add(new Violation(NAME, pfn, String.format(
                        "frame pfn 0x%x holds a page table that no descriptor reaches (leaked table)", pfn)));
            }
        }
        if (reported == 0) {
            out.add(new Violation(NAME, -1, String.format(
                    "%d frames hold tables but %d tables are reachable from the PGD", stored, t.size() + 1)));
        }
    }
}
