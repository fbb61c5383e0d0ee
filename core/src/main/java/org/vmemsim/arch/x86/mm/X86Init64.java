package org.vmemsim.arch.x86.mm;

import org.vmemsim.arch.Geometry;
import org.vmemsim.mm.pgtable.MmCore;
import org.vmemsim.mm.phys.PgTable;
import org.vmemsim.mm.vmemmap.ArchMemory;
import org.vmemsim.mm.vmemmap.ArchVmemmap;
import org.vmemsim.mm.vmemmap.HotplugHooks;
import org.vmemsim.mm.vmemmap.MhpParams;
import org.vmemsim.mm.vmemmap.SparseVmemmap;
import org.vmemsim.mm.vmemmap.VmemAltmap;
import org.vmemsim.util.Errno;
import org.vmemsim.util.U64;

/**
 * The memory hot-plug and vmemmap parts of {@code arch/x86/mm/init_64.c}: {@code vmemmap_populate}
 * (base pages for a sub-section request, else 2 MiB blocks), the PMD hooks
 * {@code vmemmap_set_pmd}/{@code vmemmap_check_pmd} with the partial-PMD bookkeeping
 * ({@link X86VmemmapUnused}), {@code vmemmap_free}, {@code arch_add_memory},
 * {@code arch_remove_memory} and the boot direct map.
 *
 * <p>The CPU is assumed to have PSE and gbpages. Profile 6.1 uses x86's own copy of
 * {@code vmemmap_populate_hugepages} (it became generic in 6.2); the only behavioural difference is
 * that x86's copy falls back to base pages without the altmap when a PMD entry already holds a PTE
 * table. x86 never hands the altmap to {@code vmemmap_populate_basepages}.
 */
public final class X86Init64 implements ArchVmemmap, ArchMemory {
    private final MmCore mm;
    private final Geometry g;
    private final SparseVmemmap sv;
    private final X86VmemmapUnused unused;
    private final X86RemovePagetable remove;
    private final X86PhysMapping physMapping;
    private HotplugHooks hooks;

    public X86Init64(MmCore mm, SparseVmemmap sv) {
        this.mm = mm;
        this.g = mm.g;
        this.sv = sv;
        this.unused = new X86VmemmapUnused(g);
        this.remove = new X86RemovePagetable(mm, unused);
        this.physMapping = new X86PhysMapping(mm);
    }

    public void setHooks(HotplugHooks hooks) {
        this.hooks = hooks;
    }

    public X86VmemmapUnused unused() {
        return unused;
    }

    public X86RemovePagetable remover() {
        return remove;
    }

    public X86PhysMapping physMapping() {
        return physMapping;
    }

    // ---------------------------------------------------------------- vmemmap

    /** @kernel arch/x86/mm/init_64.c: vmemmap_populate */
    @Override
    public int vmemmapPopulate(long start, long end, int node, VmemAltmap altmap) {
        if (U64.lt(end - start, g.memmapPerSection())) {
            return sv.vmemmapPopulateBasepages(start, end, node, null);
        }
        if (g.profile.ordinal100 >= 602) {
            return sv.vmemmapPopulateHugepages(start, end, node, altmap);
        }
        return vmemmapPopulateHugepages(start, end, node, altmap);
    }

    /**
     * x86's private hugepage loop (up to 6.1): a 2 MiB block per chunk from the altmap or RAM; no
     * fallback with an altmap; an existing block is shared; otherwise base pages from RAM.
     *
     * @kernel arch/x86/mm/init_64.c: vmemmap_populate_hugepages
     */
    int vmemmapPopulateHugepages(long start, long end, int node, VmemAltmap altmap) {
        int pmdLevel = g.pmdLevel();
        long addr = start;
        while (U64.lt(addr, end)) {
            long next = sv.pmdAddrEnd(addr, end);
            long pmdTable = sv.vmemmapTablePopulate(addr, pmdLevel, node);
            if (pmdTable == -1) {
                return mm.log.fail(Errno.ENOMEM, "vmemmap_populate_hugepages",
                        String.format("no page-table page for vmemmap address 0x%016x", addr));
            }
            PgTable t = mm.pgtable.table(pmdTable);
            int idx = g.index(addr, pmdLevel);
            long d = t.get(idx);
            if (d == 0) {
                long pfn = sv.vmemmapAllocBlockBuf(g.pmdSize, node, altmap);
                if (pfn != -1) {
                    vmemmapSetPmd(pmdTable, idx, pfn << g.pageShift, node, addr, next);
                    addr = next;
                    continue;
                }
                if (altmap != null) {
                    return mm.log.fail(Errno.ENOMEM, "vmemmap_populate_hugepages", String.format(
                            "altmap %s cannot back the PMD block at 0x%016x: %s", altmap.owner, addr, altmap));
                }
            } else if (vmemmapCheckPmd(d, node, addr, next) != 0) {
                addr = next;
                continue;
            }
            if (sv.vmemmapPopulateBasepages(addr, next, node, null) != 0) {
                return Errno.ENOMEM.neg();
            }
            addr = next;
        }
        return 0;
    }

