package org.vmemsim.mm.sparse;

import java.util.Arrays;

/**
 * {@code struct mem_section_usage}: the sub-section bitmap (which 2 MiB sub-sections of the section
 * are active) and, not modelled bit by bit, the pageblock flags. {@code slabId} is the slab object
 * that holds it; {@code boot} marks usage maps allocated from memblock at boot, which are kept when
 * the section empties.
 */
public final class MemSectionUsage {
    public final long[] subsectionMap;
    public final long slabId;
    public final boolean boot;

    public MemSectionUsage(int subsections, long slabId, boolean boot) {
        this.subsectionMap = new long[(subsections + 63) / 64];
        this.slabId = slabId;
        this.boot = boot;
    }

    private MemSectionUsage(long[] map, long slabId, boolean boot) {
        this.subsectionMap = map;
        this.slabId = slabId;
        this.boot = boot;
    }

    public boolean empty() {
        for (long w : subsectionMap) {
            if (w != 0) {
                return false;
            }
        }
        return true;
    }

    public boolean test(int bit) {
        return (subsectionMap[bit >>> 6] & (1L << (bit & 63))) != 0;
    }

    public int cardinality() {
        int n = 0;
        for (long w : subsectionMap) {
            n += Long.bitCount(w);
        }
        return n;
    }

    public MemSectionUsage copy() {
        return new MemSectionUsage(subsectionMap.clone(), slabId, boot);
    }

    public boolean sameState(MemSectionUsage o) {
        return o != null && boot == o.boot && Arrays.equals(subsectionMap, o.subsectionMap);
    }
}
