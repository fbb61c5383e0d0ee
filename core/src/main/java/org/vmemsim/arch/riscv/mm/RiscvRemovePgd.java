package org.vmemsim.arch.riscv.mm;

import org.vmemsim.arch.Geometry;
import org.vmemsim.mm.alloc.PageAlloc;
import org.vmemsim.mm.pgtable.MmCore;
import org.vmemsim.mm.phys.PgTable;
import org.vmemsim.mm.vmemmap.VmemAltmap;
import org.vmemsim.util.U64;

/**
 * The riscv hot-remove walk (v6.11+, {@code arch/riscv/mm/init.c}): {@code remove_pgd_mapping} with
 * {@code remove_p4d_mapping}, {@code remove_pud_mapping}, {@code remove_pmd_mapping},
 * {@code remove_pte_mapping}, the table frees {@code free_pte_table} / {@code free_pmd_table} /
 * {@code free_pud_table} and {@code free_vmemmap_storage}. For the vmemmap ({@code isVmemmap}) the
 * mapped memory is freed to the altmap or the page allocator; for the linear map it is only unmapped.
 *
 * <p>Which tables go: a PTE table whenever it is empty; a PMD table only with Sv48/Sv57, a PUD table
 * only with Sv57 ({@code pgtable_l4_enabled} / {@code pgtable_l5_enabled}). In hardware-level terms:
 * every table below the PGD's direct children, which {@code pgtable_cache_init} pre-allocated and
 * never frees. Unlike x86 there is no partial-PMD bookkeeping: a PMD leaf is cleared and its whole
 * 2 MiB block freed even when the range covers only part of it (hazard H2 for the memmap of
 * sub-section neighbours sharing the block).
 */
public final class RiscvRemovePgd {
    private final MmCore mm;
    private final Geometry g;

    public RiscvRemovePgd(MmCore mm) {
        this.mm = mm;
        this.g = mm.g;
    }

    /** @kernel arch/riscv/mm/init.c: remove_pgd_mapping */
    public void removePgdMapping(long va, long end, boolean isVmemmap, VmemAltmap altmap) {
        removeLevel(mm.pgtable.pgdPfn, 0, va, end, isVmemmap, altmap);
    }

    /** One level of remove_p4d/pud/pmd/pte_mapping: clears leaves, recurses into tables, frees emptied ones. */
    private void removeLevel(long table, int level, long addr, long end, boolean isVmemmap, VmemAltmap altmap) {
        PgTable t = mm.pgtable.table(table);
        while (U64.lt(addr, end)) {
            long next = addrEnd(addr, end, level);
            int idx = g.index(addr, level);
            long d = t.get(idx);
            if (mm.fmt.present(d)) {
                if (mm.pgtable.isLeaf(d, level)) {
                    if (level > 0) { // a leaf in the PGD itself is skipped
                        long span = g.entrySpan(level);
                        t.set(idx, 0);
                        if (isVmemmap) {
                            freeVmemmapStorage((mm.fmt.outputAddress(d) & -span) >>> g.pageShift, span, altmap);
                        }
                    }
                } else {
                    long child = mm.pgtable.nextTablePfn(d);
                    removeLevel(child, level + 1, addr, next, isVmemmap, altmap);
                    if (level + 1 >= 2 && mm.pgtable.table(child).allNone()) {
                        freeTable(child, t, idx);
                    }
                }
            }
            addr = next;
        }
    }

    /** free_pte_table / free_pmd_table / free_pud_table: an empty table goes back to the page allocator. */
    private void freeTable(long table, PgTable parent, int idx) {
        mm.pgtable.dropTable(table);
        freePages(table, 0);
        parent.set(idx, 0);
    }

    /** @kernel arch/riscv/mm/init.c: free_vmemmap_storage */
    private void freeVmemmapStorage(long pfn, long size, VmemAltmap altmap) {
        if (altmap != null) {
            altmap.vmemAltmapFree(size >>> g.pageShift);
            return;
        }
        freePages(pfn, U64.getOrder(size, g.pageShift));
    }

    /** free_pages, or free_reserved_page page by page for boot (memblock) memory. */
    private void freePages(long pfn, int order) {
        long nr = 1L << order;
        if (mm.buddy.putExtraRef(pfn)) {
            return; // free_pages drops one reference of a deduplicated device-dax memmap page
        }
        PageAlloc.Allocation a = mm.buddy.allocation(pfn);
        if (a != null && a.order() == order) {
            mm.buddy.freePages(pfn, order);
            return;
        }
        long pa = pfn << g.pageShift;
        if (mm.memblock.isReserved(pa, nr << g.pageShift)) {
            mm.buddy.freeReservedToBuddy(Math.max(0, mm.memblock.nidOf(pa)), pfn, order);
            return;
        }
        mm.log.warn("free_vmemmap_storage", String.format(
                "BUG: Bad page state: pfn 0x%x (%d pages) was not allocated from the page allocator", pfn, nr));
    }

    private long addrEnd(long addr, long end, int level) {
        long span = g.entrySpan(level);
        long boundary = (addr + span) & -span;
        return U64.lt(boundary - 1, end - 1) ? boundary : end;
    }
}
