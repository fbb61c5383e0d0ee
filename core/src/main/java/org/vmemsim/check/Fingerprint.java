package org.vmemsim.check;

import org.vmemsim.kernel.Kernel;
import org.vmemsim.mm.alloc.Slab;

/**
 * A cheap summary of the model's resources, taken before every fuzz step so that a failed step can
 * be checked for leaks without a deep copy: free and allocated buddy pages, page tables, slab
 * objects (mem_section roots excluded: leak L1 is by design), memblock reservations, pgmaps and
 * physical ranges. {@link ModelState} is the deep comparison.
 */
record Fingerprint(long nrFree, int allocations, int tables, long slabObjects, long slabBytes, long memblockReserved,
                   int pgmaps, int physRanges) {
    static Fingerprint of(Kernel k) {
        Slab slab = k.mm.slab;
        long objs = slab.count() - slab.countAt(StateDiffs.ROOT_SITE);
        long bytes = slab.bytes() - slab.bytesAt(StateDiffs.ROOT_SITE);
        return new Fingerprint(k.mm.buddy.nrFreePages(), k.mm.buddy.liveAllocations(), k.mm.frames.tableCount(), objs, bytes,
                k.mm.memblock.reservedBytes(), k.memremap.pgmaps().size(), k.mm.phys.ranges().size());
    }

    /** The first counter that differs, or null. */
    String diff(Fingerprint o) {
        if (nrFree != o.nrFree || allocations != o.allocations) {
            return String.format("buddy: %d free pages / %d allocations -> %d / %d", nrFree, allocations, o.nrFree, o.allocations);
        }
        if (tables != o.tables) {
            return String.format("page tables: %d -> %d", tables, o.tables);
        }
        if (slabObjects != o.slabObjects || slabBytes != o.slabBytes) {
            return String.format("slab: %d objects / %d bytes -> %d / %d", slabObjects, slabBytes, o.slabObjects, o.slabBytes);
        }
        if (memblockReserved != o.memblockReserved) {
            return String.format("memblock reserved: %d -> %d bytes", memblockReserved, o.memblockReserved);
        }
        if (pgmaps != o.pgmaps || physRanges != o.physRanges) {
            return String.format("pgmaps/physical ranges: %d/%d -> %d/%d", pgmaps, physRanges, o.pgmaps, o.physRanges);
        }
        return null;
    }
}
