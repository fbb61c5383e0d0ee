package org.vmemsim.check;

import org.vmemsim.arch.Geometry;
import org.vmemsim.kernel.Kernel;
import org.vmemsim.mm.memremap.DevPagemap;
import org.vmemsim.util.U64;

/**
 * Finds what a failed hot-add left behind: the sub-sections of its range that became active during
 * the step. The kernel's {@code pagemap_range} does not remove the sections {@code __add_pages}
 * added before a later one failed (hazard H7); the fuzzer records them, with the altmap pool their
 * memmap may sit in, so the invariants accept them as the kernel's leak and not the model's.
 */
final class LeakProbe {
    private LeakProbe() {}

    /** Bit i set: the i-th sub-section of the range is active; null when the range is not whole sub-sections. */
    static long[] active(Kernel k, long start, long size) {
        Geometry g = k.g;
        long sub = g.pagesPerSubsection << g.pageShift;
        if (size == 0 || U64.endOverflows(start, size) || !U64.isAligned(start, sub) || !U64.isAligned(size, sub)) {
            return null;
        }
        long startPfn = start >>> g.pageShift;
        long n = (size >>> g.pageShift) / g.pagesPerSubsection;
        long[] bits = new long[(int) ((n + 63) / 64)];
        for (long i = 0; i < n; i++) {
            if (k.sparse.subsectionActive(startPfn + i * g.pagesPerSubsection)) {
                bits[(int) (i >>> 6)] |= 1L << (i & 63);
            }
        }
        return bits;
    }

    /**
     * After a failed step over {@code [start, start + size)}: when sub-sections became active, tells
     * the world they leaked (from the range start to the last new one), with {@code pool}.
     */
    static void report(FuzzWorld w, String id, long start, long size, long[] before, Pool pool) {
        report(w, id, start, size, before, pool, null);
    }

    /** As above, with the pgmap whose (possibly deduplicated) memmap the leaked sections keep. */
    static void report(FuzzWorld w, String id, long start, long size, long[] before, Pool pool, DevPagemap pgmap) {
        if (before == null) {
            return;
        }
        long[] after = active(w.k, start, size);
        long lastNew = -1;
        for (int i = 0; i < after.length; i++) {
            long fresh = after[i] & ~before[i];
            if (fresh != 0) {
                lastNew = i * 64L + 63 - Long.numberOfLeadingZeros(fresh);
            }
        }
        if (lastNew >= 0) {
            long startPfn = start >>> w.g.pageShift;
            long endPfn = startPfn + (lastNew + 1) * w.g.pagesPerSubsection;
            w.leaked(new FuzzWorld.Leak(id, startPfn, endPfn, pool, pgmap));
        }
    }
}
