package org.vmemsim.arch.arm64.mm;

import java.util.List;
import org.vmemsim.arch.Geometry;
import org.vmemsim.arch.Granule;
import org.vmemsim.arch.KernelProfile;
import org.vmemsim.mm.alloc.PageAlloc;
import org.vmemsim.mm.pgtable.KernelPgtable;
import org.vmemsim.mm.pgtable.MmCore;
import org.vmemsim.mm.phys.PgTable;
import org.vmemsim.mm.vmemmap.ArchVmemmap;
import org.vmemsim.mm.vmemmap.SparseVmemmap;
import org.vmemsim.mm.vmemmap.VmemAltmap;
import org.vmemsim.util.Errno;
import org.vmemsim.util.U64;

/**
 * The vmemmap half of {@code arch/arm64/mm/mmu.c}: {@code vmemmap_populate} per kernel profile, and
 * the hot-remove machinery shared with the linear map: {@code unmap_hotplug_range} and its level
 * walkers, {@code free_hotplug_page_range}, {@code free_empty_tables} with the floor/ceiling rule.
 *
 * <p>Walkers work on hardware levels; the kernel's per-level functions ({@code unmap_hotplug_pud_range},
 * {@code free_empty_pmd_table}, ...) are the same step applied at each level and are implemented by
 * one recursive method each. Known deviation: where the kernel WARNs about an unexpected entry and
 * then descends into it anyway, vmemsim records the WARN and does not descend.
 */
public final class Arm64Mmu implements ArchVmemmap {
    /** A page (or block) freed by the remove path, for reports: where it went. */
    public record Freed(long pfn, long nrPages, String to) {}

    private final MmCore mm;
    private final Geometry g;
    private final KernelProfile p;
    private final SparseVmemmap sv;
    private final FreedLog freedLog = new FreedLog();
    /** Kernel function names per level for WARNs, built once: unmap_hotplug_*_range, free_empty_*_table. */
    private final String[] unmapFn;
    private final String[] freeEmptyFn;
    /** The "altmap:OWNER" label of the last altmap freed to (one string per altmap, not per page). */
    private VmemAltmap lastAltmap;
    private String lastAltmapLabel;

    public Arm64Mmu(MmCore mm, SparseVmemmap sv) {
        this.mm = mm;
        this.g = mm.g;
        this.p = g.profile;
        this.sv = sv;
        this.unmapFn = new String[g.levels];
        this.freeEmptyFn = new String[g.levels];
        for (int l = 0; l < g.levels; l++) {
            unmapFn[l] = "unmap_hotplug_" + g.entryName(l).toLowerCase(java.util.Locale.ROOT) + "_range";
            freeEmptyFn[l] = "free_empty_" + g.tableName(l).toLowerCase(java.util.Locale.ROOT) + "_table";
        }
    }

    // ---------------------------------------------------------------- populate

    /** @kernel arch/arm64/mm/mmu.c: vmemmap_populate */
    @Override
    public int vmemmapPopulate(long start, long end, int node, VmemAltmap altmap) {
        if (p.vmemmapRangeWarn() && (U64.lt(start, g.vmemmapStart) || U64.gt(end, g.vmemmapEnd))) {
            mm.log.warn("vmemmap_populate", String.format("range [0x%016x, 0x%016x) outside the vmemmap", start, end));
        }
        long sectionMemmap = g.memmapPerSection();
        if (p.vmemmapMoreThanSectionWarn() && U64.gt(end - start, sectionMemmap)) {
            mm.log.warnOnce("vmemmap_populate", "section", "range of " + (end - start) + " bytes is more than one section's memmap");
        }
        if (!p.arm64HonoursAltmap()) {
            altmap = null; // v5.8: the arm64 code never received the altmap
        }
        if (g.granule != Granule.G4K) {
            return sv.vmemmapPopulateBasepages(start, end, node, altmap);
        }
        if (p.arm64SubsectionBasepages() && U64.lt(end - start, sectionMemmap)) {
            return sv.vmemmapPopulateBasepages(start, end, node, altmap);
        }
        return switch (p.arm64Vmemmap4K()) {
            case HUGEPAGES -> sv.vmemmapPopulateHugepages(start, end, node, altmap);
            case PMD_LOOP_FALLBACK -> pmdLoop(start, end, node, altmap, true);
            case PMD_LOOP, PMD_LOOP_RAM -> pmdLoop(start, end, node, altmap, false);
        };
    }

