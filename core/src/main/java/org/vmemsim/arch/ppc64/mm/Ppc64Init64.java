package org.vmemsim.arch.ppc64.mm;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongPredicate;
import org.vmemsim.arch.Geometry;
import org.vmemsim.mm.pgtable.MmCore;
import org.vmemsim.mm.vmemmap.ArchVmemmap;
import org.vmemsim.mm.vmemmap.SparseVmemmap;
import org.vmemsim.mm.vmemmap.VmemAltmap;
import org.vmemsim.mm.vmemmap.VmemmapPgmap;
import org.vmemsim.util.Errno;
import org.vmemsim.util.U64;

/**
 * The vmemmap parts of {@code arch/powerpc/mm/init_64.c} for Book3S-64 with the radix MMU:
 * {@code vmemmap_populate} / {@code vmemmap_free} choosing per kernel profile between the shared
 * code ({@code __vmemmap_populate}: 2 MiB chunks, {@code mmu_vmemmap_psize} = 2M on radix, recorded
 * in {@code vmemmap_list}; {@code __vmemmap_free}) and, from 6.5, radix's own functions in
 * {@link Ppc64RadixPgtable}; {@code vmemmap_populated} (sub-section aware) and
 * {@code altmap_cross_boundary}.
 *
 * <pre>
 * device      [base_pfn ............................................ end_pfn]
 * memmap page        [ pfns this page describes ]                           -> altmap
 * memmap page                                          [ pfns ... | beyond end_pfn ] -> RAM
 * </pre>
 * A memmap chunk (2 MiB, or a 64 KiB page) comes from the altmap only when every pfn it describes
 * lies in the device; otherwise, or when the altmap has no room, from RAM.
 *
 * <p>The hash MMU (bolted vmemmap, no Linux page table) is not modelled.
 */
public final class Ppc64Init64 implements ArchVmemmap {
    /** sizeof(struct vmemmap_backing): list pointer, phys, virt_addr. */
    public static final int VMEMMAP_BACKING_SIZE = 24;

    private final MmCore mm;
    private final Geometry g;
    private final SparseVmemmap sv;
    private final Ppc64RemovePagetable remove;
    private final Ppc64RadixPgtable radix;
    private final Ppc64RadixCompound compound;
    /** pfn_valid() of the sparse layer above, registered by the kernel. */
    private LongPredicate pfnValid = pfn -> false;

    /** vmemmap_list (6.1 era): virt_addr -> phys of each populated chunk, newest last. */
    private final LinkedHashMap<Long, Long> vmemmapList = new LinkedHashMap<>();
    /** The function-local statics of vmemmap_list_alloc: entries left in the current page, freed entries. */
    private long numLeft;
    private long numFreed;
    private long listPages;

    public Ppc64Init64(MmCore mm, SparseVmemmap sv) {
        this.mm = mm;
        this.g = mm.g;
        this.sv = sv;
        this.remove = new Ppc64RemovePagetable(mm, this);
        this.radix = new Ppc64RadixPgtable(mm, sv, this);
        this.compound = new Ppc64RadixCompound(mm, sv, radix);
    }

    public void setPfnValid(LongPredicate pfnValid) {
        this.pfnValid = pfnValid;
    }

    public Ppc64RadixPgtable radix() {
        return radix;
    }

    public Ppc64RemovePagetable remover() {
        return remove;
    }

    /** vmemmap_list entries (virt_addr -> phys), for reports and tests. */
    public Map<Long, Long> vmemmapList() {
        return java.util.Collections.unmodifiableMap(vmemmapList);
    }

    /** Pages allocated for vmemmap_list entries (never freed by the kernel). */
    public long vmemmapListPages() {
        return listPages;
    }

    /** mmu_vmemmap_psize on radix: 2 MiB when the CPU has 2M pages (always, here). */
    public long vmemmapPageSize() {
        return g.pmdSize;
    }

