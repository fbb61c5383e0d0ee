package org.vmemsim.check;

import java.util.List;
import org.vmemsim.mm.alloc.PageAlloc;

/**
 * No frame is both free in the buddy allocator and in use: neither a page-table page nor the RAM
 * backing of a vmemmap leaf may lie on a free list, and no page of a live altmap pool may be
 * known to the buddy allocator at all (I1).
 *
 * <p>In a scoped check, a frame that is a live buddy allocation of its own is not looked up on the
 * free lists (the full check does, and it also checks allocations against free lists through
 * {@link RamAccounting}); neither are altmap-backed leaves, whose pool is checked as a whole.
 */
public final class FrameSingleUse implements Invariant {
    public static final String NAME = "frame-single-use";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "no page-table frame, RAM memmap backing or altmap pool page is free in the buddy allocator (I1)";
    }

    @Override
    public void check(CheckContext c, List<Violation> out) {
        PageAlloc buddy = c.k.mm.buddy;
        Tables t = c.tables();
        boolean thorough = c.isFull();
        for (int i = 0; i < t.size(); i++) {
            long pfn = t.pfn.getLong(i);
            if ((thorough || buddy.allocation(pfn) == null) && buddy.isFree(pfn)) {
                out.add(new Violation(NAME, pfn, String.format(
                        "page-table page pfn 0x%x (level %d, window 0x%016x) is on a buddy free list", pfn,
                        t.level.getLong(i), t.window.getLong(i))));
            }
        }
        CheckContext.Leaves l = c.leaves();
        for (int i = 0; i < l.size(); i++) {
            long pfn = l.pa.getLong(i) >>> c.g.pageShift;
            long last = pfn + l.nrPages.getLong(i) - 1;
            if (!thorough && (buddy.allocation(pfn) != null || c.poolOf(pfn) != null)) {
                continue;
            }
            if (buddy.isFree(pfn) || buddy.isFree(last)) {
                out.add(new Violation(NAME, pfn, String.format(
                        "memmap backing pfn 0x%x-0x%x of vmemmap 0x%016x is on a buddy free list", pfn, last, l.va.getLong(i))));
            }
        }
        for (Pool p : c.pools()) {
            if (!c.intersectsScope(p.startPfn(), p.endPfn())) {
                continue;
            }
            long last = p.endPfn() - 1;
            if (p.startPfn() != p.endPfn() && (buddy.isFree(p.startPfn()) || buddy.isFree(last)
                    || buddy.allocation(p.startPfn()) != null)) {
                out.add(new Violation(NAME, p.startPfn(), String.format(
                        "altmap pool of %s [0x%x, 0x%x) is known to the buddy allocator (I1)", p.owner(), p.startPfn(), p.endPfn())));
            }
        }
    }
}
