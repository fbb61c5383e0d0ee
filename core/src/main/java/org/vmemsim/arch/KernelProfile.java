package org.vmemsim.arch;

import java.util.Locale;

/**
 * A kernel version whose behaviour vmemsim reproduces. Every behaviour that changed across
 * versions is one named switch here, with the commit that changed it; code asks the profile and
 * never guesses a version.
 *
 * <ul>
 *   <li>{@code 5.8}: before the arm64 vmem_altmap series (the altmap is ignored on arm64).</li>
 *   <li>{@code 5.9}: the series as merged (also 5.10 for the switches modelled here, except the
 *       5.10-only range checks which are kept off to stay at 5.9).</li>
 *   <li>{@code 6.1}: Debian 12's kernel line (6.1.y stable).</li>
 *   <li>{@code 6.12}: Debian 13's kernel line (6.12.y stable).</li>
 *   <li>{@code mainline}: current mainline (2025-2026), the default.</li>
 * </ul>
 */
public enum KernelProfile {
    V5_8("5.8", 508),
    V5_9("5.9", 509),
    V6_1("6.1", 601),
    V6_12("6.12", 612),
    MAINLINE("mainline", 9999);

    public final String label;
    /** major*100+minor, used only to order profiles. */
    public final int ordinal100;

    KernelProfile(String label, int ordinal100) {
        this.label = label;
        this.ordinal100 = ordinal100;
    }

    public static KernelProfile parse(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        for (KernelProfile p : values()) {
            if (p.label.equals(s)) {
                return p;
            }
        }
        if (s.equals("ml") || s.equals("latest")) {
            return MAINLINE;
        }
        throw new IllegalArgumentException("unknown kernel profile '" + text + "' (valid: 5.8, 5.9, 6.1, 6.12, mainline)");
    }

    private boolean atLeast(int v) {
        return ordinal100 >= v;
    }

    /**
     * SECTION_SIZE_BITS: 30 for every granule before v5.12; 27 (4K, 16K) / 29 (64K) after.
     *
     * @kernel arch/arm64/include/asm/sparsemem.h (commit f0b13ee23241, v5.12)
     */
    public int sectionSizeBits(Granule g) {
        if (!atLeast(512)) {
            return 30;
        }
        return g == Granule.G64K ? 29 : 27;
    }

    /** Placement of the vmemmap region in the kernel VA space. */
    public enum VmemmapLayout {
        /** v5.4..v5.10: START = -SIZE - 2 MiB (only 2 MiB aligned). */
        E5_4,
        /** v5.11..v6.8: START = -2^(VA_BITS - VMEMMAP_SHIFT). */
        V5_11,
        /** v6.9+ ("arm64: Reorganize kernel VA space"): END = -1 GiB, START = END - SIZE. */
        V6_9
    }

    /** @kernel arch/arm64/include/asm/memory.h: VMEMMAP_START */
    public VmemmapLayout vmemmapLayout() {
        if (!atLeast(511)) {
            return VmemmapLayout.E5_4;
        }
        return atLeast(609) ? VmemmapLayout.V6_9 : VmemmapLayout.V5_11;
    }

    /** How arm64 {@code vmemmap_populate} maps a full section's memmap on 4K pages. */
    public enum Arm64Vmemmap4K {
        /** v5.8: own PMD loop, blocks from RAM (altmap ignored), no fallback. */
        PMD_LOOP_RAM,
        /** v5.9/5.10: own PMD loop, blocks from vmemmap_alloc_block_buf(altmap), no fallback. */
        PMD_LOOP,
        /** v5.11..v6.1: own PMD loop, base-page fallback (same source) when a block cannot be allocated (9f84f39f5515). */
        PMD_LOOP_FALLBACK,
        /** v6.2+ (2045a3b8911b): generic vmemmap_populate_hugepages with vmemmap_set_pmd/vmemmap_check_pmd. */
        HUGEPAGES
    }

    /** @kernel arch/arm64/mm/mmu.c: vmemmap_populate */
    public Arm64Vmemmap4K arm64Vmemmap4K() {
        return switch (this) {
            case V5_8 -> Arm64Vmemmap4K.PMD_LOOP_RAM;
            case V5_9 -> Arm64Vmemmap4K.PMD_LOOP;
            case V6_1 -> Arm64Vmemmap4K.PMD_LOOP_FALLBACK;
            case V6_12, MAINLINE -> Arm64Vmemmap4K.HUGEPAGES;
        };
    }

