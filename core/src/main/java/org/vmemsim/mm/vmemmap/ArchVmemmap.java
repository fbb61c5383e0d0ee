package org.vmemsim.mm.vmemmap;

/**
 * What the generic sparse-vmemmap code needs from the architecture: {@code vmemmap_populate},
 * {@code vmemmap_free} and the PMD hooks of {@code vmemmap_populate_hugepages}. Implemented by the
 * arch layer (e.g. {@code arch/arm64/mm/mmu.c}) and handed to the generic code, which may not
 * depend on it directly.
 */
public interface ArchVmemmap {
    /** @kernel arch/arm64/mm/mmu.c: vmemmap_populate */
    int vmemmapPopulate(long start, long end, int node, VmemAltmap altmap);

    /** @kernel arch/arm64/mm/mmu.c: vmemmap_free */
    void vmemmapFree(long start, long end, VmemAltmap altmap);

    /** Installs a PMD block mapping {@code pa} in entry {@code idx} of PMD table {@code pmdTablePfn}. @kernel arch/arm64/mm/mmu.c: vmemmap_set_pmd */
    void vmemmapSetPmd(long pmdTablePfn, int idx, long pa, int node, long addr, long next);

    /** Non-zero when a present PMD entry already maps the chunk. @kernel arch/arm64/mm/mmu.c: vmemmap_check_pmd */
    int vmemmapCheckPmd(long pmdDesc, int node, long addr, long next);

    /**
     * True when the architecture brings its own {@code vmemmap_populate_compound_pages} (the kernel
     * then compiles out the generic one of {@code mm/sparse-vmemmap.c}, which is
     * {@code #ifndef vmemmap_populate_compound_pages}); false: the generic
     * {@link VmemmapCompound#vmemmapPopulateCompoundPages} is used.
     */
    default boolean hasVmemmapPopulateCompoundPages() {
        return false;
    }

    /**
     * The architecture's deduplicating populate of the memmap {@code [start, end)} of the pfns from
     * {@code startPfn}, for compound pages of {@code pgmap}; only called when
     * {@link #hasVmemmapPopulateCompoundPages} is true. Returns 0 or a negative errno.
     *
     * @kernel arch/powerpc/mm/book3s64/radix_pgtable.c: vmemmap_populate_compound_pages
     */
    default int vmemmapPopulateCompoundPages(long startPfn, long start, long end, int node, VmemmapPgmap pgmap) {
        throw new UnsupportedOperationException("this architecture uses the generic vmemmap_populate_compound_pages");
    }
}
