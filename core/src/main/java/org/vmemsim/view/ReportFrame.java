package org.vmemsim.view;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.vmemsim.arch.Geometry;
import org.vmemsim.kernel.Kernel;
import org.vmemsim.mm.memremap.DevPagemap;
import org.vmemsim.mm.phys.PhysRange;
import org.vmemsim.mm.vmemmap.VmemAltmap;

/**
 * What the HTML report shows of the machine after one step, captured from the model's state (so
 * the report can be rendered after the run): physical ranges with their altmap layout, the vmemmap
 * runs by backing, page-table pages per level and purpose, and the accounting map.
 */
public record ReportFrame(String step, String result, List<Range> ranges, List<VmemmapRun> vmemmap,
                          TreeMap<String, Long> vmemmapTables, TreeMap<String, Long> linearTables,
                          Map<String, Object> accounting, long vmemmapStart, long vmemmapEnd, long pageSize) {

    /** A physical range; for a device with an altmap, the pool layout in pfns. */
    public record Range(String name, String kind, long start, long end, long reserve, long alloc, long align,
                        long free, boolean altmap) {}

    /** Consecutive vmemmap bytes with one backing. */
    public record VmemmapRun(long va, long size, String backing) {}

    public static ReportFrame capture(Kernel k, String step, String result) {
        Geometry g = k.g;
        List<Range> ranges = new ArrayList<>();
        for (PhysRange r : k.mm.phys.ranges()) {
            boolean shownAsPgmap = false;
            for (DevPagemap pg : k.memremap.pgmaps().values()) {
                shownAsPgmap |= pg.rangeStart == r.start() && pg.rangeEnd + 1 == r.end();
            }
            if (!shownAsPgmap) {
                ranges.add(new Range(r.name(), r.kind().name(), r.start(), r.end(), 0, 0, 0, 0, false));
            }
        }
        for (DevPagemap pg : k.memremap.pgmaps().values()) {
            VmemAltmap a = pg.pgmapAltmap();
            ranges.add(new Range(pg.id, "ZONE_DEVICE " + pg.type.label, pg.rangeStart, pg.rangeEnd + 1,
                    a == null ? 0 : a.reserve, a == null ? 0 : a.alloc, a == null ? 0 : a.align, a == null ? 0 : a.free,
                    a != null));
        }
        List<VmemmapRun> runs = new ArrayList<>();
        k.mm.pgtable.walkLeaves(g.vmemmapStart, g.vmemmapEnd, (va, count, level, desc, stride) -> {
            long span = g.entrySpan(level);
            for (long i = 0; i < count; i++) {
                String b = Accounting.backing(k, k.mm.fmt.outputAddress(desc + i * stride) & -span);
                long v = va + i * span;
                VmemmapRun last = runs.isEmpty() ? null : runs.get(runs.size() - 1);
                if (last != null && last.backing().equals(b) && last.va() + last.size() == v) {
                    runs.set(runs.size() - 1, new VmemmapRun(last.va(), last.size() + span, b));
                } else {
                    runs.add(new VmemmapRun(v, span, b));
                }
            }
        });
        Accounting.Tables t = Accounting.tables(k);
        return new ReportFrame(step, result, ranges, runs, t.vmemmapByLevel(), t.linearByLevel(), Accounting.of(k),
                g.vmemmapStart, g.vmemmapEnd, g.pageSize);
    }
}
