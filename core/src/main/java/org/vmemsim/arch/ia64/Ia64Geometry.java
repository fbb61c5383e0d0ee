package org.vmemsim.arch.ia64;

import org.vmemsim.arch.Arch;
import org.vmemsim.arch.Geometry;
import org.vmemsim.arch.Granule;
import org.vmemsim.arch.KernelProfile;

/**
 * ia64 build-time geometry: {@code arch/ia64/include/asm/page.h} (regions, PAGE_OFFSET),
 * {@code pgtable.h} (three-level tables of one page each, VMALLOC/vmemmap in region 5) and
 * {@code sparsemem.h} (SECTION_SIZE_BITS 30, MAX_PHYSMEM_BITS 50).
 *
 * <pre>
 *   region 5 (RGN_GATE, 0xa000...):  [ VMALLOC_START = base + 8 GiB .. VMALLOC_END = base + 2^(4*PAGE_SHIFT-10) )
 *                                    [ vmemmap = (struct page *)VMALLOC_END, indexed from pfn 0 )
 *   region 7 (RGN_KERNEL, 0xe000...): identity map of physical memory, made by the TLB miss handler
 * </pre>
 *
 * Modelling choices: CONFIG_PGTABLE_3 (the default; 4-level tables are not modelled), 16K pages
 * (CONFIG_IA64_PAGE_SIZE_16KB, the default) or 64K; 4K and 8K are refused: with three levels region 5
 * maps only 2^39 (4K) bytes, less than the 2^44-byte vmemmap of MAX_PHYSMEM_BITS 50.
 * MAX_ORDER is 17 (the FORCE_MAX_ZONEORDER default with HUGETLB_PAGE), so the largest buddy order is
 * 16; with 64K pages that makes sparsemem.h raise SECTION_SIZE_BITS to 17 - 1 + 16 = 32. The "VA size"
 * of ia64 is taken as the bytes one region's three-level table maps (PAGE_SHIFT + 3 * (PAGE_SHIFT - 3)):
 * 47 for 16K, 55 for 64K. The linear map (region 7) has no page tables, so the geometry's linear region
 * is the 2^50 bytes the identity map can reach. The kernel's PGD is the region-5 part of swapper_pg_dir
 * ({@code pgd_offset_k}), indexed by bits above PGDIR_SHIFT of the region offset.
 */
public final class Ia64Geometry {
    /** RGN_BASE(RGN_GATE): region 5, vmalloc and the vmemmap. */
    public static final long RGN5_BASE = 0xa000000000000000L;
    /** RGN_BASE(RGN_KERNEL) = PAGE_OFFSET: region 7, the identity-mapped kernel region. */
    public static final long PAGE_OFFSET = 0xe000000000000000L;
    /** IA64_MAX_PHYS_BITS. */
    public static final int MAX_PHYS_BITS = 50;

    private Ia64Geometry() {}

    /** The one VA size per page size (three-level tables). */
    public static int defaultVaBits(Granule g) {
        return g.pageShift + 3 * (g.pageShift - 3);
    }

    /**
     * Builds the geometry.
     *
     * @throws IllegalArgumentException naming the value when the page size, the VA size or the profile
     *     (ia64 was removed in v6.7) is not valid
     */
    public static Geometry of(Granule g, int vaBits, KernelProfile p) {
        if (p.ordinal100 >= 607) {
            throw new IllegalArgumentException("kernel " + p.label
                    + " has no ia64: the architecture was removed in v6.7 (commit cf8e8658100d; valid: 5.8, 5.9, 6.1)");
        }
        if (g != Granule.G16K && g != Granule.G64K) {
            throw new IllegalArgumentException("granule " + g.label() + " is not modelled for ia64 (valid: 16K, 64K;"
                    + " with 3-level tables a 4K region cannot hold the vmemmap)");
        }
        if (vaBits != defaultVaBits(g)) {
            throw new IllegalArgumentException("VA size " + vaBits + " is not valid for ia64 " + g.label()
                    + " (valid: " + defaultVaBits(g) + ", the span of a 3-level region)");
        }
        int ps = g.pageShift;
        int levels = 3;
        int[] shift = new int[levels];
        int[] ptrs = new int[levels];
        boolean[] block = new boolean[levels];
        for (int i = 0; i < levels; i++) {
            shift[i] = ps + (ps - 3) * (levels - 1 - i);
            ptrs[i] = 1 << (ps - 3);
        }
        int maxOrder = 16;
        int sectionSizeBits = Math.max(30, maxOrder + ps);
        long vmemmapStart = RGN5_BASE + (1L << (4 * ps - 10));
        long vmemmapSize = (1L << (50 - ps)) * Geometry.STRUCT_PAGE_SIZE;
        return new Geometry(Arch.IA64, g, p, vaBits, levels, shift, ptrs, block, sectionSizeBits, 50,
                maxOrder, 1L << MAX_PHYS_BITS, PAGE_OFFSET, PAGE_OFFSET + (1L << MAX_PHYS_BITS),
                vmemmapStart, vmemmapSize, vmemmapStart + vmemmapSize);
    }
}
