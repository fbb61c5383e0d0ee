package org.vmemsim.mm.phys;

import org.vmemsim.util.U64;

/** A physical range {@code [start, end)} of RAM or device memory with its node and name. */
public record PhysRange(long start, long end, int node, Kind kind, String name) {
    /** What lives in a physical range. */
    public enum Kind {
        RAM, DEVICE
    }

    public long size() {
        return end - start;
    }

    public boolean contains(long pa) {
        return U64.inRange(pa, start, end);
    }

    public boolean overlaps(long s, long e) {
        return U64.overlaps(start, end, s, e);
    }
}