    /**
     * d4234d131b0a "arm64: mm: Populate vmemmap at the page level if not section aligned": a request
     * smaller than one section's memmap is populated with base pages. Mainline v6.14; backported to
     * 6.12.20 and 6.1.132 (Debian 12 has it from 6.1.133-1), not to 5.x.
     *
     * @kernel arch/arm64/mm/mmu.c: vmemmap_populate
     */
    public boolean arm64SubsectionBasepages() {
        return atLeast(601);
    }

    /**
     * arm64 vmemmap_check_pmd: 1 for any present PMD up to 6.12 (hazard H4: a PMD that holds a PTE
     * table counts as populated); mainline returns whether the entry is a leaf (block).
     *
     * @kernel arch/arm64/mm/mmu.c: vmemmap_check_pmd
     */
    public boolean arm64CheckPmdIsLeaf() {
        return this == MAINLINE;
    }

    /** PROT_SECT_NORMAL includes PTE_WRITE (DBM) in 6.12 and later. @kernel arch/arm64/include/asm/pgtable-prot.h */
    public boolean sectNormalHasWrite() {
        return atLeast(612);
    }

    /**
     * Debian's 6.12 config enables KFENCE without early init (sample interval 0), which makes
     * can_set_direct_map() true: the linear map of hot-added memory is page-granular even with
     * rodata=on. Other profiles model a kernel without KFENCE.
     *
     * @kernel arch/arm64/mm/mmu.c: arm64_kfence_can_set_direct_map
     */
    public boolean kfenceForcesPteLinearMap() {
        return this == V6_12;
    }

    /**
     * sizeof(struct mem_section): 32 bytes with CONFIG_PAGE_EXTENSION (Debian's generic arm64
     * kernels, profiles 6.1 and 6.12), 16 without (the other profiles). Sets SECTIONS_PER_ROOT.
     */
    public int memSectionSize() {
        return this == V6_1 || this == V6_12 ? 32 : 16;
    }

    /**
     * Whether arm64 hands the altmap to the vmemmap population and free paths at all.
     *
     * @kernel arch/arm64/mm/mmu.c: vmemmap_populate (series "arm64/mm: Enable vmem_altmap support for vmemmap mappings", v5.9)
     */
    public boolean arm64HonoursAltmap() {
        return atLeast(509);
    }

    /** v5.11+: WARN when vmemmap_populate/vmemmap_free is asked for a range outside [VMEMMAP_START, VMEMMAP_END]. */
    public boolean vmemmapRangeWarn() {
        return atLeast(511);
    }

    /** WARN_ONCE when vmemmap_populate is asked for more than one section's memmap (with d4234d131b0a). */
    public boolean vmemmapMoreThanSectionWarn() {
        return arm64SubsectionBasepages();
    }

    /** Range check of hot-added memory against the linear map. */
    public enum LinearRangeCheck {
        /** v5.8/v5.9: none in arch_add_memory (only MAX_PHYSMEM_BITS in __add_pages). */
        NONE,
        /** v5.12+: arch_get_mappable_range() + mhp_range_allowed(). */
        MAPPABLE_RANGE
    }

    /** @kernel mm/memory_hotplug.c: mhp_range_allowed (v5.12), arch/arm64/mm/mmu.c: arch_get_mappable_range */
    public LinearRangeCheck linearRangeCheck() {
        return atLeast(512) ? LinearRangeCheck.MAPPABLE_RANGE : LinearRangeCheck.NONE;
    }

    /** E5.8/E5.9: __add_pages checks the last byte against MAX_PHYSMEM_BITS (-E2BIG). */
    public boolean addPagesChecksAddressable() {
        return !atLeast(512);
    }

    /** v5.10+: a memory notifier refuses to offline boot (early) sections on arm64. */
    public boolean bootMemOfflineRefused() {
        return atLeast(510);
    }

    /** v5.12+ (eeb0753ba27b): pfn_valid() is true for ZONE_DEVICE pfns on arm64. */
    public boolean pfnValidForZoneDevice() {
        return atLeast(512);
    }

    /** Flavours of memmap_on_memory for hot-added RAM. */
    public enum MemmapOnMemory {
        /** not available (before v5.13 on arm64). */
        NONE,
        /** v5.13..v6.5: only a single-block add qualifies; one altmap with free = whole block. */
        SINGLE_BLOCK,
        /** v6.6+: per-block altmaps with free = exact memmap pages; "force" mode. */
        PER_BLOCK
    }

    /** @kernel mm/memory_hotplug.c: mhp_supports_memmap_on_memory */
    public MemmapOnMemory memmapOnMemory() {
        if (!atLeast(513)) {
            return MemmapOnMemory.NONE;
        }
        return atLeast(606) ? MemmapOnMemory.PER_BLOCK : MemmapOnMemory.SINGLE_BLOCK;
    }

