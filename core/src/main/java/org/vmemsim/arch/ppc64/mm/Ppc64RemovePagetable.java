package org.vmemsim.arch.ppc64.mm;

import java.util.ArrayList;
import java.util.List;
import org.vmemsim.arch.Geometry;
import org.vmemsim.mm.alloc.PageAlloc;
import org.vmemsim.mm.pgtable.KernelPgtable;
import org.vmemsim.mm.pgtable.MmCore;
import org.vmemsim.mm.phys.PgTable;
import org.vmemsim.mm.vmemmap.VmemAltmap;
import org.vmemsim.util.U64;

/**
 * The hot-remove page-table walk of {@code arch/powerpc/mm/book3s64/radix_pgtable.c}:
 * {@code remove_pagetable}, {@code remove_pud_table}, {@code remove_pmd_table},
 * {@code remove_pte_table}, the table frees {@code free_pte_table} / {@code free_pmd_table} /
 * {@code free_pud_table} and the memmap free {@code free_vmemmap_pages}. With {@code direct} (the
 * linear map, and the 6.1 vmemmap whose backing {@code __vmemmap_free} frees itself) entries are only
 * cleared; otherwise (6.5+ {@code radix__vmemmap_free}) the backing goes back to the altmap when it
 * lies in the altmap's pool and to the page allocator otherwise. A leaf only partly inside the range
 * is freed when no valid sub-section still has memmap in it ({@code vmemmap_pmd_is_unused} /
 * {@code vmemmap_page_is_unused}). Tables are freed as soon as they are empty, at every level below
 * the PGD.
 *
 * <p>Deviation: the kernel hands out PTE tables (256 B) and PMD tables (4 KiB) as fragments of a 64K
 * page after boot and PUD tables from a slab cache; vmemsim gives every table a whole page (as the
 * kernel itself does for boot-time tables in {@code early_map_kernel_page}), so page-table memory of
 * hot-added ranges is over-counted.
 */
public final class Ppc64RemovePagetable {
    /** A page (or block) freed by the remove path, for reports: where it went. */
    public record Freed(long pfn, long nrPages, String to) {}

    private final MmCore mm;
    private final Geometry g;
    private final List<Freed> freedLog = new ArrayList<>();

    /** Asks {@code vmemmap_populated} (init_64.c) whether memmap of a valid sub-section remains. */
    private final Ppc64Init64 init64;

    Ppc64RemovePagetable(MmCore mm, Ppc64Init64 init64) {
        this.mm = mm;
        this.g = mm.g;
        this.init64 = init64;
    }

    /** @kernel arch/powerpc/mm/book3s64/radix_pgtable.c: remove_pagetable */
    public void removePagetable(long start, long end, boolean direct, VmemAltmap altmap) {
        KernelPgtable pt = mm.pgtable;
        PgTable pgd = pt.table(pt.pgdPfn);
        long addr = start;
        while (U64.lt(addr, end)) {
            long next = addrEnd(addr, end, 0);
            int idx = g.index(addr, 0);
            long d = pgd.get(idx);
            if (mm.fmt.present(d)) {
                long pud = pt.nextTablePfn(d);
                removePudTable(pud, addr, next, direct, altmap);
                freeTableIfEmpty(pud, pgd, idx);
            }
            addr = next;
        }
    }

    /** @kernel arch/powerpc/mm/book3s64/radix_pgtable.c: remove_pud_table */
    private void removePudTable(long table, long addr, long end, boolean direct, VmemAltmap altmap) {
        int level = g.pudLevel();
        PgTable t = mm.pgtable.table(table);
        while (U64.lt(addr, end)) {
            long next = addrEnd(addr, end, level);
            int idx = g.index(addr, level);
            long d = t.get(idx);
            if (mm.fmt.present(d)) {
                if (mm.pgtable.isLeaf(d, level)) {
                    if (U64.isAligned(addr, g.pudSize) && U64.isAligned(next, g.pudSize)) {
                        t.set(idx, 0);
                    } else {
                        mm.log.warnOnce("remove_pud_table", "unaligned", "remove_pud_table: unaligned range");
                    }
                } else {
                    long pmd = mm.pgtable.nextTablePfn(d);
                    removePmdTable(pmd, addr, next, direct, altmap);
                    freeTableIfEmpty(pmd, t, idx);
                }
            }
            addr = next;
        }
    }

    /** @kernel arch/powerpc/mm/book3s64/radix_pgtable.c: remove_pmd_table */
    private void removePmdTable(long table, long addr, long end, boolean direct, VmemAltmap altmap) {
        int level = g.pmdLevel();
        PgTable t = mm.pgtable.table(table);
        while (U64.lt(addr, end)) {
            long next = addrEnd(addr, end, level);
            int idx = g.index(addr, level);
            long d = t.get(idx);
            if (mm.fmt.present(d)) {
                if (mm.pgtable.isLeaf(d, level)) {
                    long pfn = (mm.fmt.outputAddress(d) & -g.pmdSize) >>> g.pageShift;
                    int order = U64.getOrder(g.pmdSize, g.pageShift);
                    if (U64.isAligned(addr, g.pmdSize) && U64.isAligned(next, g.pmdSize)) {
                        if (!direct) {
                            freeVmemmapPages(pfn, altmap, order);
                        }
                        t.set(idx, 0);
                    } else if (!direct && !init64.vmemmapPopulated(addr & -g.pmdSize, g.pmdSize)) {
                        freeVmemmapPages(pfn, altmap, order); // vmemmap_pmd_is_unused
                        t.set(idx, 0);
                    } else if (direct && !g.profile.ppc64RadixOwnVmemmap()) {
                        mm.log.warnOnce("remove_pmd_table", "unaligned", "remove_pmd_table: unaligned range");
                    }
                } else {
                    long pte = mm.pgtable.nextTablePfn(d);
                    removePteTable(pte, addr, next, direct, altmap);
                    freeTableIfEmpty(pte, t, idx);
                }
            }
            addr = next;
        }
    }