    /** @kernel arch/x86/mm/init_64.c: vmemmap_set_pmd */
    @Override
    public void vmemmapSetPmd(long pmdTablePfn, int idx, long pa, int node, long addr, long next) {
        mm.pgtable.table(pmdTablePfn).set(idx, mm.fmt.mkSectNormal(pa)); // PAGE_KERNEL_LARGE
        unused.forgetBlock(U64.alignDown(addr, g.pmdSize)); // fresh memory carries no PAGE_UNUSED marks
        if (!U64.isAligned(addr, g.pmdSize) || !U64.isAligned(next, g.pmdSize)) {
            unused.vmemmapUseNewSubPmd(addr, next);
        }
    }

    /** 1 when a 2 MiB block already maps the chunk (marking the sub-range used), else 0. @kernel arch/x86/mm/init_64.c: vmemmap_check_pmd */
    @Override
    public int vmemmapCheckPmd(long pmdDesc, int node, long addr, long next) {
        if (mm.pgtable.isLeaf(pmdDesc, g.pmdLevel())) {
            sv.vmemmapVerify(addr, node);
            unused.vmemmapUseSubPmd(addr, next);
            return 1;
        }
        return 0;
    }

    /** @kernel arch/x86/mm/init_64.c: vmemmap_free */
    @Override
    public void vmemmapFree(long start, long end, VmemAltmap altmap) {
        remove.removePagetable(start, end, false, altmap);
    }

    // ---------------------------------------------------------------- direct map and hot-plug

    /** Boot: the direct map of one memblock region, tables from memblock. @kernel arch/x86/mm/init.c: init_mem_mapping */
    @Override
    public void bootMapMemory(long start, long size) {
        physMapping.initMemoryMapping(start, start + size, physMapping::earlyAlloc);
    }

    /**
     * The generic default: any physical address, which {@code mhp_get_pluggable_range} then clamps
     * to {@code [0, 2^MAX_PHYSMEM_BITS - 1]} (returned here already clamped).
     *
     * @kernel mm/memory_hotplug.c: arch_get_mappable_range
     */
    @Override
    public long[] archGetMappableRange() {
        return new long[] {0, g.maxPhysEnd() - 1};
    }

    /**
     * Maps the range into the direct map, then {@link #addPages}. On failure the direct mapping
     * stays (the kernel does not undo it).
     *
     * @kernel arch/x86/mm/init_64.c: arch_add_memory
     */
    @Override
    public int archAddMemory(int nid, long start, long size, MhpParams params) {
        physMapping.initMemoryMapping(start, start + size, physMapping::lateAlloc);
        return addPages(nid, start >>> g.pageShift, size >>> g.pageShift, params);
    }

    /** {@code __add_pages} with a range check and a WARN on failure. @kernel arch/x86/mm/init_64.c: add_pages */
    public int addPages(int nid, long startPfn, long nrPages, MhpParams params) {
        long last = ((startPfn + nrPages) << g.pageShift) - 1;
        if (U64.gt(last, g.maxPhysEnd() - 1)) {
            mm.log.warnOnce("add_pages", "range", String.format("end 0x%x beyond the physical address limit", last));
            return Errno.ERANGE.neg();
        }
        int ret = hooks.addPages(nid, startPfn, nrPages, params);
        if (ret != 0) {
            mm.log.warnOnce("add_pages", "ret", "__add_pages failed: " + ret);
        }
        return ret;
    }

    /** @kernel arch/x86/mm/init_64.c: arch_remove_memory */
    @Override
    public void archRemoveMemory(long start, long size, VmemAltmap altmap) {
        hooks.removePages(start >>> g.pageShift, size >>> g.pageShift, altmap);
        kernelPhysicalMappingRemove(start, start + size);
    }

    /** Unmaps a direct-map range; the memory itself is not freed. @kernel arch/x86/mm/init_64.c: kernel_physical_mapping_remove */
    public void kernelPhysicalMappingRemove(long start, long end) {
        remove.removePagetable(mm.physToVirt(start), mm.physToVirt(end), true, null);
    }
}
