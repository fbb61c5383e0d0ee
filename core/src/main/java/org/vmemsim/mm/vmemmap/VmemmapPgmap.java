package org.vmemsim.mm.vmemmap;

/**
 * What the sparse-vmemmap code reads of a {@code struct dev_pagemap} ({@code include/linux/memremap.h})
 * handed down through {@code struct mhp_params}: the compound-page order of its memmap and the start
 * of the range being mapped. Implemented by the memremap layer's {@code DevPagemap}, which sits above.
 */
public interface VmemmapPgmap {
    /** {@code pgmap->vmemmap_shift}: log2 of the pages per compound page (0: base pages). */
    int vmemmapShift();

    /**
     * {@code pgmap->ranges[pgmap->nr_range].start}: first byte of the range that
     * {@code memremap_pages} is mapping right now (vmemsim pgmaps have one range).
     */
    long currentRangeStart();

    /** @kernel include/linux/memremap.h: pgmap_vmemmap_nr */
    default long pgmapVmemmapNr() {
        return 1L << vmemmapShift();
    }
}
