package org.vmemsim.arch.arm64;

import org.vmemsim.arch.KernelProfile;
import org.vmemsim.arch.PteFormat;

/**
 * VMSAv8-64 stage-1 descriptors as Linux builds them for kernel mappings
 * ({@code arch/arm64/include/asm/pgtable-hwdef.h}, {@code pgtable-prot.h}).
 *
 * <pre>
 *  bit 0      valid
 *  bit 1      table (non-leaf) / page (leaf); 0 at a non-leaf level = block
 *  bits 4:2   AttrIndx (MAIR index)
 *  bit 7      AP[2] read-only
 *  bits 9:8   shareability (inner = 3)
 *  bit 10     access flag
 *  bit 11     not-global
 *  bits 47:PAGE_SHIFT output address (64K + 52-bit PA: PA[51:48] in bits 15:12)
 *  bit 51     DBM (PTE_WRITE)   bit 52 contiguous   bit 53 PXN   bit 54 UXN   bit 55 PTE_DIRTY (software)
 * </pre>
 * KPTI (not-global kernel mappings) is assumed off.
 */
public final class Arm64Pte implements PteFormat {
    public static final long PTE_VALID = 1L;
    public static final long PTE_TABLE_BIT = 1L << 1;
    public static final long PTE_TYPE_PAGE = 3L;
    public static final long PMD_TYPE_TABLE = 3L;
    public static final long PMD_TYPE_SECT = 1L;
    public static final long PTE_RDONLY = 1L << 7;
    public static final long PTE_SHARED = 3L << 8;
    public static final long PTE_AF = 1L << 10;
    public static final long PTE_NG = 1L << 11;
    public static final long PTE_DBM = 1L << 51;
    public static final long PTE_WRITE = PTE_DBM;
    public static final long PTE_CONT = 1L << 52;
    public static final long PTE_PXN = 1L << 53;
    public static final long PTE_UXN = 1L << 54;
    public static final long PTE_DIRTY = 1L << 55;
    public static final long ATTRINDX_MASK = 7L << 2;

    private final int pageShift;
    private final boolean pa52In15to12;
    private final long mtNormal;
    private final boolean sectWrite;

    /**
     * @param pageShift PAGE_SHIFT of the granule
     * @param maxPhysmemBits 48 or 52
     * @param profile selects the MAIR index of MT_NORMAL (4 up to v5.9, 0 from v5.10)
     */
    public Arm64Pte(int pageShift, int maxPhysmemBits, KernelProfile profile) {
        this.pageShift = pageShift;
        this.pa52In15to12 = pageShift == 16 && maxPhysmemBits == 52;
        this.mtNormal = profile.ordinal100 >= 510 ? 0 : 4;
        this.sectWrite = profile.sectNormalHasWrite();
    }

    public long mtNormal() {
        return mtNormal;
    }

    private long attrIndx(long idx) {
        return idx << 2;
    }

    @Override
    public boolean present(long d) {
        return (d & PTE_VALID) != 0;
    }

    @Override
    public boolean isTable(long d, int level, int levels) {
        return level < levels - 1 && (d & 3L) == PMD_TYPE_TABLE;
    }

    @Override
    public boolean isBlock(long d, int level, int levels) {
        return level < levels - 1 && (d & 3L) == PMD_TYPE_SECT;
    }

    @Override
    public boolean isPage(long d, int level, int levels) {
        return level == levels - 1 && (d & 3L) == PTE_TYPE_PAGE;
    }

    private long encodeOa(long pa) {
        long lowMask = ((1L << 48) - 1) & -(1L << pageShift);
        long d = pa & lowMask;
        if (pa52In15to12) {
            d |= ((pa >>> 48) & 0xfL) << 12;
        } else if ((pa >>> 48) != 0) {
            throw new IllegalArgumentException(String.format("PA 0x%x needs more than 48 bits", pa));
        }
        return d;
    }

    @Override
    public long outputAddress(long d) {
        long lowMask = ((1L << 48) - 1) & -(1L << pageShift);
        long pa = d & lowMask;
        if (pa52In15to12) {
            pa |= ((d >>> 12) & 0xfL) << 48;
        }
        return pa;
    }

    @Override
    public long mkTable(long pa) {
        return encodeOa(pa) | PMD_TYPE_TABLE;
    }

    /** PROT_SECT_NORMAL: PMD_TYPE_SECT | AF | SHARED | PXN | UXN | AttrIndx(MT_NORMAL) (| WRITE from 6.12). */
    @Override
    public long mkSectNormal(long pa) {
        return encodeOa(pa) | PMD_TYPE_SECT | PTE_AF | PTE_SHARED | PTE_PXN | PTE_UXN | attrIndx(mtNormal)
                | (sectWrite ? PTE_WRITE : 0);
    }

    /** PAGE_KERNEL = PROT_NORMAL: page | AF | SHARED | PXN | UXN | WRITE(DBM) | DIRTY | AttrIndx(MT_NORMAL). */
    @Override
    public long mkPageKernel(long pa) {
        return encodeOa(pa) | PTE_TYPE_PAGE | PTE_AF | PTE_SHARED | PTE_PXN | PTE_UXN | PTE_WRITE | PTE_DIRTY
                | attrIndx(mtNormal);
    }

    /** mk_pmd_sect_prot(PAGE_KERNEL): PAGE_KERNEL with the table bit cleared. */
    @Override
    public long mkBlockKernel(long pa) {
        return mkPageKernel(pa) & ~PTE_TABLE_BIT;
    }
}
