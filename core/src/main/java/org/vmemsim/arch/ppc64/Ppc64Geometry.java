package org.vmemsim.arch.ppc64;

import org.vmemsim.arch.Arch;
import org.vmemsim.arch.Geometry;
import org.vmemsim.arch.Granule;
import org.vmemsim.arch.KernelProfile;
import org.vmemsim.util.Sz;

/**
 * powerpc64 Book3S-64 build-time geometry with the radix MMU and 64K base pages: the values of
 * {@code arch/powerpc/include/asm/book3s/64/radix-64k.h}, {@code radix.h}, {@code pgtable.h} and
 * {@code arch/powerpc/include/asm/sparsemem.h}.
 *
 * <pre>
 *  radix 64K tree (52-bit effective address inside the quadrant):
 *   PGD 13 bits (8192 entries, 64 KiB)  -> PUD 9 bits -> PMD 9 bits -> PTE 5 bits (32 entries, 256 B)
 *   shifts 39 / 30 / 21 / 16: a PUD entry maps 1 GiB, a PMD entry 2 MiB, a PTE 64 KiB
 *  kernel quadrant 3:
 *   0xc000000000000000  PAGE_OFFSET (linear map, 2^MAX_PHYSMEM_BITS = 2 PiB)
 *   0xc008000000000000  RADIX_VMALLOC_START (= RADIX_KERN_VIRT_START), 2^49 bytes
 *   0xc00a000000000000  RADIX_KERN_IO_START, 2^49 bytes
 *   0xc00c000000000000  RADIX_VMEMMAP_START, 2^49 bytes (RADIX_VMEMMAP_END 0xc00e000000000000)
 * </pre>
 *
 * <p>Modelling choices, with the kernel facts behind them:
 * <ul>
 *   <li>Only the radix MMU is modelled. The hash MMU (HPT, bolted vmemmap, 16 MiB linear pages and
 *       its 16 MiB {@code memremap_compat_align}) is not; {@link #of} rejects a request for it.</li>
 *   <li>Only 64K base pages ({@code CONFIG_PPC_64K_PAGES}, what distributions build); 4K radix is
 *       rejected.</li>
 *   <li>{@code MAX_PHYSMEM_BITS} = 51 ({@code R_MAX_PHYSMEM_BITS} with SPARSEMEM_VMEMMAP and
 *       SPARSEMEM_EXTREME), {@code SECTION_SIZE_BITS} = 24 (16 MiB sections).</li>
 *   <li>Memory block size 256 MiB: on a pseries (PowerVM or QEMU/KVM) guest the block size is the
 *       {@code ibm,lmb-size} of {@code ibm,dynamic-reconfiguration-memory}, which QEMU sets to
 *       256 MiB ({@code SPAPR_MEMORY_BLOCK_SIZE}); bare-metal OPAL would use 1 GiB
 *       ({@code radix_memory_block_size} / {@code early_init_memory_block_size}). The radix linear
 *       map never uses a mapping larger than the block size, so this guest gets no 1 GiB pages.</li>
 *   <li>{@code MAX_PAGE_ORDER} = 8 ({@code ARCH_FORCE_MAX_ORDER} for PPC64 with 64K pages): the largest
 *       buddy block is 16 MiB, one section.</li>
 *   <li>{@code memremap_compat_align()} = {@code SUBSECTION_SIZE} (2 MiB) under radix
 *       ({@code arch/powerpc/mm/book3s64/pgtable.c}); the 16 MiB value is the hash MMU's linear page.</li>
 *   <li>Kernel profiles 5.8 and 5.9 are not modelled: their {@code vmemmap_populate} decides whether
 *       a 2 MiB vmemmap chunk is populated from {@code pfn_valid} of section starts (made sub-section
 *       aware later), which vmemsim does not reproduce.</li>
 * </ul>
 */
