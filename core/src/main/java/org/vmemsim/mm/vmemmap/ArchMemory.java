package org.vmemsim.mm.vmemmap;

/**
 * The architecture's memory hot-plug entry points as generic code calls them
 * ({@code include/linux/memory_hotplug.h}): linear mapping plus {@code __add_pages}, and back.
 */
public interface ArchMemory {
    /** @kernel arch/arm64/mm/mmu.c: arch_add_memory */
    int archAddMemory(int nid, long start, long size, MhpParams params);

    /** @kernel arch/arm64/mm/mmu.c: arch_remove_memory */
    void archRemoveMemory(long start, long size, VmemAltmap altmap);

    /**
     * Boot: maps a memblock memory region into the linear map with page-table pages from memblock.
     *
     * @kernel arch/arm64/mm/mmu.c: map_mem
     */
    void bootMapMemory(long start, long size);

    /** Inclusive {start, end} of the physical range the linear map can reach. @kernel arch/arm64/mm/mmu.c: arch_get_mappable_range */
    long[] archGetMappableRange();
}