    /** arm64's own 4K loop (v5.8..v6.1): one PMD block per chunk, optional base-page fallback. */
    private int pmdLoop(long start, long end, int node, VmemAltmap altmap, boolean fallback) {
        int pmdLevel = g.pmdLevel();
        long addr = start;
        while (U64.lt(addr, end)) {
            long next = sv.pmdAddrEnd(addr, end);
            long pmdTable = sv.vmemmapTablePopulate(addr, pmdLevel, node);
            if (pmdTable == -1) {
                return mm.log.fail(Errno.ENOMEM, "vmemmap_populate",
                        String.format("no page-table page for vmemmap address 0x%016x", addr));
            }
            PgTable t = mm.pgtable.table(pmdTable);
            int idx = g.index(addr, pmdLevel);
            if (t.get(idx) == 0) {
                long pfn = sv.vmemmapAllocBlockBuf(g.pmdSize, node, altmap);
                if (pfn == -1) {
                    if (!fallback) {
                        return mm.log.fail(Errno.ENOMEM, "vmemmap_populate", String.format(
                                "cannot allocate the PMD block for vmemmap 0x%016x from %s", addr,
                                altmap == null ? "system RAM" : "altmap " + altmap));
                    }
                    if (sv.vmemmapPopulateBasepages(addr, next, node, altmap) != 0) {
                        return Errno.ENOMEM.neg();
                    }
                } else {
                    vmemmapSetPmd(pmdTable, idx, pfn << g.pageShift, node, addr, next);
                }
            } else {
                sv.vmemmapVerify(addr, node);
            }
            addr = next;
        }
        return 0;
    }

    /** @kernel arch/arm64/mm/mmu.c: vmemmap_set_pmd */
    @Override
    public void vmemmapSetPmd(long pmdTablePfn, int idx, long pa, int node, long addr, long next) {
        mm.pgtable.table(pmdTablePfn).set(idx, mm.fmt.mkSectNormal(pa));
    }

    /** @kernel arch/arm64/mm/mmu.c: vmemmap_check_pmd */
    @Override
    public int vmemmapCheckPmd(long pmdDesc, int node, long addr, long next) {
        sv.vmemmapVerify(addr, node);
        if (p.arm64CheckPmdIsLeaf()) {
            return mm.pgtable.isLeaf(pmdDesc, g.pmdLevel()) ? 1 : 0;
        }
        return 1;
    }

    // ---------------------------------------------------------------- free

    /** @kernel arch/arm64/mm/mmu.c: vmemmap_free */
    @Override
    public void vmemmapFree(long start, long end, VmemAltmap altmap) {
        if (p.vmemmapRangeWarn() && (U64.lt(start, g.vmemmapStart) || U64.gt(end, g.vmemmapEnd))) {
            mm.log.warn("vmemmap_free", String.format("range [0x%016x, 0x%016x) outside the vmemmap", start, end));
        }
        if (!p.arm64HonoursAltmap()) {
            altmap = null;
        }
        unmapHotplugRange(start, end, true, altmap);
        freeEmptyTables(start, end, g.vmemmapStart, g.vmemmapEnd);
    }

    /**
     * Clears every leaf intersecting {@code [addr, end)}; with {@code freeMapped} the backing goes
     * back to the altmap counter or the buddy allocator. Never frees tables.
     *
     * @kernel arch/arm64/mm/mmu.c: unmap_hotplug_range
     */
    public void unmapHotplugRange(long addr, long end, boolean freeMapped, VmemAltmap altmap) {
        if (altmap != null && !freeMapped) {
            mm.log.warn("unmap_hotplug_range", "altmap given but the mapped pages are not freed");
        }
        unmapLevel(mm.pgtable.pgdPfn, 0, addr, end, freeMapped, altmap);
    }

