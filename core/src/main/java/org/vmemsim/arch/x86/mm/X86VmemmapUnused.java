package org.vmemsim.arch.x86.mm;

import java.util.Map;
import java.util.TreeMap;
import org.vmemsim.arch.Geometry;
import org.vmemsim.util.U64;

/**
 * The partial-PMD bookkeeping of {@code arch/x86/mm/init_64.c}: when a 2 MiB vmemmap block backs the
 * memmap of less than its whole range (sub-section hot-add), the parts nobody uses are filled with the
 * byte {@code PAGE_UNUSED} (0xFD), and the block may be freed on removal only once every byte of it
 * carries that mark. The kernel keeps the marks in the memmap memory itself; vmemsim keeps the set
 * of marked virtual ranges, plus the kernel's one-entry cache {@code unused_pmd_start}, the start of
 * a range that is unused but not yet marked (populating consecutive sections then never marks it).
 *
 * <p>Only the bytes the kernel writes are tracked: {@code __vmemmap_use_sub_pmd} clears the mark of
 * the first struct page of a used range only, as the kernel does.
 */
public final class X86VmemmapUnused {
    private final Geometry g;
    /** Marked ranges, start → end (exclusive); keys are kernel VAs (one sign half, so signed order works). */
    private final TreeMap<Long, Long> marked = new TreeMap<>();
    /** unused_pmd_start; 0 when none. */
    private long unusedPmdStart;

    public X86VmemmapUnused(Geometry g) {
        this.g = g;
    }

    public long unusedPmdStart() {
        return unusedPmdStart;
    }

    /** memset(start, PAGE_UNUSED, end - start). */
    void mark(long start, long end) {
        if (!U64.lt(start, end)) {
            return;
        }
        long s = start;
        long e = end;
        Map.Entry<Long, Long> before = marked.floorEntry(s);
        if (before != null && before.getValue() >= s) {
            s = before.getKey();
            e = Math.max(e, before.getValue());
            marked.remove(before.getKey());
        }
        Map.Entry<Long, Long> next;
        while ((next = marked.ceilingEntry(s)) != null && next.getKey() <= e) {
            e = Math.max(e, next.getValue());
            marked.remove(next.getKey());
        }
        marked.put(s, e);
    }

    /** Any other write to {@code [start, end)}: the bytes no longer carry the mark. */
    void clear(long start, long end) {
        if (!U64.lt(start, end)) {
            return;
        }
        Map.Entry<Long, Long> before = marked.lowerEntry(start);
        if (before != null && before.getValue() > start) {
            marked.put(before.getKey(), start);
            if (before.getValue() > end) {
                marked.put(end, before.getValue());
            }
        }
        Map.Entry<Long, Long> e;
        while ((e = marked.ceilingEntry(start)) != null && e.getKey() < end) {
            marked.remove(e.getKey());
            if (e.getValue() > end) {
                marked.put(end, e.getValue());
            }
        }
    }

    /** Whether every byte of {@code [start, end)} carries the mark (memchr_inv found nothing). */
    boolean allMarked(long start, long end) {
        Map.Entry<Long, Long> e = marked.floorEntry(start);
        return e != null && e.getValue() >= end;
    }

    /** A PMD block was allocated (its memory holds anything but the mark) or freed. */
    void forgetBlock(long pmdVa) {
        clear(pmdVa, pmdVa + g.pmdSize);
    }

    /** @kernel arch/x86/mm/init_64.c: vmemmap_flush_unused_pmd */
    void vmemmapFlushUnusedPmd() {
        if (unusedPmdStart == 0) {
            return;
        }
        mark(unusedPmdStart, U64.alignUp(unusedPmdStart, g.pmdSize));
        unusedPmdStart = 0;
    }

    /** @kernel arch/x86/mm/init_64.c: vmemmap_pmd_is_unused */
    boolean vmemmapPmdIsUnused(long addr, long end) {
        long start = U64.alignDown(addr, g.pmdSize);
        vmemmapFlushUnusedPmd();
        mark(addr, end);
        return allMarked(start, start + g.pmdSize);
    }

    /** @kernel arch/x86/mm/init_64.c: __vmemmap_use_sub_pmd */
    private void useSubPmdFirstPage(long start) {
        clear(start, start + Geometry.STRUCT_PAGE_SIZE);
    }

    /** @kernel arch/x86/mm/init_64.c: vmemmap_use_sub_pmd */
    void vmemmapUseSubPmd(long start, long end) {
        if (unusedPmdStart == start) {
            unusedPmdStart = U64.isAligned(end, g.pmdSize) ? 0 : end;
            return;
        }
        vmemmapFlushUnusedPmd();
        useSubPmdFirstPage(start);
    }

    /** @kernel arch/x86/mm/init_64.c: vmemmap_use_new_sub_pmd */
    void vmemmapUseNewSubPmd(long start, long end) {
        long page = U64.alignDown(start, g.pmdSize);
        vmemmapFlushUnusedPmd();
        useSubPmdFirstPage(start);
        if (!U64.isAligned(start, g.pmdSize)) {
            mark(page, start);
        }
        if (!U64.isAligned(end, g.pmdSize)) {
            unusedPmdStart = end;
        }
    }
}
