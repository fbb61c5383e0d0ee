package org.vmemsim.arch;

import org.vmemsim.util.U64;

/**
 * Everything that is fixed at build time for one kernel configuration: page and table geometry,
 * section sizes and the kernel virtual layout. All values derive from a few log2 constants
 * ({@code pageShift}, {@code vaBits}, {@code sectionSizeBits}, ...), as the kernel headers do.
 *
 * <p>Hardware levels are numbered from the top: level 0 is the table the TTBR points to (the PGD),
 * level {@code levels - 1} is the leaf table (PTE). Folded software levels do not exist here.
 */
public final class Geometry {
    public static final int STRUCT_PAGE_SIZE = 64;
    public static final int STRUCT_PAGE_SHIFT = 6;
    public static final int SUBSECTION_SHIFT = 21;

    public final Arch arch;
    public final Granule granule;
    public final KernelProfile profile;
    public final int vaBits;
    public final int pageShift;
    public final long pageSize;
    public final int levels;
    /** Shift of each hardware level, index 0 = top. */
    private final int[] levelShift;
    /** Entries in a table of each hardware level (the top may be smaller). */
    private final int[] levelPtrs;
    /** Software name of each level's entries: PTE, PMD, PUD, P4D, PGD counted from the leaf. */
    private final String[] entryName;
    /** Software name of each level's tables: the top is always PGD. */
    private final String[] tableName;
    /** Whether a block descriptor may be used at each level by the kernel's own mappings. */
    private final boolean[] blockAllowed;

    public final int pmdShift;
    public final int pudShift;
    public final int pgdirShift;
    public final long pmdSize;
    public final long pudSize;
    public final int ptrsPerTable;
    public final int ptrsPerPgd;

    public final int sectionSizeBits;
    public final int maxPhysmemBits;
    public final int pfnSectionShift;
    public final long pagesPerSection;
    public final long pagesPerSubsection;
    public final int subsectionsPerSection;
    public final long sectionsPerRoot;
    public final long nrMemSections;
    public final int maxPageOrder;
    public final int pageblockOrder;
    public final long memoryBlockSize;
    /** memremap_compat_align(): the smallest alignment a memremap_pages() range may have. */
    public final long memremapCompatAlign;
    public final long memstartAlign;

    public final long pageOffset;
    public final long pageEnd;
    public final long vmemmapStart;
    public final long vmemmapSize;
    public final long vmemmapEnd;

    /**
     * Builder-style constructor; see {@code Arm64Geometry.of} for how arm64 fills it. The memory block
     * size is one section and memremap_compat_align() the generic SUBSECTION_SIZE.
     */
    public Geometry(Arch arch, Granule granule, KernelProfile profile, int vaBits, int levels, int[] levelShift,
                    int[] levelPtrs, boolean[] blockAllowed, int sectionSizeBits, int maxPhysmemBits,
                    int maxPageOrder, long memstartAlign, long pageOffset, long pageEnd,
                    long vmemmapStart, long vmemmapSize, long vmemmapEnd) {
        this(arch, granule, profile, vaBits, levels, levelShift, levelPtrs, blockAllowed, sectionSizeBits,
                maxPhysmemBits, maxPageOrder, memstartAlign, pageOffset, pageEnd, vmemmapStart, vmemmapSize,
                vmemmapEnd, 1L << sectionSizeBits, 1L << SUBSECTION_SHIFT);
    }

