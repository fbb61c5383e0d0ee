package org.vmemsim.mm.memremap;

import org.vmemsim.mm.vmemmap.VmemAltmap;
import org.vmemsim.mm.vmemmap.VmemmapPgmap;

/**
 * {@code struct dev_pagemap}: one ZONE_DEVICE mapping of a single physical range, its type and its
 * embedded altmap ({@code PGMAP_ALTMAP_VALID}). Besides the kernel fields it records what
 * {@code memremap_pages} did, for reports: how many struct pages were initialised and references
 * taken.
 */
public final class DevPagemap implements VmemmapPgmap {
    public static final int PGMAP_ALTMAP_VALID = 1;

    public final String id;
    public final MemoryType type;
    /** range.start and range.end (inclusive, as struct range). */
    public final long rangeStart;
    public final long rangeEnd;
    public final VmemAltmap altmap;
    public int flags;
    public int nid;
    /**
     * {@code vmemmap_shift}: the memmap describes compound pages of {@code 2^vmemmap_shift} pages
     * (set by device-dax from its alignment, v5.17+); 0 for base pages.
     */
    public int vmemmapShift;
    /** Set after a successful memremap_pages. */
    public boolean mapped;
    /** Pages initialised by memmap_init_range (the altmap pool) and memmap_init_zone_device (data). */
    public long initReservedPages;
    public long initDevicePages;
    /** Page references taken on the pgmap. */
    public long refs;

    public DevPagemap(String id, MemoryType type, long start, long size, VmemAltmap altmap) {
        this.id = id;
        this.type = type;
        this.rangeStart = start;
        this.rangeEnd = start + size - 1;
        this.altmap = altmap == null ? new VmemAltmap(id, 0, 0, 0, 0) : altmap;
        this.flags = altmap == null ? 0 : PGMAP_ALTMAP_VALID;
    }

    public long rangeLen() {
        return rangeEnd - rangeStart + 1;
    }

    @Override
    public int vmemmapShift() {
        return vmemmapShift;
    }

    /** The pgmap has a single range, so the range being mapped is always {@code range.start}. */
    @Override
    public long currentRangeStart() {
        return rangeStart;
    }

    /** The altmap if valid, else null. @kernel include/linux/memremap.h: pgmap_altmap */
    public VmemAltmap pgmapAltmap() {
        return (flags & PGMAP_ALTMAP_VALID) != 0 ? altmap : null;
    }
}
