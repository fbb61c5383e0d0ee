package org.vmemsim.arch;

/**
 * The hardware format of page-table descriptors of one architecture. Descriptors are raw
 * {@code long}s exactly as the MMU reads them.
 */
public interface PteFormat {
    /** The all-zero descriptor (pte_none / pmd_none ...). */
    default boolean none(long d) {
        return d == 0;
    }

    /** The valid bit is set. */
    boolean present(long d);

    /** A valid descriptor at a non-leaf {@code level} pointing at a next-level table. */
    boolean isTable(long d, int level, int levels);

    /** A valid block (section) descriptor at a non-leaf level. */
    boolean isBlock(long d, int level, int levels);

    /** A valid page descriptor at the leaf level. */
    boolean isPage(long d, int level, int levels);

    /** The output (physical) address: next table, block base or page base. */
    long outputAddress(long d);

    /** A table descriptor pointing at the table page at {@code pa}. */
    long mkTable(long pa);

    /**
     * A table descriptor pointing at the table of hardware level {@code childLevel} at {@code pa};
     * formats whose table descriptors encode the size of the next table (powerpc radix NLS) override
     * this.
     */
    default long mkTable(long pa, int childLevel) {
        return mkTable(pa);
    }

    /** A block descriptor for normal kernel memory (PROT_SECT_NORMAL). */
    long mkSectNormal(long pa);

    /** A leaf page descriptor for normal kernel memory (PAGE_KERNEL). */
    long mkPageKernel(long pa);

    /** A block descriptor derived from PAGE_KERNEL, as the linear map creates them. */
    long mkBlockKernel(long pa);
}