    /**
     * The full constructor: as above, plus the memory block size ({@code memory_block_size_bytes()})
     * and {@code memremap_compat_align()} of architectures that override them. PMD and PUD shifts are
     * those of the hardware levels, so tables whose index widths differ per level (powerpc radix) are
     * described exactly.
     */
    public Geometry(Arch arch, Granule granule, KernelProfile profile, int vaBits, int levels, int[] levelShift,
                    int[] levelPtrs, boolean[] blockAllowed, int sectionSizeBits, int maxPhysmemBits,
                    int maxPageOrder, long memstartAlign, long pageOffset, long pageEnd,
                    long vmemmapStart, long vmemmapSize, long vmemmapEnd, long memoryBlockSize,
                    long memremapCompatAlign) {
        this.arch = arch;
        this.granule = granule;
        this.profile = profile;
        this.vaBits = vaBits;
        this.pageShift = granule.pageShift;
        this.pageSize = 1L << pageShift;
        this.levels = levels;
        this.levelShift = levelShift.clone();
        this.levelPtrs = levelPtrs.clone();
        this.blockAllowed = blockAllowed.clone();
        String[] fromLeaf = {"PTE", "PMD", "PUD", "P4D", "PGD"};
        this.entryName = new String[levels];
        this.tableName = new String[levels];
        for (int i = 0; i < levels; i++) {
            entryName[i] = fromLeaf[levels - 1 - i];
            tableName[i] = i == 0 ? "PGD" : fromLeaf[levels - 1 - i];
        }
        this.ptrsPerTable = levelPtrs[levels - 1];
        this.ptrsPerPgd = levelPtrs[0];
        this.pmdShift = levelShift[levels - 2];
        this.pgdirShift = levelShift[0];
        // A folded PUD level (2-level tables) takes the PGD's shift, as asm-generic/pgtable-nopud.h does.
        this.pudShift = levels >= 3 ? levelShift[levels - 3] : pgdirShift;
        this.pmdSize = 1L << pmdShift;
        this.pudSize = 1L << pudShift;
        this.sectionSizeBits = sectionSizeBits;
        this.maxPhysmemBits = maxPhysmemBits;
        this.pfnSectionShift = sectionSizeBits - pageShift;
        this.pagesPerSection = 1L << pfnSectionShift;
        this.pagesPerSubsection = 1L << (SUBSECTION_SHIFT - pageShift);
        this.subsectionsPerSection = 1 << (sectionSizeBits - SUBSECTION_SHIFT);
        this.sectionsPerRoot = pageSize / profile.memSectionSize();
        this.nrMemSections = 1L << (maxPhysmemBits - sectionSizeBits);
        this.maxPageOrder = maxPageOrder;
        this.pageblockOrder = pmdShift - pageShift;
        this.memoryBlockSize = memoryBlockSize;
        this.memremapCompatAlign = memremapCompatAlign;
        this.memstartAlign = memstartAlign;
        this.pageOffset = pageOffset;
        this.pageEnd = pageEnd;
        this.vmemmapStart = vmemmapStart;
        this.vmemmapSize = vmemmapSize;
        this.vmemmapEnd = vmemmapEnd;
    }

    /** Shift of hardware level {@code level} (0 = top). */
    public int shift(int level) {
        return levelShift[level];
    }

    /** Bytes mapped by one entry of {@code level}. */
    public long entrySpan(int level) {
        return 1L << levelShift[level];
    }

    /** Entries of a table at {@code level}. */
    public int ptrs(int level) {
        return levelPtrs[level];
    }

    public int leafLevel() {
        return levels - 1;
    }

    /** The hardware level whose entries map PMD_SIZE, or -1 when the PMD level does not exist. */
    public int pmdLevel() {
        return levels >= 2 ? levels - 2 : -1;
    }

    /** The hardware level whose entries map PUD_SIZE, or -1. */
    public int pudLevel() {
        return levels >= 3 ? levels - 3 : -1;
    }

    public String entryName(int level) {
        return entryName[level];
    }

    public String tableName(int level) {
        return tableName[level];
    }

    public boolean blockAllowed(int level) {
        return blockAllowed[level];
    }

    /** Index of {@code va} in a table of {@code level}. */
    public int index(long va, int level) {
        return (int) ((va >>> levelShift[level]) & (levelPtrs[level] - 1));
    }

    /** Start of the window covered by the table at {@code level} containing {@code va}. */
    public long tableWindowStart(long va, int level) {
        if (level == 0) {
            return 0;
        }
        return va & -(1L << levelShift[level - 1]);
    }

    /** Section number of a pfn. */
    public long pfnToSection(long pfn) {
        return pfn >>> pfnSectionShift;
    }

    public long sectionToPfn(long nr) {
        return nr << pfnSectionShift;
    }

    /** Bytes of memmap (struct pages) of one section. */
    public long memmapPerSection() {
        return pagesPerSection * STRUCT_PAGE_SIZE;
    }

    public long pfn(long phys) {
        return phys >>> pageShift;
    }

    public long phys(long pfn) {
        return pfn << pageShift;
    }

    public long pfnUp(long phys) {
        return U64.divRoundUp(phys, pageSize);
    }

    /** Highest physical address + 1 that fits in MAX_PHYSMEM_BITS (2^bits). */
    public long maxPhysEnd() {
        return 1L << maxPhysmemBits;
    }

    /** The page-size-aligned end of the linear region as a size, PAGE_END - PAGE_OFFSET. */
    public long linearRegionSize() {
        return pageEnd - pageOffset;
    }

    @Override
    public String toString() {
        return arch.label + "/" + granule.label() + "/VA" + vaBits + "/" + profile.label;
    }
}