public final class Ppc64Geometry {
    public static final long PAGE_OFFSET = 0xc000000000000000L;
    /** RADIX_KERN_VIRT_START = RADIX_VMALLOC_START. */
    public static final long KERN_VIRT_START = 0xc008000000000000L;
    /** RADIX_KERN_MAP_SIZE: each of vmalloc, I/O and vmemmap gets 2^49 bytes. */
    public static final long KERN_MAP_SIZE = 1L << 49;
    public static final long VMALLOC_START = KERN_VIRT_START;
    public static final long KERN_IO_START = VMALLOC_START + KERN_MAP_SIZE;
    public static final long VMEMMAP_START = KERN_IO_START + KERN_MAP_SIZE;
    public static final long VMEMMAP_END = VMEMMAP_START + KERN_MAP_SIZE;
    /** RADIX_PTE/PMD/PUD/PGD_INDEX_SIZE for 64K pages. */
    public static final int PTE_INDEX_SIZE = 5;
    public static final int PMD_INDEX_SIZE = 9;
    public static final int PUD_INDEX_SIZE = 9;
    public static final int PGD_INDEX_SIZE = 13;
    public static final int SECTION_SIZE_BITS = 24;
    public static final int MAX_PHYSMEM_BITS = 51;
    public static final int MAX_PAGE_ORDER = 8;
    /** The pseries LMB size QEMU advertises (see the class comment). */
    public static final long MEMORY_BLOCK_SIZE = 256 * Sz.SZ_1M;

    private Ppc64Geometry() {}

    /** Radix with 64K pages translates 52 bits of effective address (13 + 9 + 9 + 5 + 16). */
    public static int defaultVaBits() {
        return 52;
    }

    /**
     * Builds the geometry.
     *
     * @throws IllegalArgumentException naming the value and the rule: a granule other than 64K, a VA
     *     size other than 52, or a profile before 6.1
     */
    public static Geometry of(Granule g, int vaBits, KernelProfile p) {
        if (g != Granule.G64K) {
            throw new IllegalArgumentException("granule " + g.label()
                    + " is not modelled for ppc64 (valid: 64K, radix MMU)");
        }
        if (vaBits != 52) {
            throw new IllegalArgumentException("VA size " + vaBits
                    + " is not valid for ppc64 radix with 64K pages (valid: 52)");
        }
        if (p.ordinal100 < 601) {
            throw new IllegalArgumentException("kernel " + p.label
                    + " is not modelled for ppc64 (valid: 6.1, 6.12, mainline)");
        }
        int levels = 4;
        int[] bits = {PGD_INDEX_SIZE, PUD_INDEX_SIZE, PMD_INDEX_SIZE, PTE_INDEX_SIZE};
        int[] shift = new int[levels];
        int[] ptrs = new int[levels];
        int s = g.pageShift;
        for (int i = levels - 1; i >= 0; i--) {
            shift[i] = s;
            ptrs[i] = 1 << bits[i];
            s += bits[i];
        }
        // leaves (with _PAGE_PTE) exist at the PMD (2 MiB) and PUD (1 GiB) levels
        boolean[] block = {false, true, true, false};
        long pageEnd = PAGE_OFFSET + (1L << MAX_PHYSMEM_BITS);
        long vmemmapSize = KERN_MAP_SIZE;
        // powerpc has no memstart_addr offset in the vmemmap: vmemmap[pfn] is indexed from pfn 0
        long memstartAlign = 1L << MAX_PHYSMEM_BITS;
        return new Geometry(Arch.PPC64, g, p, vaBits, levels, shift, ptrs, block, SECTION_SIZE_BITS, MAX_PHYSMEM_BITS,
                MAX_PAGE_ORDER, memstartAlign, PAGE_OFFSET, pageEnd, VMEMMAP_START, vmemmapSize, VMEMMAP_END,
                MEMORY_BLOCK_SIZE, 1L << Geometry.SUBSECTION_SHIFT);
    }

    /** The one-line refusal for the hash MMU. */
    public static IllegalArgumentException hashNotModelled() {
        return new IllegalArgumentException("ppc64 hash MMU (disable_radix) is not modelled (valid: radix)");
    }
}
