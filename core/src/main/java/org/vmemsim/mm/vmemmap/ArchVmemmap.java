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
}
