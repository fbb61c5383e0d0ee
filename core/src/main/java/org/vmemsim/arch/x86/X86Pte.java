package org.vmemsim.arch.x86;

import org.vmemsim.arch.PteFormat;

/**
 * x86-64 page-table entries as Linux builds them for kernel mappings
 * ({@code arch/x86/include/asm/pgtable_types.h}).
 *
 * <pre>
 *  bit 0 present   bit 1 RW   bit 2 USER   bit 3 PWT   bit 4 PCD   bit 5 ACCESSED   bit 6 DIRTY
 *  bit 7 PSE (a large page at the PMD or PUD level; PAT at the PTE level)   bit 8 GLOBAL
 *  bits 51:12 physical address   bit 63 NX
 * </pre>
 * Every entry type is the same 64-bit layout; what an entry is depends on its level and PSE.
 */
public final class X86Pte implements PteFormat {
    public static final long PRESENT = 1L;
    public static final long RW = 1L << 1;
    public static final long USER = 1L << 2;
    public static final long PWT = 1L << 3;
    public static final long PCD = 1L << 4;
    public static final long ACCESSED = 1L << 5;
    public static final long DIRTY = 1L << 6;
    public static final long PSE = 1L << 7;
    public static final long GLOBAL = 1L << 8;
    public static final long NX = 1L << 63;
    /** PTE_PFN_MASK: bits 51:12. */
    public static final long PFN_MASK = ((1L << 52) - 1) & -(1L << 12);
    /** __PAGE_KERNEL (with _PAGE_GLOBAL, as __default_kernel_pte_mask keeps it without PTI). */
    public static final long PAGE_KERNEL = PRESENT | RW | ACCESSED | DIRTY | GLOBAL | NX;
    public static final long PAGE_KERNEL_LARGE = PAGE_KERNEL | PSE;
    /** _KERNPG_TABLE. */
    public static final long KERNPG_TABLE = PRESENT | RW | ACCESSED | DIRTY;

    @Override
    public boolean present(long d) {
        return (d & PRESENT) != 0;
    }

    @Override
    public boolean isTable(long d, int level, int levels) {
        return level < levels - 1 && present(d) && (level == 0 || (d & PSE) == 0);
    }

    @Override
    public boolean isBlock(long d, int level, int levels) {
        // large pages exist at the PMD and PUD levels only
        return level < levels - 1 && level >= levels - 3 && present(d) && (d & PSE) != 0;
    }

    @Override
    public boolean isPage(long d, int level, int levels) {
        return level == levels - 1 && present(d);
    }

    /** The physical address bits 51:12 (a large page's own alignment is applied by the walkers). */
    @Override
    public long outputAddress(long d) {
        return d & PFN_MASK;
    }

    private static long oa(long pa) {
        if ((pa & ~PFN_MASK) != 0) {
            throw new IllegalArgumentException(String.format("PA 0x%x is not a page address below 2^52", pa));
        }
        return pa;
    }

    @Override
    public long mkTable(long pa) {
        return oa(pa) | KERNPG_TABLE;
    }

    /** PAGE_KERNEL_LARGE: what x86 installs for vmemmap PMD blocks. */
    @Override
    public long mkSectNormal(long pa) {
        return oa(pa) | PAGE_KERNEL_LARGE;
    }

    @Override
    public long mkPageKernel(long pa) {
        return oa(pa) | PAGE_KERNEL;
    }

    /** A direct-map large page (PAGE_KERNEL_LARGE). */
    @Override
    public long mkBlockKernel(long pa) {
        return oa(pa) | PAGE_KERNEL_LARGE;
    }
}
