package org.vmemsim.arch.riscv;

import org.vmemsim.arch.Arch;
import org.vmemsim.arch.Geometry;
import org.vmemsim.arch.Granule;
import org.vmemsim.arch.KernelProfile;

/**
 * riscv64 build-time geometry: {@code arch/riscv/include/asm/page.h} (PAGE_OFFSET per paging mode),
 * {@code pgtable.h} (VMALLOC, VMEMMAP below it), {@code pgtable-64.h} (9 bits per level, 4K pages),
 * {@code sparsemem.h} (SECTION_SIZE_BITS 27, MAX_PHYSMEM_BITS 56) and {@code kasan.h}
 * (KASAN_SHADOW_START, which {@code arch/riscv/mm/init.c} uses as PAGE_END).
 *
 * <pre>
 *   [ VMEMMAP_START .. VMEMMAP_END = VMALLOC_START )[ vmalloc, 64 PGD entries )[ PAGE_OFFSET .. PAGE_END )
 *   VMEMMAP_SIZE = 2^(VA_BITS - PAGE_SHIFT - 1 + STRUCT_PAGE_MAX_SHIFT)
 * </pre>
 *
 * Per profile:
 * <ul>
 *   <li>5.8, 5.9: Sv39 only; PAGE_OFFSET = CONFIG_PAGE_OFFSET 0xffffffe000000000 (MAXPHYSMEM_128GB), the
 *       linear map runs to the end of the address space (the kernel image lives in it; vmemsim stops one
 *       page short, the IS_ERR_VALUE page).</li>
 *   <li>6.1: Sv39 (PAGE_OFFSET_L3 0xffffffd800000000), Sv48 (PAGE_OFFSET_L4 0xffffaf8000000000), Sv57
 *       (CONFIG_PAGE_OFFSET 0xff60000000000000).</li>
 *   <li>6.12, mainline: PAGE_OFFSET_L3 moved to 0xffffffd600000000 ("riscv: Extend sv39 linear mapping max
 *       size to 128G", v6.11).</li>
 * </ul>
 * PAGE_END (6.1+) is KASAN_SHADOW_START = (MODULES_LOWEST_VADDR - 2^(VA_BITS - 4)) rounded down to a PGD
 * entry, with MODULES_LOWEST_VADDR = 0xffffffff00000000; it bounds both the boot linear map and
 * {@code arch_get_mappable_range}. The linear map is offset by {@code phys_ram_base} (start of DRAM
 * rounded down to 2 MiB); the vmemmap is indexed from that pfn in 6.1+ and from pfn 0 in 5.8/5.9
 * ({@code vmemmap} = VMEMMAP_START there). Not modelled: KASLR, XIP, 32-bit.
 */
public final class RiscvGeometry {
    public static final long PAGE_OFFSET_5X = 0xffffffe000000000L;
    public static final long PAGE_OFFSET_L3_61 = 0xffffffd800000000L;
    public static final long PAGE_OFFSET_L3_611 = 0xffffffd600000000L;
    public static final long PAGE_OFFSET_L4 = 0xffffaf8000000000L;
    public static final long PAGE_OFFSET_L5 = 0xff60000000000000L;
    /** MODULES_LOWEST_VADDR = KERNEL_LINK_ADDR - 2 GiB, the end of the KASAN shadow. */
    public static final long MODULES_LOWEST_VADDR = 0xffffffff00000000L;

    private RiscvGeometry() {}

    /** The paging modes a profile's kernel can run: Sv39 only before Sv48 support (v5.17). */
    public static int[] validVaBits(KernelProfile p) {
        return p.ordinal100 < 517 ? new int[] {39} : new int[] {39, 48, 57};
    }

    /**
     * Sv39: 6.x kernels probe the MMU at boot and fall back from Sv57 to the largest mode the hart
     * has; most riscv64 hardware shipping today (SiFive U74, T-Head C910, SpacemiT X60) has Sv39 only.
     */
    public static int defaultVaBits() {
        return 39;
    }

    /** Whether the vmemmap is indexed from pfn 0 ({@code vmemmap = VMEMMAP_START}, before phys_ram_base). */
    public static boolean vmemmapFromPfnZero(KernelProfile p) {
        return p.ordinal100 < 601;
    }

    /**
     * Builds the geometry.
     *
     * @throws IllegalArgumentException naming the value when the granule is not 4K or the paging mode is
     *     not one the profile's kernel has
     */
    public static Geometry of(Granule g, int vaBits, KernelProfile p) {
        if (g != Granule.G4K) {
            throw new IllegalArgumentException("granule " + g.label()
                    + " is not valid for riscv64: PAGE_SHIFT is always 12 (valid: 4K)");
        }
        boolean ok = false;
        for (int v : validVaBits(p)) {
            ok |= v == vaBits;
        }
        if (!ok) {
            throw new IllegalArgumentException("VA size " + vaBits + " is not valid for riscv64 kernel " + p.label
                    + (p.ordinal100 < 517 ? " (valid: 39, Sv39 only before 5.17)" : " (valid: 39 Sv39, 48 Sv48, 57 Sv57)"));
        }
        int levels = vaBits == 57 ? 5 : vaBits == 48 ? 4 : 3;
        int[] shift = new int[levels];
        int[] ptrs = new int[levels];
        boolean[] block = new boolean[levels];
        boolean bigLinear = p.ordinal100 >= 604; // "riscv: Use PUD/P4D/PGD pages for the linear mapping"
        for (int i = 0; i < levels; i++) {
            shift[i] = 12 + 9 * (levels - 1 - i);
            ptrs[i] = 512;
            // 2 MiB at the PMD level; 1 GiB (Sv48+) and 512 GiB (Sv57) linear-map leaves from 6.4
            block[i] = shift[i] == 21 || bigLinear && i > 0 && i < levels - 1;
        }
        long pgdirSize = 1L << shift[0];
        long pageOffset;
        long pageEnd;
        if (p.ordinal100 < 601) {
            pageOffset = PAGE_OFFSET_5X;
            pageEnd = -(1L << 12);
        } else {
            pageOffset = switch (levels) {
                case 5 -> PAGE_OFFSET_L5;
                case 4 -> PAGE_OFFSET_L4;
                default -> p.ordinal100 >= 611 ? PAGE_OFFSET_L3_611 : PAGE_OFFSET_L3_61;
            };
            pageEnd = kasanShadowStart(vaBits, pgdirSize);
        }
        long vmallocSize = p.ordinal100 < 601 ? (-PAGE_OFFSET_5X) >>> 1 : (512L / 2 * pgdirSize / 2) >>> 1;
        long vmallocStart = pageOffset - vmallocSize;
        long vmemmapSize = 1L << (vaBits - 12 - 1 + Geometry.STRUCT_PAGE_SHIFT);
        long vmemmapStart = vmallocStart - vmemmapSize;
        return new Geometry(Arch.RISCV64, g, p, vaBits, levels, shift, ptrs, block, 27, 56,
                10, 1L << 21, pageOffset, pageEnd, vmemmapStart, vmemmapSize, vmallocStart);
    }

    /** KASAN_SHADOW_START: (MODULES_LOWEST_VADDR - 2^(VA_BITS - 1 - 3)) & PGDIR_MASK. @kernel arch/riscv/include/asm/kasan.h */
    public static long kasanShadowStart(int vaBits, long pgdirSize) {
        return (MODULES_LOWEST_VADDR - (1L << (vaBits - 1 - 3))) & -pgdirSize;
    }
}
