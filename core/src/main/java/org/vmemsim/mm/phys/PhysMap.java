package org.vmemsim.mm.phys;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.vmemsim.util.U64;

/**
 * The simulated physical address space: which ranges are RAM (boot or hot-pluggable) and which
 * are device memory (persistent memory, CXL, ...), on which node. This is the machine, not the
 * kernel's view of it: the kernel learns about ranges through memblock, iomem and hotplug.
 */
public final class PhysMap {
    private final List<PhysRange> ranges = new ArrayList<>();

    /** Adds a range; throws IllegalArgumentException naming both ranges on overlap. */
    public void add(PhysRange r) {
        if (!U64.lt(r.start(), r.end())) {
            throw new IllegalArgumentException(String.format("empty or wrapping physical range %s [0x%x, 0x%x)",
                    r.name(), r.start(), r.end()));
        }
        for (PhysRange o : ranges) {
            if (o.overlaps(r.start(), r.end())) {
                throw new IllegalArgumentException(String.format("%s [0x%x, 0x%x) overlaps %s [0x%x, 0x%x)",
                        r.name(), r.start(), r.end(), o.name(), o.start(), o.end()));
            }
        }
        ranges.add(r);
        ranges.sort((a, b) -> U64.cmp(a.start(), b.start()));
    }

    public void remove(PhysRange r) {
        ranges.remove(r);
    }

    /** The range containing {@code pa}, or null. */
    public PhysRange find(long pa) {
        for (PhysRange r : ranges) {
            if (r.contains(pa)) {
                return r;
            }
        }
        return null;
    }

    /** The first range intersecting {@code [start, end)}, or null. */
    public PhysRange findOverlap(long start, long end) {
        for (PhysRange r : ranges) {
            if (r.overlaps(start, end)) {
                return r;
            }
        }
        return null;
    }

    public List<PhysRange> ranges() {
        return Collections.unmodifiableList(ranges);
    }

    public PhysRange byName(String name) {
        for (PhysRange r : ranges) {
            if (r.name().equals(name)) {
                return r;
            }
        }
        return null;
    }
}
