package org.vmemsim.arch.x86;

import org.vmemsim.arch.Arch;
import org.vmemsim.arch.Geometry;
import org.vmemsim.arch.Granule;
import org.vmemsim.arch.KernelProfile;

/**
 * x86-64 build-time geometry: the values of {@code arch/x86/include/asm/page_64_types.h},
 * {@code pgtable_64_types.h} and {@code sparsemem.h} for 4-level (48-bit VA) or 5-level (57-bit VA)
 * paging. No KASLR ({@code nokaslr}: the un-randomised {@code page_offset_base} and
 * {@code vmemmap_base}).
 *
 * <p>Modelling choices: the memory block size is 128 MiB (one section); the kernel probes bigger
 * blocks on machines with 64 GiB or more ({@code probe_memory_block_size}), which is not modelled.
 * {@code VMEMMAP_END} is {@code VMEMMAP_START} plus the memmap of {@code 2^MAX_PHYSMEM_BITS} bytes
 * (exactly the 1 TiB slot of the 4-level layout; the 5-level slot of 0.5 PiB is larger than needed).
 * x86 has no {@code memstart_addr}: the vmemmap is indexed by the pfn itself, so the memstart
 * alignment is set so that the aligned start of RAM is always 0.
 */
public final class X86Geometry {
    /** __PAGE_OFFSET_BASE_L4 / _L5. */
    public static final long PAGE_OFFSET_L4 = 0xffff888000000000L;
    public static final long PAGE_OFFSET_L5 = 0xff11000000000000L;
    /** __VMEMMAP_BASE_L4 / _L5. */
    public static final long VMEMMAP_BASE_L4 = 0xffffea0000000000L;
    public static final long VMEMMAP_BASE_L5 = 0xffd4000000000000L;

    private X86Geometry() {}

    /** The VA sizes x86-64 supports: 48 (4-level) and 57 (5-level, {@code CONFIG_X86_5LEVEL}). */
    public static int[] validVaBits() {
        return new int[] {48, 57};
    }

    /** 4-level paging, what a CPU without LA57 (or {@code no5lvl}) runs. */
    public static int defaultVaBits() {
        return 48;
    }

    /**
     * Builds the geometry.
     *
     * @throws IllegalArgumentException naming the value and the rule when the granule is not 4K, the
     *     VA size is not 48 or 57, or the profile predates the x86 behaviour vmemsim models (6.1)
     */
    public static Geometry of(Granule g, int vaBits, KernelProfile p) {
        if (g != Granule.G4K) {
            throw new IllegalArgumentException("granule " + g.label()
                    + " is not valid for x86_64: PAGE_SHIFT is always 12 (valid: 4K)");
        }
        if (vaBits != 48 && vaBits != 57) {
            throw new IllegalArgumentException("VA size " + vaBits
                    + " is not valid for x86_64 (valid: 48 for 4-level paging, 57 for 5-level paging)");
        }
        if (p.ordinal100 < 601) {
            throw new IllegalArgumentException("kernel " + p.label
                    + " is not modelled for x86_64 (valid: 6.1, 6.12, mainline)");
        }
        int levels = vaBits == 57 ? 5 : 4;
        int[] shift = new int[levels];
        int[] ptrs = new int[levels];
        boolean[] block = new boolean[levels];
        for (int i = 0; i < levels; i++) {
            shift[i] = 12 + 9 * (levels - 1 - i);
            ptrs[i] = 512;
            // 2 MiB (PSE) pages at the PMD level, 1 GiB (gbpages) pages at the PUD level
            block[i] = shift[i] == 21 || shift[i] == 30;
        }
        int maxPhysmemBits = levels == 5 ? 52 : 46;
        long pageOffset = levels == 5 ? PAGE_OFFSET_L5 : PAGE_OFFSET_L4;
        long pageEnd = pageOffset + (1L << maxPhysmemBits);
        long vmemmapStart = levels == 5 ? VMEMMAP_BASE_L5 : VMEMMAP_BASE_L4;
        long vmemmapSize = (1L << (maxPhysmemBits - 12)) * Geometry.STRUCT_PAGE_SIZE;
        long memstartAlign = 1L << maxPhysmemBits;
        return new Geometry(Arch.X86_64, g, p, vaBits, levels, shift, ptrs, block, 27, maxPhysmemBits,
                10, memstartAlign, pageOffset, pageEnd, vmemmapStart, vmemmapSize, vmemmapStart + vmemmapSize);
    }
}
