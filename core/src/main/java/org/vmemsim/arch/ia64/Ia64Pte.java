package org.vmemsim.arch.ia64;

import org.vmemsim.arch.PteFormat;

/**
 * ia64 page-table entries ({@code arch/ia64/include/asm/pgtable.h}). A PTE has the VHPT short
 * format:
 * <pre>
 *  bit 0 P (present)   bits 4:2 MA (memory attribute, 0 = WB)   bit 5 A   bit 6 D   bits 8:7 PL
 *  bits 11:9 AR (access rights)   bits 49:12 PPN   bit 52 ED   bit 63 PROTNONE
 * </pre>
 * A PGD or PMD entry is just the physical address of the next table (no flag bits), present when
 * non-zero. ia64 kernel page tables have no large-page entries (huge pages live in region 4 with
 * their own page size), so {@link #isBlock} is always false and the block constructors are unused.
 */
public final class Ia64Pte implements PteFormat {
    public static final long P = 1L;
    public static final long A = 1L << 5;
    public static final long D = 1L << 6;
    public static final long AR_RWX = 3L << 9;
    public static final long ED = 1L << 52;
    /** _PAGE_PPN_MASK: bits 49:12. */
    public static final long PPN_MASK = ((1L << 50) - 1) & ~0xfffL;
    /** PAGE_KERNEL = __DIRTY_BITS | _PAGE_PL_0 | _PAGE_AR_RWX (MA_WB is 0). */
    public static final long PAGE_KERNEL = ED | A | P | D | AR_RWX;

    /** Non-zero: pte_present for a leaf written by the kernel, pmd_present/pud_present for a table. */
    @Override
    public boolean present(long d) {
        return d != 0;
    }

    @Override
    public boolean isTable(long d, int level, int levels) {
        return level < levels - 1 && d != 0;
    }

    @Override
    public boolean isBlock(long d, int level, int levels) {
        return false;
    }

    @Override
    public boolean isPage(long d, int level, int levels) {
        return level == levels - 1 && (d & P) != 0;
    }

    @Override
    public long outputAddress(long d) {
        return d & PPN_MASK;
    }

    private static long oa(long pa) {
        if ((pa & ~PPN_MASK) != 0) {
            throw new IllegalArgumentException(String.format("PA 0x%x is not a page address below 2^50", pa));
        }
        return pa;
    }

    /** pmd_populate_kernel / pud_populate: the table's physical address. */
    @Override
    public long mkTable(long pa) {
        return oa(pa);
    }

    /** Never used: there are no kernel large-page entries on ia64. */
    @Override
    public long mkSectNormal(long pa) {
        throw new IllegalStateException("ia64 kernel page tables have no block entries");
    }

    /** pfn_pte(pfn, PAGE_KERNEL). */
    @Override
    public long mkPageKernel(long pa) {
        return oa(pa) | PAGE_KERNEL;
    }

    /** Never used: region 7 is mapped by the TLB miss handler, not by page tables. */
    @Override
    public long mkBlockKernel(long pa) {
        throw new IllegalStateException("ia64 has no linear-map page tables");
    }
}
