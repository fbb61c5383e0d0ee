package org.vmemsim.arch.ia64.mm;

import org.vmemsim.mm.vmemmap.ArchVmemmap;
import org.vmemsim.mm.vmemmap.SparseVmemmap;
import org.vmemsim.mm.vmemmap.VmemAltmap;

/**
 * The vmemmap part of {@code arch/ia64/mm/discontig.c} (CONFIG_SPARSEMEM_VMEMMAP): base pages from
 * RAM for every request, the altmap never used, and an empty {@code vmemmap_free}: hot-removed
 * memory leaves its memmap pages and their page tables mapped, and a later hot-add of the same range
 * finds them populated and reuses them.
 */
public final class Ia64Discontig implements ArchVmemmap {
    private final SparseVmemmap sv;

    public Ia64Discontig(SparseVmemmap sv) {
        this.sv = sv;
    }

    /** @kernel arch/ia64/mm/discontig.c: vmemmap_populate */
    @Override
    public int vmemmapPopulate(long start, long end, int node, VmemAltmap altmap) {
        return sv.vmemmapPopulateBasepages(start, end, node, null);
    }

    /** Does nothing, as the kernel's. @kernel arch/ia64/mm/discontig.c: vmemmap_free */
    @Override
    public void vmemmapFree(long start, long end, VmemAltmap altmap) {
        // the kernel's vmemmap_free is empty
    }

    /** Unreachable: ia64 populates base pages only, so there are no vmemmap PMD blocks. */
    @Override
    public void vmemmapSetPmd(long pmdTablePfn, int idx, long pa, int node, long addr, long next) {
        throw new IllegalStateException("ia64 maps the vmemmap with base pages only");
    }

    /** Unreachable, see {@link #vmemmapSetPmd}. */
    @Override
    public int vmemmapCheckPmd(long pmdDesc, int node, long addr, long next) {
        throw new IllegalStateException("ia64 maps the vmemmap with base pages only");
    }
}