    /**
     * Whether any sub-section whose memmap lies in {@code [vmemmapAddr, vmemmapAddr + size)} is valid,
     * i.e. a mapping covering the range already exists.
     *
     * @kernel arch/powerpc/mm/init_64.c: vmemmap_populated
     */
    public boolean vmemmapPopulated(long vmemmapAddr, long size) {
        long end = vmemmapAddr + size;
        // vmemmap_subsection_start: the first pfn of the sub-section holding the struct page at addr
        long pfn = mm.pageToPfn(vmemmapAddr) & -g.pagesPerSubsection;
        for (long va = mm.pfnToPage(pfn); U64.lt(va, end); va += g.pagesPerSubsection * Geometry.STRUCT_PAGE_SIZE) {
            if (pfnValid.test(mm.pageToPfn(va))) {
                return true;
            }
        }
        return false;
    }

    /**
     * True when {@code [start, start + pageSize)} of the vmemmap would describe pfns outside the
     * device's {@code [base_pfn, end_pfn]}: then its backing must not come from the altmap.
     *
     * @kernel arch/powerpc/mm/init_64.c: altmap_cross_boundary
     */
    public boolean altmapCrossBoundary(VmemAltmap altmap, long start, long pageSize) {
        long nrPfn = pageSize / Geometry.STRUCT_PAGE_SIZE;
        long startPfn = mm.pageToPfn(start);
        if (U64.gt(startPfn + nrPfn, altmap.endPfn)) {
            return true;
        }
        return U64.lt(startPfn, altmap.basePfn);
    }

    /** @kernel arch/powerpc/mm/init_64.c: vmemmap_populate */
    @Override
    public int vmemmapPopulate(long start, long end, int node, VmemAltmap altmap) {
        if (g.profile.ppc64RadixOwnVmemmap()) {
            return radix.radixVmemmapPopulate(start, end, node, altmap);
        }
        return vmemmapPopulateShared(start, end, node, altmap);
    }

    /**
     * The shared populate loop: per 2 MiB chunk not yet populated, a block from the altmap (when the
     * chunk stays inside the device) or else RAM, recorded in vmemmap_list and mapped with a PMD leaf.
     *
     * @kernel arch/powerpc/mm/init_64.c: __vmemmap_populate
     */
    int vmemmapPopulateShared(long start, long end, int node, VmemAltmap altmap) {
        long pageSize = vmemmapPageSize();
        for (start = U64.alignDown(start, pageSize); U64.lt(start, end); start += pageSize) {
            if (vmemmapPopulated(start, pageSize)) {
                continue;
            }
            long pfn = -1;
            boolean altmapAlloc = false;
            if (altmap != null && !altmapCrossBoundary(altmap, start, pageSize)) {
                pfn = sv.vmemmapAllocBlockBuf(pageSize, node, altmap);
                altmapAlloc = pfn != -1; // else: "altmap block allocation failed, falling back to system memory"
            }
            if (pfn == -1) {
                pfn = sv.vmemmapAllocBlockBuf(pageSize, node, null);
            }
            if (pfn == -1) {
                return mm.log.fail(Errno.ENOMEM, "__vmemmap_populate",
                        String.format("no memmap block for vmemmap address 0x%016x (system RAM exhausted)", start));
            }
            if (vmemmapListPopulate(pfn << g.pageShift, start, node) != 0) {
                if (altmapAlloc) {
                    altmap.vmemAltmapFree(pageSize >>> g.pageShift);
                } else {
                    remove.freePages(pfn, U64.getOrder(pageSize, g.pageShift), "memmap");
                }
                return mm.log.fail(Errno.ENOMEM, "__vmemmap_populate", "vmemmap list allocation failed");
            }
            if (radix.radixVmemmapCreateMapping(start, pageSize, pfn << g.pageShift) < 0) {
                return mm.log.fail(Errno.EFAULT, "__vmemmap_populate", "Unable to create vmemmap mapping");
            }
        }
        return 0;
    }

    /** @kernel arch/powerpc/mm/init_64.c: vmemmap_list_populate */
    private int vmemmapListPopulate(long phys, long start, int node) {
        if (!vmemmapListAlloc(node)) {
            return Errno.ENOMEM.neg();
        }
        vmemmapList.put(start, phys);
        return 0;
    }