    /** One level of unmap_hotplug_{p4d,pud,pmd,pte}_range. */
    private void unmapLevel(long tablePfn, int level, long addr, long end, boolean freeMapped, VmemAltmap altmap) {
        KernelPgtable pt = mm.pgtable;
        PgTable t = pt.table(tablePfn);
        boolean leaf = level == g.leafLevel();
        if (leaf && !freeMapped) {
            // Only valid PTEs or none exist in the model, so clearing page by page without freeing
            // anything is the same as clearing the covered index range at once.
            int first = g.index(addr, level);
            long pages = U64.divRoundUp(end - addr, g.pageSize);
            int last = (int) Math.min(g.ptrs(level), first + pages);
            t.clearRange(first, last);
            return;
        }
        String fn = unmapFn[level];
        do {
            long next = leaf ? addr + g.pageSize : addrEnd(addr, end, level);
            int idx = g.index(addr, level);
            long d = t.get(idx);
            if (d == 0) {
                continue;
            }
            if (!mm.fmt.present(d)) {
                mm.log.warn(fn, String.format("entry %016x for 0x%016x is not present", d, addr));
                continue;
            }
            if (pt.isLeaf(d, level)) {
                t.set(idx, 0);
                if (freeMapped) {
                    long span = g.entrySpan(level);
                    long pfn = (mm.fmt.outputAddress(d) & -span) >>> g.pageShift;
                    freeHotplugPageRange(pfn, span, altmap);
                }
                continue;
            }
            if (leaf || !pt.isTable(d, level)) {
                mm.log.warn(fn, String.format("unexpected entry %016x for 0x%016x", d, addr));
                continue;
            }
            unmapLevel(pt.nextTablePfn(d), level + 1, addr, next, freeMapped, altmap);
        } while (U64.lt(addr = leaf ? addr + g.pageSize : addrEnd(addr, end, level), end));
    }

    /** pXd_addr_end at {@code level}: the next boundary of that level's entries, capped at {@code end}. */
    private long addrEnd(long addr, long end, int level) {
        long span = g.entrySpan(level);
        long boundary = (addr + span) & -span;
        return U64.lt(boundary - 1, end - 1) ? boundary : end;
    }

    /**
     * Returns the backing of a cleared leaf: to the altmap (a counter decrement, nothing else) or,
     * without an altmap, to the buddy allocator (WARN first when the page was reserved at boot).
     *
     * @kernel arch/arm64/mm/mmu.c: free_hotplug_page_range
     */
    public void freeHotplugPageRange(long pfn, long size, VmemAltmap altmap) {
        long nr = size >>> g.pageShift;
        if (altmap != null) {
            altmap.vmemAltmapFree(nr);
            if (altmap != lastAltmap) {
                lastAltmap = altmap;
                lastAltmapLabel = "altmap:" + altmap.owner;
            }
            freedLog.add(pfn, nr, lastAltmapLabel);
            return;
        }
        int order = U64.getOrder(size, g.pageShift);
        PageAlloc.Allocation a = mm.buddy.allocation(pfn);
        if (a != null && a.order() == order) {
            mm.buddy.freePages(pfn, order);
            freedLog.add(pfn, nr, "buddy");
            return;
        }
        long pa = pfn << g.pageShift;
        if (mm.memblock.isReserved(pa, size)) {
            mm.log.warn("free_hotplug_page_range", String.format("PageReserved page pfn 0x%x freed (boot memory)", pfn));
            mm.buddy.freeReservedToBuddy(Math.max(0, mm.memblock.nidOf(pa)), pfn, order);
            freedLog.add(pfn, nr, "buddy (was reserved)");
            return;
        }
        mm.log.warn("free_hotplug_page_range", String.format(
                "BUG: Bad page state: pfn 0x%x (%d pages) was not allocated from the buddy allocator", pfn, nr));
        freedLog.add(pfn, nr, "bad free");
    }

