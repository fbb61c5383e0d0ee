package org.vmemsim.arch.arm64.mm;

import it.unimi.dsi.fastutil.ints.IntArrayList;
import it.unimi.dsi.fastutil.longs.LongArrayList;
import it.unimi.dsi.fastutil.objects.Object2IntOpenHashMap;
import java.util.ArrayList;
import java.util.List;

/**
 * The log of pages freed by the remove paths of {@link Arm64Mmu}. The hot-remove of 64 TiB frees
 * a million memmap pages one by one, mostly in ascending pfn order, so the log stores runs:
 * {@code count} records of {@code nrPages} each, the first at {@code pfn}, each next one starting
 * where the previous ended, with the same destination. {@link #drain()} expands the runs, so it
 * returns exactly the records that were added, one per freed page or block, in order.
 */
final class FreedLog {
    private final LongArrayList runPfn = new LongArrayList();
    private final LongArrayList runNr = new LongArrayList();
    private final LongArrayList runCount = new LongArrayList();
    private final IntArrayList runTo = new IntArrayList();
    private final List<String> labels = new ArrayList<>();
    private final Object2IntOpenHashMap<String> labelIndex = new Object2IntOpenHashMap<>();
    private long records;

    FreedLog() {
        labelIndex.defaultReturnValue(-1);
    }

    void add(long pfn, long nr, String destination) {
        int to = labelIndex.getInt(destination);
        if (to < 0) {
            to = labels.size();
            labels.add(destination);
            labelIndex.put(destination, to);
        }
        records++;
        int last = runPfn.size() - 1;
        if (last >= 0 && runTo.getInt(last) == to && runNr.getLong(last) == nr
                && runPfn.getLong(last) + runCount.getLong(last) * nr == pfn) {
            runCount.set(last, runCount.getLong(last) + 1);
            return;
        }
        runPfn.add(pfn);
        runNr.add(nr);
        runCount.add(1);
        runTo.add(to);
    }

    /** The records since the last drain, oldest first; empties the log. */
    List<Arm64Mmu.Freed> drain() {
        List<Arm64Mmu.Freed> out = new ArrayList<>((int) Math.min(records, Integer.MAX_VALUE - 8));
        for (int r = 0; r < runPfn.size(); r++) {
            long nr = runNr.getLong(r);
            String to = labels.get(runTo.getInt(r));
            for (long i = 0; i < runCount.getLong(r); i++) {
                out.add(new Arm64Mmu.Freed(runPfn.getLong(r) + i * nr, nr, to));
            }
        }
        runPfn.clear();
        runNr.clear();
        runCount.clear();
        runTo.clear();
        records = 0;
        return out;
    }
}
