package org.vmemsim.mm.alloc;

/**
 * {@code struct zone}: the buddy free lists of one zone of one node, and its page counts. Free
 * lists are ordered by pfn (the kernel's lists are LIFO); counts and merging are exact, only the
 * choice among equal free blocks differs, and vmemsim always takes the lowest pfn so runs are
 * deterministic.
 */
public final class Zone {
    public final int nid;
    public final ZoneType type;
    final FreeArea[] freeArea;
    long nrFree;
    /** managed_pages: pages handed to the buddy allocator. */
    long managed;
    /** present_pages: pages physically present (managed + reserved/self-hosted). */
    long present;
    long spanStart = Long.MAX_VALUE;
    long spanEnd = 0;

    Zone(int nid, ZoneType type, int maxOrder) {
        this.nid = nid;
        this.type = type;
        this.freeArea = new FreeArea[maxOrder + 1];
        for (int i = 0; i <= maxOrder; i++) {
            freeArea[i] = new FreeArea(i);
        }
    }

    public long nrFree() {
        return nrFree;
    }

    public long managed() {
        return managed;
    }

    public long present() {
        return present;
    }

    public long spanStart() {
        return spanStart == Long.MAX_VALUE ? 0 : spanStart;
    }

    public long spanEnd() {
        return spanEnd;
    }

    /** Number of free blocks of {@code order}. */
    public int freeBlocks(int order) {
        return (int) freeArea[order].size();
    }

    public int maxOrder() {
        return freeArea.length - 1;
    }

    void span(long startPfn, long endPfn) {
        spanStart = Math.min(spanStart, startPfn);
        spanEnd = Math.max(spanEnd, endPfn);
    }

    /**
     * Sets the span to {@code [startPfn, endPfn)} after pages left the zone; an empty range
     * ({@code startPfn == endPfn}) makes the zone span nothing, as a zone that never had pages.
     *
     * @kernel mm/memory_hotplug.c: shrink_zone_span
     */
    public void resetSpan(long startPfn, long endPfn) {
        if (startPfn == endPfn) {
            spanStart = Long.MAX_VALUE;
            spanEnd = 0;
        } else {
            spanStart = startPfn;
            spanEnd = endPfn;
        }
    }

    /** True when the zone spans no pfn (zone_is_empty). */
    public boolean spanEmpty() {
        return spanEnd == 0 && spanStart == Long.MAX_VALUE;
    }

    public void adjustPresent(long delta) {
        present += delta;
    }

    Zone copy() {
        Zone z = new Zone(nid, type, freeArea.length - 1);
        for (int i = 0; i < freeArea.length; i++) {
            z.freeArea[i] = freeArea[i].copy();
        }
        z.nrFree = nrFree;
        z.managed = managed;
        z.present = present;
        z.spanStart = spanStart;
        z.spanEnd = spanEnd;
        return z;
    }

    boolean sameState(Zone o) {
        if (nrFree != o.nrFree || managed != o.managed || present != o.present || spanStart != o.spanStart
                || spanEnd != o.spanEnd) {
            return false;
        }
        for (int i = 0; i < freeArea.length; i++) {
            if (!freeArea[i].sameContents(o.freeArea[i])) {
                return false;
            }
        }
        return true;
    }
}
