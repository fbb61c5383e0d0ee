package org.vmemsim.arch.ppc64;

import org.vmemsim.arch.Geometry;
import org.vmemsim.arch.PteFormat;

/**
 * powerpc Book3S-64 radix page-table entries as Linux builds them for kernel mappings
 * ({@code arch/powerpc/include/asm/book3s/64/pgtable.h}, {@code radix.h}). Values are the logical
 * 64-bit entries (the hardware reads them big-endian; vmemsim stores the value).
 *
 * <pre>
 *  leaf (PTE, or a 2 MiB / 1 GiB huge leaf at the PMD / PUD level):
 *   bit 63 _PAGE_PRESENT (valid)   bit 62 _PAGE_PTE (leaf)   bits 55:12 RPN (real page number)
 *   bit 8 _PAGE_ACCESSED  bit 7 _PAGE_DIRTY  bit 3 _PAGE_PRIVILEGED  bit 2 READ  bit 1 WRITE  bit 0 EXEC
 *  table (non-leaf):
 *   bit 63 valid   bit 62 clear   bits 55:8 NLB (next-level table base)   bits 4:0 NLS (log2 entries of
 *   the next table: RADIX_PUD/PMD/PTE_INDEX_SIZE, the *_VAL_BITS of pmd/pud/pgd_populate)
 * </pre>
 */
public final class Ppc64Pte implements PteFormat {
    public static final long PRESENT = 1L << 63;
    public static final long PTE = 1L << 62;
    public static final long ACCESSED = 0x100L;
    public static final long DIRTY = 0x80L;
    public static final long PRIVILEGED = 0x8L;
    public static final long READ = 0x4L;
    public static final long WRITE = 0x2L;
    public static final long EXEC = 0x1L;
    /** _PAGE_PA_MAX = 56: the real address field ends at bit 55. */
    public static final long RPN_MASK = ((1L << 56) - 1) & -(1L << 12);
    public static final long NLB_MASK = ((1L << 56) - 1) & -(1L << 8);
    public static final long NLS_MASK = 0x1fL;
    /** PAGE_KERNEL: _PAGE_BASE (present, accessed) | _PAGE_KERNEL_RW (privileged, read, write, dirty). */
    public static final long PAGE_KERNEL = PRESENT | ACCESSED | PRIVILEGED | READ | WRITE | DIRTY;

    private final Geometry g;

    public Ppc64Pte(Geometry g) {
        this.g = g;
    }

    @Override
    public boolean present(long d) {
        return (d & PRESENT) != 0;
    }

    @Override
    public boolean isTable(long d, int level, int levels) {
        return level < levels - 1 && present(d) && (d & PTE) == 0;
    }

    @Override
    public boolean isBlock(long d, int level, int levels) {
        // huge leaves exist at the PMD and PUD levels (pmd_leaf / pud_leaf test _PAGE_PTE)
        return level < levels - 1 && level >= levels - 3 && present(d) && (d & PTE) != 0;
    }

    @Override
    public boolean isPage(long d, int level, int levels) {
        return level == levels - 1 && present(d) && (d & PTE) != 0;
    }

    /** RPN of a leaf, NLB of a table. */
    @Override
    public long outputAddress(long d) {
        return (d & PTE) != 0 ? d & RPN_MASK : d & NLB_MASK;
    }

    private static long oa(long pa, long mask) {
        if ((pa & ~mask) != 0) {
            throw new IllegalArgumentException(String.format("PA 0x%x does not fit the radix address field", pa));
        }
        return pa;
    }

    /** A table entry without a size: NLS is that of a leaf table. Prefer {@link #mkTable(long, int)}. */
    @Override
    public long mkTable(long pa) {
        return oa(pa, NLB_MASK) | PRESENT | Ppc64Geometry.PTE_INDEX_SIZE;
    }

    /** pgd/pud/pmd_populate: valid | table base | NLS = index bits of the child table. */
    @Override
    public long mkTable(long pa, int childLevel) {
        int nls = Integer.numberOfTrailingZeros(g.ptrs(childLevel));
        return oa(pa, NLB_MASK) | PRESENT | nls;
    }

    /** pfn_pte(pfn, PAGE_KERNEL) at the PMD level: what vmemmap_set_pmd installs. */
    @Override
    public long mkSectNormal(long pa) {
        return oa(pa, RPN_MASK) | PAGE_KERNEL | PTE;
    }

    /** pfn_pte(pfn, PAGE_KERNEL). */
    @Override
    public long mkPageKernel(long pa) {
        return oa(pa, RPN_MASK) | PAGE_KERNEL | PTE;
    }

    /** A linear-map huge leaf (2 MiB or 1 GiB): pfn_pte(pfn, PAGE_KERNEL) stored in the PMD/PUD. */
    @Override
    public long mkBlockKernel(long pa) {
        return oa(pa, RPN_MASK) | PAGE_KERNEL | PTE;
    }

    /** The NLS field of a table entry. */
    public static int nls(long d) {
        return (int) (d & NLS_MASK);
    }
}
