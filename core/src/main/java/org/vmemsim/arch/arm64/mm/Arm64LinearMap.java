package org.vmemsim.arch.arm64.mm;

import org.vmemsim.arch.Geometry;
import org.vmemsim.arch.KernelProfile;
import org.vmemsim.arch.arm64.Arm64Pte;
import org.vmemsim.mm.pgtable.KernelPgtable;
import org.vmemsim.mm.pgtable.MmCore;
import org.vmemsim.mm.phys.PgTable;
import org.vmemsim.mm.vmemmap.ArchMemory;
import org.vmemsim.mm.vmemmap.HotplugHooks;
import org.vmemsim.mm.vmemmap.MhpParams;
import org.vmemsim.mm.vmemmap.VmemAltmap;
import org.vmemsim.util.Errno;
import org.vmemsim.util.KernelBug;
import org.vmemsim.util.U64;

/**
 * The linear-map half of {@code arch/arm64/mm/mmu.c}: {@code __create_pgd_mapping} with block and
 * contiguous-hint rules, {@code arch_add_memory}, {@code arch_remove_memory},
 * {@code __remove_pgd_mapping} and the hot-pluggable range. Boot uses the same mapping code with
 * memblock as the table allocator ({@code early_pgtable_alloc}).
 *
 * <p>Table descriptors carry no UXNTable/PXNTable bits here (ptdump does not print them).
 */
public final class Arm64LinearMap implements ArchMemory {
    /** Where page-table pages come from while mapping. */
    public interface PgtableAlloc {
        /** A pfn for a new table page, or -1. */
        long alloc(int level);
    }

    private final MmCore mm;
    private final Geometry g;
    private final KernelProfile p;
    private final Arm64Mmu mmu;
    private HotplugHooks hooks;
    /** rodata_full (true by default: CONFIG_RODATA_FULL_DEFAULT_ENABLED). */
    private final boolean rodataFull;
    /** Contiguous-hint spans in pages (PTE) and in PMD entries, per granule. */
    private final int contPtes;
    private final int contPmds;

    public Arm64LinearMap(MmCore mm, Arm64Mmu mmu, boolean rodataFull) {
        this.mm = mm;
        this.g = mm.g;
        this.p = g.profile;
        this.mmu = mmu;
        this.rodataFull = rodataFull;
        this.contPtes = switch (g.granule) {
            case G4K -> 16;
            case G16K -> 128;
            case G64K -> 32;
        };
        this.contPmds = switch (g.granule) {
            case G4K -> 16;
            case G16K -> 32;
            case G64K -> 32;
        };
    }

    public void setHooks(HotplugHooks hooks) {
        this.hooks = hooks;
    }

    public boolean rodataFull() {
        return rodataFull;
    }

    /** Whether the linear map of new memory must be page granular (NO_BLOCK_MAPPINGS | NO_CONT_MAPPINGS). */
    public boolean forcePte() {
        return rodataFull || p.kfenceForcesPteLinearMap();
    }

    /**
     * Maps {@code [virt, virt + size)} to {@code [phys, ...)} with PAGE_KERNEL: PUD blocks (4K only)
     * and PMD blocks where VA, PA and the chunk are aligned and blocks are allowed, contiguous hints
     * where allowed, PTEs otherwise. Returns 0, or -ENOMEM when a table page cannot be allocated
     * (the partial mapping is left for the caller to remove).
     *
     * @kernel arch/arm64/mm/mmu.c: __create_pgd_mapping
     */
    public int createPgdMapping(long phys, long virt, long size, boolean noBlocks, boolean noCont, PgtableAlloc alloc) {
        long end = U64.end(virt, size);
        return mapLevel(mm.pgtable.pgdPfn, 0, virt, end, phys, noBlocks, noCont, alloc);
    }

    private int mapLevel(long tablePfn, int level, long addr, long end, long phys, boolean noBlocks, boolean noCont,
                         PgtableAlloc alloc) {
        KernelPgtable pt = mm.pgtable;
        PgTable t = pt.table(tablePfn);
        long span = g.entrySpan(level);
        long start = addr;
        if (level == g.leafLevel()) {
            int first = g.index(addr, level);
            int n = (int) ((end - addr) >>> g.pageShift);
            long desc = mm.fmt.mkPageKernel(phys);
            boolean empty = true;
            if (!t.allNone()) { // a fresh table is empty without looking at every entry
                for (int i = first; i < first + n && empty; i++) {
                    empty = t.get(i) == 0;
                }
            }
            boolean linearOa = (phys >>> 48) == ((phys + (long) (n - 1) * g.pageSize) >>> 48);
            if (empty && noCont && linearOa) {
                t.setRun(first, first + n, desc, g.pageSize);
            } else {
                for (int i = 0; i < n; i++) {
                    long pa = phys + (long) i * g.pageSize;
                    long va = addr + (long) i * g.pageSize;
                    long d = mm.fmt.mkPageKernel(pa);
                    if (!noCont && contAligned(va, pa, start, end, (long) contPtes * g.pageSize)) {
                        d |= Arm64Pte.PTE_CONT;
                    }
                    t.set(first + i, d);
                }
            }
            return 0;
        }
        while (U64.lt(addr, end)) {
            long boundary = (addr + span) & -span;
            long next = U64.lt(boundary - 1, end - 1) ? boundary : end;
            int idx = g.index(addr, level);
            long d = t.get(idx);
            if (g.blockAllowed(level) && !noBlocks && ((addr | next | phys) & (span - 1)) == 0 && (d == 0)) {
                long bd = mm.fmt.mkBlockKernel(phys);
                if (level == g.pmdLevel() && !noCont && contAligned(addr, phys, start, end, (long) contPmds * span)) {
                    bd |= Arm64Pte.PTE_CONT;
                }
                t.set(idx, bd);
            } else {
                long child;
                if (d == 0) {
                    child = alloc.alloc(level + 1);
                    if (child == -1) {
                        return Errno.ENOMEM.neg();
                    }
                    pt.installTable(tablePfn, idx, child, level + 1);
                } else if (pt.isTable(d, level)) {
                    child = pt.nextTablePfn(d);
                } else {
                    throw new KernelBug(String.format("__create_pgd_mapping: 0x%016x already mapped by a block", addr));
                }
                int r = mapLevel(child, level + 1, addr, next, phys, noBlocks, noCont, alloc);
                if (r != 0) {
                    return r;
                }
            }
            phys += next - addr;
            addr = next;
        }
        return 0;
    }