    /** @kernel arch/arm64/mm/mmu.c: free_hotplug_pgtable_page */
    public void freeHotplugPgtablePage(long pfn) {
        mm.pgtable.dropTable(pfn);
        freeHotplugPageRange(pfn, g.pageSize, null);
    }

    /**
     * Whether the table whose window contains {@code start} may be freed: its whole window (rounded
     * with {@code mask}) must lie inside {@code [floor, ceiling)}.
     *
     * @kernel arch/arm64/mm/mmu.c: pgtable_range_aligned
     */
    public static boolean pgtableRangeAligned(long start, long end, long floor, long ceiling, long mask) {
        start &= mask;
        if (U64.lt(start, floor)) {
            return false;
        }
        if (ceiling != 0) {
            ceiling &= mask;
            if (ceiling == 0) {
                return false;
            }
        }
        return !U64.gt(end - 1, ceiling - 1);
    }

    /**
     * Frees the tables below the PGD that {@code [addr, end)} left completely empty and whose window
     * lies inside {@code [floor, ceiling)}. The PGD is never freed.
     *
     * @kernel arch/arm64/mm/mmu.c: free_empty_tables
     */
    public void freeEmptyTables(long addr, long end, long floor, long ceiling) {
        PgTable pgd = mm.pgtable.table(mm.pgtable.pgdPfn);
        do {
            long next = addrEnd(addr, end, 0);
            int idx = g.index(addr, 0);
            long d = pgd.get(idx);
            if (d == 0) {
                continue;
            }
            if (!mm.pgtable.isTable(d, 0)) {
                mm.log.warn("free_empty_tables", String.format("unexpected PGD entry %016x for 0x%016x", d, addr));
                continue;
            }
            freeEmptyLevel(pgd, idx, mm.pgtable.nextTablePfn(d), 1, addr, next, floor, ceiling);
        } while (U64.lt(addr = addrEnd(addr, end, 0), end));
    }

    /** One level of free_empty_{p4d,pud,pmd,pte}_table: table {@code tablePfn} at {@code level}. */
    private void freeEmptyLevel(PgTable parent, int parentIdx, long tablePfn, int level, long addr, long end,
                                long floor, long ceiling) {
        KernelPgtable pt = mm.pgtable;
        PgTable t = pt.table(tablePfn);
        long start = addr;
        boolean leaf = level == g.leafLevel();
        String fn = freeEmptyFn[level];
        do {
            if (leaf && t.allNone()) {
                break; // no PTE left to warn about
            }
            long next = leaf ? addr + g.pageSize : addrEnd(addr, end, level);
            int idx = g.index(addr, level);
            long d = t.get(idx);
            if (leaf) {
                if (d != 0) {
                    mm.log.warn(fn, String.format("PTE %016x for 0x%016x still set", d, addr));
                }
                continue;
            }
            if (d == 0) {
                continue;
            }
            if (!pt.isTable(d, level)) {
                mm.log.warn(fn, String.format("entry %016x for 0x%016x is not a table", d, addr));
                continue;
            }
            freeEmptyLevel(t, idx, pt.nextTablePfn(d), level + 1, addr, next, floor, ceiling);
        } while (U64.lt(addr = leaf ? addr + g.pageSize : addrEnd(addr, end, level), end));

        long mask = -g.entrySpan(level - 1);
        if (!pgtableRangeAligned(start, end, floor, ceiling, mask)) {
            return;
        }
        if (!t.allNone()) {
            return;
        }
        parent.set(parentIdx, 0);
        freeHotplugPgtablePage(tablePfn);
    }

    /** Pages freed by the remove paths since the last {@link #drainFreedLog}. */
    public List<Freed> drainFreedLog() {
        return freedLog.drain();
    }
}
