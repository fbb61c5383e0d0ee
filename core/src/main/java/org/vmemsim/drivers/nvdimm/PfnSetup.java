package org.vmemsim.drivers.nvdimm;

import org.vmemsim.mm.vmemmap.VmemAltmap;

/**
 * What {@code __nvdimm_setup_pfn} writes into the caller's {@code struct dev_pagemap}: the single
 * range ({@code pgmap->range}, {@code nr_range = 1}) and, in PMEM mode, the altmap with
 * {@code PGMAP_ALTMAP_VALID}. Filled only when the call succeeds.
 */
public final class PfnSetup {
    /** {@code pgmap->range.start}: namespace start + start_pad. */
    public long rangeStart;
    /** {@code pgmap->range.end}: the last byte (inclusive), namespace end - end_trunc. */
    public long rangeEndInclusive;
    /** {@code pgmap->altmap} when {@code PGMAP_ALTMAP_VALID} is set (PMEM mode); null in RAM mode. */
    public VmemAltmap altmap;
    /** {@code nd_pfn->npfns}: data pages of the device. */
    public long npfns;

    /** {@code range_len(&pgmap->range)}. */
    public long rangeLen() {
        return rangeEndInclusive - rangeStart + 1;
    }

    /** {@code pgmap->flags & PGMAP_ALTMAP_VALID}. */
    public boolean altmapValid() {
        return altmap != null;
    }

    @Override
    public String toString() {
        return String.format("pgmap range [0x%x-0x%x] npfns=%d %s", rangeStart, rangeEndInclusive, npfns,
                altmap == null ? "no altmap" : altmap.toString());
    }
}