    /**
     * Whether the contiguous-hint block holding {@code va} lies entirely inside {@code [start, end)}
     * with VA and PA equally aligned, the test {@code (addr | next | phys) & ~CONT_MASK == 0} of
     * alloc_init_cont_pte/alloc_init_cont_pmd applied to that block.
     */
    private static boolean contAligned(long va, long pa, long start, long end, long contSize) {
        long base = va & -contSize;
        return ((va ^ pa) & (contSize - 1)) == 0 && U64.ge(base, start) && !U64.gt(base + contSize, end);
    }

    /**
     * Allocates a zeroed order-0 page for a linear-map table; failure is a BUG() up to 6.x, an error
     * in mainline.
     *
     * @kernel arch/arm64/mm/mmu.c: __pgd_pgtable_alloc
     */
    public long pgdPgtableAlloc(int level) {
        int nid = mm.buddy.firstNode();
        long pfn = mm.buddy.allocPagesNode(nid, 0, "__pgd_pgtable_alloc");
        if (pfn == -1 && !p.linearMapAllocFailureIsError()) {
            throw new KernelBug("__pgd_pgtable_alloc: out of memory for a linear-map page table (BUG_ON)");
        }
        return pfn;
    }

    /** @kernel arch/arm64/mm/mmu.c: map_mem */
    @Override
    public void bootMapMemory(long start, long size) {
        boolean noBlocks = forcePte();
        createPgdMapping(start, mm.physToVirt(start), size, noBlocks, noBlocks, this::earlyPgtableAlloc);
    }

    /** Boot: a table page from memblock (early_pgtable_alloc); failure panics. */
    public long earlyPgtableAlloc(int level) {
        long pa = mm.memblock.memblockAllocOrPanic(g.pageSize, g.pageSize, -1, "early_pgtable_alloc");
        return pa >>> g.pageShift;
    }

    /**
     * The physical range that can be hot-plugged: what the linear map can reach,
     * {@code [__pa(_PAGE_OFFSET(vabits_actual)), __pa(PAGE_END - 1)]} (inclusive end).
     *
     * @kernel arch/arm64/mm/mmu.c: arch_get_mappable_range
     */
    @Override
    public long[] archGetMappableRange() {
        long start = mm.virtToPhys(g.pageOffset);
        long end = mm.virtToPhys(g.pageEnd - 1);
        if (U64.gt(start, end)) {
            start = 0;
        }
        return new long[] {start, end};
    }

    /**
     * Creates the linear mapping of {@code [start, start + size)}, then calls {@code __add_pages};
     * on its failure removes the linear mapping again.
     *
     * @kernel arch/arm64/mm/mmu.c: arch_add_memory
     */
    @Override
    public int archAddMemory(int nid, long start, long size, MhpParams params) {
        boolean noBlocks = forcePte();
        int ret = createPgdMapping(start, mm.physToVirt(start), size, noBlocks, noBlocks, this::pgdPgtableAlloc);
        if (ret != 0) {
            removePgdMapping(mm.physToVirt(start), size);
            return mm.log.fail(Errno.ENOMEM, "arch_add_memory",
                    String.format("cannot allocate linear-map page tables for [0x%x, 0x%x)", start, start + size));
        }
        ret = hooks.addPages(nid, start >>> g.pageShift, size >>> g.pageShift, params);
        if (ret != 0) {
            removePgdMapping(mm.physToVirt(start), size);
        }
        return ret;
    }

    /** @kernel arch/arm64/mm/mmu.c: arch_remove_memory */
    @Override
    public void archRemoveMemory(long start, long size, VmemAltmap altmap) {
        hooks.removePages(start >>> g.pageShift, size >>> g.pageShift, altmap);
        removePgdMapping(mm.physToVirt(start), size);
    }

    /**
     * Unmaps a linear-map range (the hot-plugged memory itself is not freed here) and frees the
     * tables left empty inside {@code [PAGE_OFFSET, PAGE_END)}.
     *
     * @kernel arch/arm64/mm/mmu.c: __remove_pgd_mapping
     */
    public void removePgdMapping(long start, long size) {
        long end = start + size;
        if (U64.lt(start, g.pageOffset) || U64.gt(end, g.pageEnd)) {
            mm.log.warn("__remove_pgd_mapping", String.format("range [0x%016x, 0x%016x) outside the linear map", start, end));
        }
        mmu.unmapHotplugRange(start, end, false, null);
        mmu.freeEmptyTables(start, end, g.pageOffset, g.pageEnd);
    }
}