    /** @kernel arch/powerpc/mm/book3s64/radix_pgtable.c: remove_pte_table */
    private void removePteTable(long table, long addr, long end, boolean direct, VmemAltmap altmap) {
        int level = g.leafLevel();
        PgTable t = mm.pgtable.table(table);
        while (U64.lt(addr, end)) {
            long next = U64.min((addr + g.pageSize) & -g.pageSize, end);
            int idx = g.index(addr, level);
            long d = t.get(idx);
            if (mm.fmt.present(d)) {
                long pfn = mm.fmt.outputAddress(d) >>> g.pageShift;
                if (U64.isAligned(addr, g.pageSize) && U64.isAligned(next, g.pageSize)) {
                    if (!direct) {
                        freeVmemmapPages(pfn, altmap, 0);
                    }
                    t.set(idx, 0);
                } else if (!direct && !init64.vmemmapPopulated(addr & -g.pageSize, g.pageSize)) {
                    freeVmemmapPages(pfn, altmap, 0); // vmemmap_page_is_unused
                    t.set(idx, 0);
                } else if (direct && !g.profile.ppc64RadixOwnVmemmap()) {
                    mm.log.warnOnce("remove_pte_table", "unaligned", "remove_pte_table: unaligned range");
                }
            }
            addr = next;
        }
    }

    /** free_pte_table / free_pmd_table / free_pud_table: the table goes when all its entries are none. */
    private void freeTableIfEmpty(long table, PgTable parent, int parentIdx) {
        if (!mm.pgtable.table(table).allNone()) {
            return;
        }
        mm.pgtable.dropTable(table);
        freePages(table, 0, "page-table");
        parent.set(parentIdx, 0);
    }

    /**
     * Returns vmemmap backing: to the altmap when it lies in {@code [base_pfn, base_pfn + reserve +
     * free)}, else to the page allocator (page by page for boot memory).
     *
     * @kernel arch/powerpc/mm/book3s64/radix_pgtable.c: free_vmemmap_pages
     */
    void freeVmemmapPages(long pfn, VmemAltmap altmap, int order) {
        long nr = 1L << order;
        if (altmap != null) {
            long altStart = altmap.basePfn;
            long altEnd = altmap.basePfn + altmap.reserve + altmap.free;
            if (U64.ge(pfn, altStart) && U64.lt(pfn, altEnd)) {
                altmap.vmemAltmapFree(nr);
                freedLog.add(new Freed(pfn, nr, "altmap:" + altmap.owner));
                return;
            }
        }
        freePages(pfn, order, "memmap");
    }

    /**
     * Frees {@code 2^order} pages: boot (reserved) pages go to the page allocator page by page
     * ({@code free_reserved_page}), others through {@code free_pages}.
     */
    void freePages(long pfn, int order, String what) {
        long nr = 1L << order;
        if (mm.buddy.putExtraRef(pfn)) {
            return; // free_pages drops one reference of a deduplicated device-dax memmap page
        }
        PageAlloc.Allocation a = mm.buddy.allocation(pfn);
        if (a != null && a.order() == order) {
            mm.buddy.freePages(pfn, order);
            freedLog.add(new Freed(pfn, nr, "buddy"));
            return;
        }
        long pa = pfn << g.pageShift;
        if (mm.memblock.isReserved(pa, nr << g.pageShift)) {
            int nid = Math.max(0, mm.memblock.nidOf(pa));
            for (long i = 0; i < nr; i++) {
                mm.buddy.freeReservedToBuddy(nid, pfn + i, 0);
            }
            freedLog.add(new Freed(pfn, nr, "buddy (was reserved)"));
            return;
        }
        mm.log.warn("free_vmemmap_pages", String.format(
                "BUG: Bad page state: %s pfn 0x%x (%d pages) was not allocated from the page allocator", what, pfn, nr));
        freedLog.add(new Freed(pfn, nr, "bad free"));
    }

    /** Pages freed since the last drain. */
    public List<Freed> drainFreedLog() {
        List<Freed> out = new ArrayList<>(freedLog);
        freedLog.clear();
        return out;
    }

    /** pXd_addr_end at {@code level}: the next boundary of that level's entries, capped at {@code end}. */
    long addrEnd(long addr, long end, int level) {
        long span = g.entrySpan(level);
        long boundary = (addr + span) & -span;
        return U64.lt(boundary - 1, end - 1) ? boundary : end;
    }
}
