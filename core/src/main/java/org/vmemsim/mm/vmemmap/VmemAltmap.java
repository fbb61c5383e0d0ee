package org.vmemsim.mm.vmemmap;

/**
 * {@code struct vmem_altmap} ({@code include/linux/memremap.h}): a bump allocator over the start of
 * a device range that backs the device's own memmap.
 *
 * <pre>
 * device range  [base_pfn ................................................ end_pfn]
 *               [reserve][ free: memmap pool (alloc + align used) ][ data pages ]
 * </pre>
 * {@code end_pfn} is the last pfn, inclusive, as drivers set it. The counters are unsigned in the
 * kernel; here they are {@code long}s and an underflow of {@code alloc} is kept (not clamped) so the
 * checker can report it (hazard H2).
 */
public final class VmemAltmap {
    /** A name for reports (the driver object that owns the altmap), not a kernel field. */
    public final String owner;
    public long basePfn;
    public final long endPfn;
    public final long reserve;
    public long free;
    public long align;
    public long alloc;
    public boolean inaccessible;

    public VmemAltmap(String owner, long basePfn, long endPfn, long reserve, long free) {
        this.owner = owner;
        this.basePfn = basePfn;
        this.endPfn = endPfn;
        this.reserve = reserve;
        this.free = free;
    }

    /** A deep copy (used by the checker's state comparison and by drivers that kmemdup an altmap). */
    public VmemAltmap copy() {
        VmemAltmap c = new VmemAltmap(owner, basePfn, endPfn, reserve, free);
        c.align = align;
        c.alloc = alloc;
        c.inaccessible = inaccessible;
        return c;
    }

    /**
     * Pfns from {@code base_pfn} whose struct pages describe metadata: {@code reserve + free}; 0
     * without an altmap.
     *
     * @kernel include/linux/mm.h: vmem_altmap_offset
     */
    public static long vmemAltmapOffset(VmemAltmap altmap) {
        return altmap == null ? 0 : altmap.reserve + altmap.free;
    }

    /**
     * Gives {@code nrPfns} back: only the {@code alloc} counter moves; {@code align} never shrinks.
     *
     * @kernel include/linux/mm.h: vmem_altmap_free
     */
    public void vmemAltmapFree(long nrPfns) {
        alloc -= nrPfns;
    }

    /** @kernel mm/sparse-vmemmap.c: vmem_altmap_next_pfn */
    public long vmemAltmapNextPfn() {
        return basePfn + reserve + alloc + align;
    }

    /** @kernel mm/sparse-vmemmap.c: vmem_altmap_nr_free */
    public long vmemAltmapNrFree() {
        long allocated = alloc + align;
        return Long.compareUnsigned(free, allocated) > 0 ? free - allocated : 0;
    }

    /** First pfn of the memmap pool. */
    public long poolStartPfn() {
        return basePfn + reserve;
    }

    /** End (exclusive) of the memmap pool. */
    public long poolEndPfn() {
        return basePfn + reserve + free;
    }

    public boolean sameState(VmemAltmap o) {
        return o != null && basePfn == o.basePfn && endPfn == o.endPfn && reserve == o.reserve && free == o.free
                && align == o.align && alloc == o.alloc && inaccessible == o.inaccessible;
    }

    @Override
    public String toString() {
        return String.format("vmem_altmap{%s base_pfn=0x%x end_pfn=0x%x reserve=%d free=%d alloc=%d align=%d}",
                owner, basePfn, endPfn, reserve, free, alloc, align);
    }
}
