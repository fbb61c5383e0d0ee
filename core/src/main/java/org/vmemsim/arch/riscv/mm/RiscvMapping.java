package org.vmemsim.arch.riscv.mm;

import org.vmemsim.arch.Geometry;
import org.vmemsim.arch.riscv.RiscvPte;
import org.vmemsim.mm.pgtable.KernelPgtable;
import org.vmemsim.mm.pgtable.MmCore;
import org.vmemsim.mm.phys.PgTable;
import org.vmemsim.util.KernelBug;
import org.vmemsim.util.U64;

/**
 * The riscv linear map ({@code arch/riscv/mm/init.c}): {@code create_pgd_mapping} and its per-level
 * helpers, {@code best_map_size}, {@code create_linear_mapping_range}, and the PGD pre-allocation of
 * {@code pgtable_cache_init}.
 *
 * <p>Two eras of {@code best_map_size}: up to 6.3 one size for a whole memblock region (PMD when the
 * region's base and size are 2 MiB aligned, else PAGE), from 6.4 the largest leaf that the address
 * and the remaining size allow at each step (P4D with Sv57, PUD with Sv48+, PMD). Table pages come
 * from memblock at boot ({@code alloc_*_fixmap}) and from the page allocator after boot
 * ({@code alloc_*_late}, which BUG on failure). 5.8/5.9 map with PAGE_KERNEL_EXEC, later kernels with
 * PAGE_KERNEL (the kernel-text aliases that {@code pgprot_from_va} makes read-only are not modelled:
 * vmemsim has no kernel image in RAM). KFENCE's page-mapped pool is not modelled.
 */
public final class RiscvMapping {
    /** Where page-table pages come from while mapping. */
    interface PgtableAlloc {
        long alloc(int childLevel);
    }

    private final MmCore mm;
    private final Geometry g;
    private final RiscvPte fmt;

    public RiscvMapping(MmCore mm) {
        this.mm = mm;
        this.g = mm.g;
        this.fmt = (RiscvPte) mm.fmt;
    }

    /** The protection of linear-map leaves. @kernel arch/riscv/mm/init.c: pgprot_from_va */
    long linearProt() {
        return g.profile.ordinal100 < 510 ? RiscvPte.PAGE_KERNEL_EXEC : RiscvPte.PAGE_KERNEL;
    }

    /**
     * The leaf size for mapping {@code size} bytes at {@code pa}/{@code va} (6.4+ rule).
     *
     * @kernel arch/riscv/mm/init.c: best_map_size
     */
    long bestMapSize(long pa, long va, long size) {
        for (int level = 1; level < g.leafLevel(); level++) {
            long span = g.entrySpan(level);
            if (g.blockAllowed(level) && ((pa | va) & (span - 1)) == 0 && U64.ge(size, span)) {
                return span;
            }
        }
        return g.pageSize;
    }

    /** Pre-6.4 rule: one size for a whole region. @kernel arch/riscv/mm/init.c: best_map_size (6.1) */
    long bestMapSizeRegion(long base, long size) {
        return ((base | size) & (g.pmdSize - 1)) != 0 ? g.pageSize : g.pmdSize;
    }

    /**
     * Maps {@code [start, end)} at {@code __va(start)}.
     *
     * @kernel arch/riscv/mm/init.c: create_linear_mapping_range
     */
    void createLinearMappingRange(long start, long end, PgtableAlloc alloc) {
        long fixed = g.profile.ordinal100 < 604 ? bestMapSizeRegion(start, end - start) : 0;
        long mapSize;
        for (long pa = start; U64.lt(pa, end); pa += mapSize) {
            long va = mm.physToVirt(pa);
            mapSize = fixed != 0 ? fixed : bestMapSize(pa, va, end - pa);
            createPgdMapping(va, pa, mapSize, linearProt(), alloc);
        }
    }

    /**
     * Installs one leaf of {@code sz} bytes, allocating missing tables on the way; an existing leaf
     * is kept, an existing table is descended into.
     *
     * @kernel arch/riscv/mm/init.c: create_pgd_mapping
     */
    void createPgdMapping(long va, long pa, long sz, long prot, PgtableAlloc alloc) {
        KernelPgtable pt = mm.pgtable;
        long t = pt.pgdPfn;
        for (int level = 0; level < g.levels; level++) {
            PgTable tab = pt.table(t);
            int idx = g.index(va, level);
            long d = tab.get(idx);
            if (sz == g.entrySpan(level)) {
                if (d == 0) {
                    tab.set(idx, fmt.entry(pa, prot));
                }
                return;
            }
            if (d == 0) {
                long child = alloc.alloc(level + 1);
                pt.installTable(t, idx, child, level + 1);
                t = child;
            } else if (pt.isTable(d, level)) {
                t = pt.nextTablePfn(d);
            } else {
                return; // already covered by a bigger leaf
            }
        }
    }

    /** Boot: a table page from memblock. @kernel arch/riscv/mm/init.c: alloc_pte_fixmap / alloc_pmd_fixmap */
    long earlyAlloc(int childLevel) {
        String site = "alloc_" + g.tableName(childLevel).toLowerCase(java.util.Locale.ROOT) + "_fixmap";
        return mm.memblock.memblockAllocOrPanic(g.pageSize, g.pageSize, -1, site) >>> g.pageShift;
    }

    /**
     * After boot: a page from the page allocator; the kernel BUGs when there is none.
     *
     * @kernel arch/riscv/mm/init.c: alloc_pte_late / alloc_pmd_late / alloc_pud_late / alloc_p4d_late
     */
    long lateAlloc(int childLevel) {
        String fn = "alloc_" + g.tableName(childLevel).toLowerCase(java.util.Locale.ROOT) + "_late";
        long pfn = mm.buddy.allocPagesNode(mm.buddy.firstNode(), 0, fn);
        if (pfn == -1) {
            throw new KernelBug(fn + ": BUG_ON(!ptdesc): out of memory for a linear-map page table");
        }
        return pfn;
    }

    /**
     * Allocates the table under every empty PGD entry of {@code [start, end)} so that later hot-plug
     * never has to change the PGD; runs after the page allocator is up. Panics on failure.
     *
     * @kernel arch/riscv/mm/init.c: preallocate_pgd_pages_range
     */
    int preallocatePgdPagesRange(long start, long end, String area) {
        KernelPgtable pt = mm.pgtable;
        PgTable pgd = pt.table(pt.pgdPfn);
        long span = g.entrySpan(0);
        int n = 0;
        for (long addr = start; U64.lt(addr, end) && U64.ge(addr, start); addr = (addr + span) & -span) {
            int idx = g.index(addr, 0);
            if (pgd.get(idx) == 0) {
                long pfn = mm.buddy.allocPagesNode(mm.buddy.firstNode(), 0, "preallocate_pgd_pages_range");
                if (pfn == -1) {
                    throw new KernelBug("Failed to pre-allocate " + g.tableName(1).toLowerCase(java.util.Locale.ROOT)
                            + " pages for " + area + " area");
                }
                pt.installTable(pt.pgdPfn, idx, pfn, 1);
                n++;
            }
        }
        return n;
    }
}
