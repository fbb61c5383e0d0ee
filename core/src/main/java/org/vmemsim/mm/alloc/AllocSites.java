package org.vmemsim.mm.alloc;

import java.util.Set;
import java.util.TreeSet;

/**
 * The allocation sites a fault can be injected at after boot: the kernel function whose
 * allocation the model makes, as {@link FaultInjector} sees it. A scenario's {@code fail_alloc}
 * and the CLI accept only these names, so a typo is an error instead of an injection that never
 * fires. {@code AllocSitesTest} runs every kind of action on every architecture and fails when an
 * allocation reports a site missing here.
 */
public final class AllocSites {
    private static final Set<String> KNOWN = java.util.Collections.unmodifiableSet(new TreeSet<>(Set.of(
            // generic vmemmap population (mm/sparse-vmemmap.c), one per table level filled;
            // vmemmap_pgd_populate only allocates with 5 levels, where the boot memmap's top entry
            // already covers every physical address the machine can have, so it never fails after boot
            "vmemmap_p4d_populate", "vmemmap_pud_populate", "vmemmap_pmd_populate",
            "vmemmap_alloc_block_buf", "altmap_alloc_block_buf",
            // sections (mm/sparse.c)
            "sparse_index_alloc", "section_activate",
            // memory hot-plug (mm/memory_hotplug.c, drivers/base/memory.c)
            "hotadd_new_pgdat", "add_memory_block", "create_altmaps_and_memory_blocks",
            // architecture linear/direct-map tables: arm64, x86
            "__pgd_pgtable_alloc", "alloc_low_pages",
            // powerpc radix kernel tables after boot (pud_alloc/pmd_alloc/pte_alloc_kernel), riscv's
            // late table allocator for the linear map
            "pud_alloc", "pmd_alloc", "pte_alloc_kernel", "alloc_pmd_late")));

    private AllocSites() {}

    /** Every known site name, sorted. */
    public static Set<String> known() {
        return KNOWN;
    }

    public static boolean isKnown(String site) {
        return KNOWN.contains(site);
    }
}
