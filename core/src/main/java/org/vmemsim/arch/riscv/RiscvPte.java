package org.vmemsim.arch.riscv;

import org.vmemsim.arch.PteFormat;

/**
 * RISC-V Sv39/Sv48/Sv57 page-table entries as Linux builds them for kernel mappings
 * ({@code arch/riscv/include/asm/pgtable-bits.h}, {@code pgtable.h}).
 *
 * <pre>
 *  bit 0 V (valid)   bit 1 R   bit 2 W   bit 3 X   bit 4 U   bit 5 G   bit 6 A   bit 7 D
 *  bits 9:8 RSW   bits 53:10 PPN (physical page number)   bits 62:61 PBMT (Svpbmt)   bit 63 N
 * </pre>
 * The same format at every level: an entry with V set and R, W, X all clear points at the next
 * table ({@code _PAGE_TABLE}); with any of R/W/X set it is a leaf, at any level (a "megapage" at
 * the PMD level, "gigapage" at the PUD level, ...).
 */
public final class RiscvPte implements PteFormat {
    public static final long V = 1L;
    public static final long R = 1L << 1;
    public static final long W = 1L << 2;
    public static final long X = 1L << 3;
    public static final long U = 1L << 4;
    public static final long G = 1L << 5;
    public static final long A = 1L << 6;
    public static final long D = 1L << 7;
    /** _PAGE_LEAF: any of R, W, X makes a leaf. */
    public static final long LEAF = R | W | X;
    /** _PAGE_PFN_SHIFT. */
    public static final int PFN_SHIFT = 10;
    /** PPN field: 44 bits from bit 10. */
    public static final long PPN_MASK = ((1L << 44) - 1) << PFN_SHIFT;
    /** _PAGE_KERNEL: R W V A D G. */
    public static final long PAGE_KERNEL = R | W | V | A | D | G;
    /** PAGE_KERNEL_EXEC. */
    public static final long PAGE_KERNEL_EXEC = PAGE_KERNEL | X;
    /** _PAGE_TABLE: V only. */
    public static final long PAGE_TABLE = V;

    private final int pageShift;

    public RiscvPte(int pageShift) {
        this.pageShift = pageShift;
    }

    @Override
    public boolean present(long d) {
        return (d & V) != 0;
    }

    @Override
    public boolean isTable(long d, int level, int levels) {
        return level < levels - 1 && present(d) && (d & LEAF) == 0;
    }

    @Override
    public boolean isBlock(long d, int level, int levels) {
        return level < levels - 1 && present(d) && (d & LEAF) != 0;
    }

    @Override
    public boolean isPage(long d, int level, int levels) {
        return level == levels - 1 && present(d) && (d & LEAF) != 0;
    }

    /** The page frame number in bits 53:10, as a physical address. */
    @Override
    public long outputAddress(long d) {
        return ((d & PPN_MASK) >>> PFN_SHIFT) << pageShift;
    }

    /** pfn_pte / pfn_pmd / pfn_pgd: {@code (pfn << _PAGE_PFN_SHIFT) | prot}. */
    public long entry(long pa, long prot) {
        if ((pa & ((1L << pageShift) - 1)) != 0 || (pa >>> pageShift) >>> 44 != 0) {
            throw new IllegalArgumentException(String.format("PA 0x%x is not a page address below 2^56", pa));
        }
        return ((pa >>> pageShift) << PFN_SHIFT) | prot;
    }

    @Override
    public long mkTable(long pa) {
        return entry(pa, PAGE_TABLE);
    }

    /** pmd_set_huge(pmd, phys, PAGE_KERNEL): what riscv installs for a vmemmap PMD block. */
    @Override
    public long mkSectNormal(long pa) {
        return entry(pa, PAGE_KERNEL);
    }

    @Override
    public long mkPageKernel(long pa) {
        return entry(pa, PAGE_KERNEL);
    }

    /** A linear-map leaf above the PTE level (PAGE_KERNEL; the format has no separate block type). */
    @Override
    public long mkBlockKernel(long pa) {
        return entry(pa, PAGE_KERNEL);
    }
}
