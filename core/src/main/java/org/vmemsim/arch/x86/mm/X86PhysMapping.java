package org.vmemsim.arch.x86.mm;

import org.vmemsim.arch.Geometry;
import org.vmemsim.mm.pgtable.KernelPgtable;
import org.vmemsim.mm.pgtable.MmCore;
import org.vmemsim.mm.phys.PgTable;
import org.vmemsim.util.KernelBug;
import org.vmemsim.util.U64;

/**
 * The x86-64 direct map ({@code arch/x86/mm/init.c}: {@code init_memory_mapping},
 * {@code split_mem_range}; {@code arch/x86/mm/init_64.c}: {@code kernel_physical_mapping_init} and
 * {@code phys_p4d_init} / {@code phys_pud_init} / {@code phys_pmd_init} / {@code phys_pte_init}).
 * A range is split into a 4 KiB head up to the first 2 MiB boundary, 2 MiB pages up to the first
 * 1 GiB boundary, 1 GiB pages (the CPU is assumed to have gbpages), then 2 MiB and 4 KiB tails. An
 * entry that already holds a table is descended into rather than replaced by a large page, and
 * entries already present are kept. There is no page-granularity rule like arm64's rodata_full.
 *
 * <p>Simplifications: the boot-time special cases (the ISA range mapped first, the early identity
 * map of head_64.S, {@code adjust_range_page_size_mask} widening head/tail ranges that lie inside
 * RAM, clearing entries outside E820 RAM) are not modelled; boot maps each memblock region like a
 * hot-add does, with table pages from memblock.
 */
public final class X86PhysMapping {
    /** Where page-table pages come from while mapping. */
    public interface PgtableAlloc {
        /** A pfn for a new zeroed table page; never fails (the kernel has no failure path here). */
        long alloc();
    }

    private final MmCore mm;
    private final Geometry g;

    public X86PhysMapping(MmCore mm) {
        this.mm = mm;
        this.g = mm.g;
    }

    /**
     * Maps {@code [start, end)} of physical memory at {@code __va(start)} with the largest pages the
     * alignment allows. Returns the end of the mapped range, as the kernel does.
     *
     * @kernel arch/x86/mm/init.c: init_memory_mapping
     */
    public long initMemoryMapping(long start, long end, PgtableAlloc alloc) {
        // split_mem_range + kernel_physical_mapping_init: choosing, at each address, the largest page
        // that is aligned and fits yields exactly the head/2M/1G/2M/tail split.
        mapLevel(mm.pgtable.pgdPfn, 0, mm.physToVirt(start), mm.physToVirt(end), start, alloc);
        return end;
    }

    private void mapLevel(long tablePfn, int level, long addr, long end, long phys, PgtableAlloc alloc) {
        KernelPgtable pt = mm.pgtable;
        PgTable t = pt.table(tablePfn);
        long span = g.entrySpan(level);
        boolean leafLevel = level == g.leafLevel();
        while (U64.lt(addr, end)) {
            long boundary = (addr + span) & -span;
            long next = U64.lt(boundary - 1, end - 1) ? boundary : end;
            int idx = g.index(addr, level);
            long d = t.get(idx);
            if (leafLevel) {
                if (d == 0) {
                    t.set(idx, mm.fmt.mkPageKernel(phys));
                }
            } else if (d == 0 && g.blockAllowed(level) && ((addr | next | phys) & (span - 1)) == 0) {
                t.set(idx, mm.fmt.mkBlockKernel(phys));
            } else if (d != 0 && pt.isLeaf(d, level)) {
                // already mapped by a large page: phys_pud_init / phys_pmd_init keep it
            } else {
                long child;
                if (d == 0) {
                    child = alloc.alloc();
                    pt.installTable(tablePfn, idx, child, level + 1);
                } else {
                    child = pt.nextTablePfn(d);
                }
                mapLevel(child, level + 1, addr, next, phys, alloc);
            }
            phys += next - addr;
            addr = next;
        }
    }

    /** Boot: a table page from memblock (alloc_low_pages before the buddy allocator is up). */
    public long earlyAlloc() {
        return mm.memblock.memblockAllocOrPanic(g.pageSize, g.pageSize, -1, "alloc_low_pages") >>> g.pageShift;
    }

    /**
     * After boot: a zeroed page from the page allocator. The kernel does not check for failure (it
     * would oops on the NULL table), so a failure is a kernel bug here.
     *
     * @kernel arch/x86/mm/init.c: alloc_low_pages
     */
    public long lateAlloc() {
        long pfn = mm.buddy.allocPagesNode(mm.buddy.firstNode(), 0, "alloc_low_pages");
        if (pfn == -1) {
            throw new KernelBug("alloc_low_pages: out of memory for a direct-map page table (NULL dereference)");
        }
        return pfn;
    }
}