    /**
     * dax/kmem passes MHP_MEMMAP_ON_MEMORY when the device's {@code memmap_on_memory} sysfs switch is
     * set (v6.8, "dax/kmem: allow kmem to add memory with memmap_on_memory"); before, never.
     *
     * @kernel drivers/dax/kmem.c: dev_dax_kmem_probe
     */
    public boolean daxKmemMemmapOnMemory() {
        return atLeast(608);
    }

    /** ML arch_add_memory on linear-map table allocation failure returns -ENOMEM; before, BUG. */
    public boolean linearMapAllocFailureIsError() {
        return this == MAINLINE;
    }

    /** Largest buddy order (MAX_PAGE_ORDER): 10 / 11 / 13 for 4K / 16K / 64K with THP. */
    public int maxPageOrder(Granule g) {
        return switch (g) {
            case G4K -> 10;
            case G16K -> 11;
            case G64K -> 13;
        };
    }

    /** 52-bit VA (LPA2) for 4K and 16K granules exists from v6.9. */
    public boolean lpa2() {
        return atLeast(609);
    }

    /**
     * powerpc radix has its own vmemmap population and free ({@code radix__vmemmap_populate} with PMD
     * leaves and base-page fallback, {@code radix__vmemmap_free} through {@code remove_pagetable});
     * before, radix used the shared {@code __vmemmap_populate} of init_64.c (2 MiB chunks,
     * {@code vmemmap_list}) and {@code __vmemmap_free}. Commit 368a0590d954 ("powerpc/book3s64/vmemmap:
     * switch radix to use a different vmemmap handling function"), v6.5.
     *
     * @kernel arch/powerpc/mm/init_64.c: vmemmap_populate
     */
    public boolean ppc64RadixOwnVmemmap() {
        return atLeast(605);
    }

    /**
     * radix__vmemmap_populate aligns {@code start} down to PAGE_SIZE (so the altmap boundary check sees
     * the first pfn of the memmap page) and takes the base-page path for any chunk that is not PMD
     * aligned, with or without an altmap ("powerpc/book3s64/radix: Fix ... vmemmap start alignment",
     * 2025). Modelled for mainline only; 6.12 computes the check from the unaligned start.
     *
     * @kernel arch/powerpc/mm/book3s64/radix_pgtable.c: radix__vmemmap_populate
     */
    public boolean ppc64VmemmapAlignStart() {
        return this == MAINLINE;
    }

    /** /proc/vmstat nr_memmap_pages and nr_memmap_boot_pages exist (v6.11). */
    public boolean vmstatMemmapCounters() {
        return atLeast(611);
    }

    /**
     * Whether {@code vmemmap_can_optimize()} may be true: the architecture opts in to device-dax
     * vmemmap deduplication ({@code __populate_section_memmap} then maps compound-page memmaps
     * through {@code vmemmap_populate_compound_pages}). The generic code exists since v5.17
     * (4917f55b4ef9 "mm/sparse-vmemmap: improve memory savings for compound devmaps"); the arch gate
     * is {@code ARCH_WANT_HUGETLB_PAGE_OPTIMIZE_VMEMMAP} in 6.1 (87a7ae75d738, backported) and
     * {@code ARCH_WANT_OPTIMIZE_DAX_VMEMMAP} from v6.5. x86_64 selects it; arm64 never does. A new
     * architecture must decide here (the switch has no default on purpose).
     *
     * @kernel include/linux/mm.h: vmemmap_can_optimize
     */
    public boolean archWantOptimizeDaxVmemmap(Arch arch) {
        return switch (arch) {
            case ARM64 -> false;
            case X86_64 -> atLeast(517);
            // riscv64 from v6.11 ("riscv: Enable DAX VMEMMAP optimization"), through the generic
            // vmemmap_populate_compound_pages
            case RISCV64 -> atLeast(611);
            // powerpc radix selects it from v6.6 ("powerpc/book3s64/radix: Add support for vmemmap
            // optimization for radix") with its own vmemmap_populate_compound_pages (a 16 MiB section's
            // memmap is a quarter of a 64K page); with 64K pages only 1 GiB compound pages qualify.
            case PPC64 -> atLeast(606);
            case IA64 -> false; // removed before the optimisation existed
        };
    }

    /**
     * device-dax builds its pages as compound pages of the device alignment: {@code dev_dax_probe}
     * sets {@code pgmap->vmemmap_shift} from the align (v5.17, 14606001efb4 "device-dax: compound
     * devmap support"); before, every ZONE_DEVICE page was a base page.
     *
     * @kernel drivers/dax/device.c: dev_dax_probe
     */
    public boolean daxCompoundDevmap() {
        return atLeast(517);
    }

    @Override
    public String toString() {
        return label;
    }
}
