package org.vmemsim.arch.x86.mm;

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
 * The hot-remove page-table walk of {@code arch/x86/mm/init_64.c}: {@code remove_pagetable} and
 * its per-level helpers {@code remove_p4d_table}, {@code remove_pud_table}, {@code remove_pmd_table},
 * {@code remove_pte_table}, the table frees {@code free_pte_table}, {@code free_pmd_table},
 * {@code free_pud_table}, and the page frees {@code free_pagetable} / {@code free_hugepage_table}.
 * With {@code direct} (the direct map) the mapped memory is only unmapped; otherwise (the vmemmap)
 * it is freed to the altmap or the page allocator. Unlike arm64 there is no floor/ceiling rule: a
 * PTE or PMD table is freed as soon as it is empty; PUD tables only with 5-level paging, P4D tables
 * and the PGD never.
 *
 * <p>Known deviation: a 1 GiB page only partly inside the range is reported with a WARN and left
 * alone (the kernel would descend into it as if it were a table).
 */
public final class X86RemovePagetable {
    /** A page (or block) freed by the remove path, for reports: where it went. */
    public record Freed(long pfn, long nrPages, String to) {}

    private final MmCore mm;
    private final Geometry g;
    private final X86VmemmapUnused unused;
    private final List<Freed> freedLog = new ArrayList<>();

    public X86RemovePagetable(MmCore mm, X86VmemmapUnused unused) {
        this.mm = mm;
        this.g = mm.g;
        this.unused = unused;
    }

    /** @kernel arch/x86/mm/init_64.c: remove_pagetable */
    public void removePagetable(long start, long end, boolean direct, VmemAltmap altmap) {
        KernelPgtable pt = mm.pgtable;
        PgTable pgd = pt.table(pt.pgdPfn);
        long addr = start;
        while (U64.lt(addr, end)) {
            long next = addrEnd(addr, end, 0);
            long d = pgd.get(g.index(addr, 0));
            if (mm.fmt.present(d)) {
                long child = pt.nextTablePfn(d);
                if (g.levels == 5) {
                    removeP4dTable(child, addr, next, altmap, direct);
                } else {
                    removePudTable(child, addr, next, altmap, direct); // the P4D level is folded
                }
            }
            addr = next;
        }
    }

    /** @kernel arch/x86/mm/init_64.c: remove_p4d_table */
    private void removeP4dTable(long table, long addr, long end, VmemAltmap altmap, boolean direct) {
        PgTable t = mm.pgtable.table(table);
        while (U64.lt(addr, end)) {
            long next = addrEnd(addr, end, 1);
            int idx = g.index(addr, 1);
            long d = t.get(idx);
            if (mm.fmt.present(d)) {
                long pud = mm.pgtable.nextTablePfn(d);
                removePudTable(pud, addr, next, altmap, direct);
                freeTableIfEmpty(pud, t, idx, "free_pud_table");
            }
            addr = next;
        }
    }

    /** @kernel arch/x86/mm/init_64.c: remove_pud_table */
    private void removePudTable(long table, long addr, long end, VmemAltmap altmap, boolean direct) {
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
                        mm.log.warn("remove_pud_table", String.format(
                                "1 GiB page at 0x%016x only partly inside [0x%016x, 0x%016x): left mapped", addr & -g.pudSize, addr, end));
                    }
                } else {
                    long pmd = mm.pgtable.nextTablePfn(d);
                    removePmdTable(pmd, addr, next, direct, altmap);
                    freeTableIfEmpty(pmd, t, idx, "free_pmd_table");
                }
            }
            addr = next;
        }
    }

    /** @kernel arch/x86/mm/init_64.c: remove_pmd_table */
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
                    if (U64.isAligned(addr, g.pmdSize) && U64.isAligned(next, g.pmdSize)) {
                        if (!direct) {
                            freeHugepageTable(pfn, altmap, addr & -g.pmdSize);
                        }
                        t.set(idx, 0);
                    } else if (unused.vmemmapPmdIsUnused(addr, next)) {
                        freeHugepageTable(pfn, altmap, addr & -g.pmdSize);
                        t.set(idx, 0);
                    }
                } else {
                    long pte = mm.pgtable.nextTablePfn(d);
                    removePteTable(pte, addr, next, direct);
                    freeTableIfEmpty(pte, t, idx, "free_pte_table");
                }
            }
            addr = next;
        }
    }

    /** @kernel arch/x86/mm/init_64.c: remove_pte_table */
    private void removePteTable(long table, long addr, long end, boolean direct) {
        int level = g.leafLevel();
        PgTable t = mm.pgtable.table(table);
        while (U64.lt(addr, end)) {
            long next = U64.min((addr + g.pageSize) & -g.pageSize, end);
            int idx = g.index(addr, level);
            long d = t.get(idx);
            if (mm.fmt.present(d)) {
                // The kernel's guard for the boot identity map of [0, 1G): it adds the raw entry to the
                // page-aligned VA, which for kernel addresses wraps and never lands below 1 GiB.
                long physAddr = d + (addr & -g.pageSize);
                if (U64.lt(physAddr, 0x4000_0000L)) {
                    return;
                }
                if (!direct) {
                    freePagetable(mm.fmt.outputAddress(d) >>> g.pageShift, 0);
                }
                t.set(idx, 0);
            }
            addr = next;
        }
    }

    /** free_pte_table / free_pmd_table / free_pud_table: the table goes when all its entries are none. */
    private void freeTableIfEmpty(long table, PgTable parent, int parentIdx, String fn) {
        if (!mm.pgtable.table(table).allNone()) {
            return;
        }
        mm.pgtable.dropTable(table);
        freePagetable(table, 0);
        parent.set(parentIdx, 0);
    }

    /** @kernel arch/x86/mm/init_64.c: free_hugepage_table */
    private void freeHugepageTable(long pfn, VmemAltmap altmap, long pmdVa) {
        unused.forgetBlock(pmdVa);
        if (altmap != null) {
            altmap.vmemAltmapFree(g.pmdSize >>> g.pageShift);
            freedLog.add(new Freed(pfn, g.pmdSize >>> g.pageShift, "altmap:" + altmap.owner));
            return;
        }
        freePagetable(pfn, U64.getOrder(g.pmdSize, g.pageShift));
    }

    /**
     * Frees {@code 2^order} pages: boot (reserved) pages go to the page allocator page by page,
     * others back through {@code free_pages}, which only drops a reference while others remain (a
     * deduplicated device-dax memmap page is mapped by several PTEs, one reference each).
     *
     * @kernel arch/x86/mm/init_64.c: free_pagetable
     */
    public void freePagetable(long pfn, int order) {
        long nr = 1L << order;
        if (mm.buddy.putExtraRef(pfn)) {
            return; // free_pages: put_page_testzero leaves a shared memmap page to its other mappings
        }
        PageAlloc.Allocation a = mm.buddy.allocation(pfn);
        if (a != null && a.order() == order) {
            mm.buddy.freePages(pfn, order);
            freedLog.add(new Freed(pfn, nr, "buddy"));
            return;
        }
        long pa = pfn << g.pageShift;
        if (mm.memblock.isReserved(pa, nr << g.pageShift)) {
            mm.buddy.freeReservedToBuddy(Math.max(0, mm.memblock.nidOf(pa)), pfn, order);
            freedLog.add(new Freed(pfn, nr, "buddy (was reserved)"));
            return;
        }
        mm.log.warn("free_pagetable", String.format(
                "BUG: Bad page state: pfn 0x%x (%d pages) was not allocated from the page allocator", pfn, nr));
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