    /** Takes a freed entry, or one from the current page, allocating a new page when it is used up. @kernel arch/powerpc/mm/init_64.c: vmemmap_list_alloc */
    private boolean vmemmapListAlloc(int node) {
        if (numFreed > 0) {
            numFreed--;
            return true;
        }
        if (numLeft == 0) {
            long page = sv.vmemmapAllocBlock(g.pageSize, node, "vmemmap_list_alloc");
            if (page == -1) {
                mm.log.warn("vmemmap_list_alloc", "WARN_ON(1): no page for vmemmap_list entries");
                return false;
            }
            listPages++;
            numLeft = g.pageSize / VMEMMAP_BACKING_SIZE;
        }
        numLeft--;
        return true;
    }

    /** Removes the entry for {@code start}; returns its phys, or 0 when there is none. @kernel arch/powerpc/mm/init_64.c: vmemmap_list_free */
    private long vmemmapListFree(long start) {
        Iterator<Map.Entry<Long, Long>> it = vmemmapList.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Long, Long> e = it.next();
            if (e.getKey() == start) {
                it.remove();
                numFreed++;
                return e.getValue();
            }
        }
        return 0;
    }

    /** @kernel arch/powerpc/mm/init_64.c: vmemmap_free */
    @Override
    public void vmemmapFree(long start, long end, VmemAltmap altmap) {
        if (g.profile.ppc64RadixOwnVmemmap()) {
            radix.radixVmemmapFree(start, end, altmap);
            return;
        }
        vmemmapFreeShared(start, end, altmap);
    }

    /**
     * Per 2 MiB chunk no valid sub-section still needs: the block goes back to the altmap when it lies
     * in {@code [base_pfn, base_pfn + reserve + free + alloc + align)}, else to the page allocator, and
     * the mapping is removed.
     *
     * @kernel arch/powerpc/mm/init_64.c: __vmemmap_free
     */
    void vmemmapFreeShared(long start, long end, VmemAltmap altmap) {
        long pageSize = vmemmapPageSize();
        int order = U64.getOrder(pageSize, g.pageShift);
        long altStart = -1;
        long altEnd = -1;
        if (altmap != null) {
            altStart = altmap.basePfn;
            altEnd = altmap.basePfn + altmap.reserve + altmap.free + altmap.alloc + altmap.align;
        }
        for (start = U64.alignDown(start, pageSize); U64.lt(start, end); start += pageSize) {
            if (vmemmapPopulated(start, pageSize)) {
                continue;
            }
            long addr = vmemmapListFree(start);
            if (addr == 0) {
                continue;
            }
            long basePfn = addr >>> g.pageShift;
            if (altmap != null && U64.ge(basePfn, altStart) && U64.lt(basePfn, altEnd)) {
                altmap.vmemAltmapFree(1L << order);
            } else {
                remove.freePages(basePfn, order, "memmap");
            }
            radix.radixVmemmapRemoveMapping(start, pageSize);
        }
    }

    /**
     * Radix defines its own {@code vmemmap_populate_compound_pages} (v6.6+, together with opting in to
     * the device-dax optimisation; earlier profiles never reach it).
     */
    @Override
    public boolean hasVmemmapPopulateCompoundPages() {
        return true;
    }

    /** @kernel arch/powerpc/mm/book3s64/radix_pgtable.c: vmemmap_populate_compound_pages */
    @Override
    public int vmemmapPopulateCompoundPages(long startPfn, long start, long end, int node, VmemmapPgmap pgmap) {
        return compound.vmemmapPopulateCompoundPages(startPfn, start, end, node, pgmap);
    }

    /** @kernel arch/powerpc/mm/book3s64/radix_pgtable.c: vmemmap_set_pmd */
    @Override
    public void vmemmapSetPmd(long pmdTablePfn, int idx, long pa, int node, long addr, long next) {
        radix.vmemmapSetPmd(pmdTablePfn, idx, pa, node, addr, next);
    }

    /** @kernel arch/powerpc/mm/book3s64/radix_pgtable.c: vmemmap_check_pmd */
    @Override
    public int vmemmapCheckPmd(long pmdDesc, int node, long addr, long next) {
        return radix.vmemmapCheckPmd(pmdDesc, node, addr, next);
    }
}
