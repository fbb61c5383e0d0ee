package org.vmemsim.arch.riscv.mm;

import org.vmemsim.arch.ArchFeatures;
import org.vmemsim.arch.Geometry;
import org.vmemsim.arch.KernelProfile;
import org.vmemsim.mm.pgtable.MmCore;
import org.vmemsim.mm.vmemmap.ArchMemory;
import org.vmemsim.mm.vmemmap.ArchVmemmap;
import org.vmemsim.mm.vmemmap.HotplugHooks;
import org.vmemsim.mm.vmemmap.MhpParams;
import org.vmemsim.mm.vmemmap.SparseVmemmap;
import org.vmemsim.mm.vmemmap.VmemAltmap;
import org.vmemsim.util.KernelBug;

/**
 * The vmemmap and memory hot-plug parts of {@code arch/riscv/mm/init.c}.
 *
 * <p>{@code vmemmap_populate} by profile:
 * <ul>
 *   <li>5.8, 5.9, 6.1: {@code vmemmap_populate_basepages(start, end, node, NULL)}: base pages from RAM,
 *       the altmap is never used.</li>
 *   <li>6.12, mainline: {@code vmemmap_populate_hugepages(start, end, node, altmap)}: 2 MiB blocks
 *       ("riscv: Use hugepage mappings for vmemmap", v6.8, which still passed NULL) with the altmap
 *       forwarded since e3ecf2fdc8f3 "riscv: mm: Properly forward vmemmap_populate() altmap parameter"
 *       (v6.11). {@code vmemmap_check_pmd} counts any present PMD as populated, a table included.</li>
 * </ul>
 * Memory hot-plug ({@code arch_add_memory}, {@code arch_remove_memory}, {@code vmemmap_free},
 * {@code arch_get_mappable_range}) and the PGD pre-allocation exist from v6.11 (c75a74f4ba19,
 * 66673099f734); before, the kernel is built without CONFIG_MEMORY_HOTPLUG and none of them is
 * reachable (see {@link ArchFeatures}).
 */
public final class RiscvInit implements ArchVmemmap, ArchMemory {
    private final MmCore mm;
    private final Geometry g;
    private final KernelProfile p;
    private final SparseVmemmap sv;
    private final RiscvMapping mapping;
    private final RiscvRemovePgd remove;
    private HotplugHooks hooks;

    public RiscvInit(MmCore mm, SparseVmemmap sv) {
        this.mm = mm;
        this.g = mm.g;
        this.p = g.profile;
        this.sv = sv;
        this.mapping = new RiscvMapping(mm);
        this.remove = new RiscvRemovePgd(mm);
    }

    public void setHooks(HotplugHooks hooks) {
        this.hooks = hooks;
    }

    public RiscvMapping mapping() {
        return mapping;
    }

    private boolean hotplug() {
        return ArchFeatures.memoryHotplugUnavailable(g.arch, p) == null;
    }

    // ---------------------------------------------------------------- vmemmap

    /** @kernel arch/riscv/mm/init.c: vmemmap_populate */
    @Override
    public int vmemmapPopulate(long start, long end, int node, VmemAltmap altmap) {
        if (p.ordinal100 < 608) {
            return sv.vmemmapPopulateBasepages(start, end, node, null);
        }
        return sv.vmemmapPopulateHugepages(start, end, node, p.ordinal100 >= 611 ? altmap : null);
    }

    /** pmd_set_huge(pmd, phys, PAGE_KERNEL). @kernel arch/riscv/mm/init.c: vmemmap_set_pmd */
    @Override
    public void vmemmapSetPmd(long pmdTablePfn, int idx, long pa, int node, long addr, long next) {
        mm.pgtable.table(pmdTablePfn).set(idx, mm.fmt.mkSectNormal(pa));
    }

    /** Always 1 after vmemmap_verify: any present PMD counts as populated. @kernel arch/riscv/mm/init.c: vmemmap_check_pmd */
    @Override
    public int vmemmapCheckPmd(long pmdDesc, int node, long addr, long next) {
        sv.vmemmapVerify(addr, node);
        return 1;
    }

    /** @kernel arch/riscv/mm/init.c: vmemmap_free */
    @Override
    public void vmemmapFree(long start, long end, VmemAltmap altmap) {
        if (!hotplug()) {
            throw new KernelBug("vmemmap_free is not built into a riscv64 " + p.label + " kernel (no CONFIG_MEMORY_HOTPLUG)");
        }
        remove.removePgdMapping(start, end, true, altmap);
    }

    // ---------------------------------------------------------------- linear map and hot-plug

    /** Boot: the linear map of one memblock region, tables from memblock. @kernel arch/riscv/mm/init.c: create_linear_mapping_page_table */
    @Override
    public void bootMapMemory(long start, long size) {
        mapping.createLinearMappingRange(start, start + size, mapping::earlyAlloc);
    }

    /**
     * Pre-allocates the tables under the PGD entries of the vmemmap and the linear map (only with
     * CONFIG_MEMORY_HOTPLUG, v6.11+); returns how many pages it took.
     *
     * @kernel arch/riscv/mm/init.c: pgtable_cache_init
     */
    public int pgtableCacheInit() {
        if (!hotplug()) {
            return 0;
        }
        return mapping.preallocatePgdPagesRange(g.vmemmapStart, g.vmemmapEnd, "vmemmap")
                + mapping.preallocatePgdPagesRange(g.pageOffset, g.pageEnd, "direct map");
    }

    /** {@code [__pa(PAGE_OFFSET), __pa(PAGE_END - 1)]}. @kernel arch/riscv/mm/init.c: arch_get_mappable_range */
    @Override
    public long[] archGetMappableRange() {
        return new long[] {mm.virtToPhys(g.pageOffset), mm.virtToPhys(g.pageEnd - 1)};
    }

    /**
     * Maps the range, then {@code __add_pages}; on failure the linear mapping is removed again.
     *
     * @kernel arch/riscv/mm/init.c: arch_add_memory
     */
    @Override
    public int archAddMemory(int nid, long start, long size, MhpParams params) {
        mapping.createLinearMappingRange(start, start + size, mapping::lateAlloc);
        int ret = hooks.addPages(nid, start >>> g.pageShift, size >>> g.pageShift, params);
        if (ret != 0) {
            removeLinearMapping(start, size);
        }
        return ret;
    }

    /** @kernel arch/riscv/mm/init.c: arch_remove_memory */
    @Override
    public void archRemoveMemory(long start, long size, VmemAltmap altmap) {
        hooks.removePages(start >>> g.pageShift, size >>> g.pageShift, altmap);
        removeLinearMapping(start, size);
    }

    /** @kernel arch/riscv/mm/init.c: remove_linear_mapping */
    public void removeLinearMapping(long start, long size) {
        remove.removePgdMapping(mm.physToVirt(start), mm.physToVirt(start + size), false, null);
    }
}
