package org.vmemsim.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vmemsim.plan.Sweep;
import org.vmemsim.util.Sz;

/**
 * The renderings of a sweep: CSV (one row per point, {@link Sweep#COLUMNS}), JSON (the grid, the
 * skipped combinations and every point with its per-level page-table counts) and the short text
 * summary (one line per series). All three depend only on the results, in point order, so two runs
 * of the same grid print the same bytes.
 */
final class SweepOutput {
    private SweepOutput() {}

    /** RFC 4180 CSV with a header; numbers in bytes or pages, empty cells for figures not produced. */
    static String csv(List<Sweep.Result> results) {
        StringBuilder sb = new StringBuilder(String.join(",", Sweep.COLUMNS)).append('\n');
        for (Sweep.Result r : results) {
            Map<String, Object> row = Sweep.row(r);
            StringBuilder line = new StringBuilder();
            for (String c : Sweep.COLUMNS) {
                if (line.length() > 0) {
                    line.append(',');
                }
                line.append(csvCell(row.get(c)));
            }
            sb.append(line).append('\n');
        }
        return sb.toString();
    }

    private static String csvCell(Object v) {
        if (v == null) {
            return "";
        }
        String s = String.valueOf(v);
        if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }

    /** The whole sweep as one JSON document. */
    static String json(Sweep.Grid grid, Sweep.Expansion ex, List<Sweep.Result> results) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("grid", gridMap(grid));
        root.put("points_total", results.size());
        root.put("skipped", ex.skipped());
        List<Map<String, Object>> pts = new ArrayList<>();
        for (Sweep.Result r : results) {
            Map<String, Object> row = Sweep.row(r);
            Map<String, Object> dev = r.device();
            row.put("pgtable_pages_by_level", dev.get("pgtable_pages"));
            row.put("altmap", dev.get("altmap"));
            row.put("machine", r.plan().get("machine"));
            pts.add(row);
        }
        root.put("points", pts);
        return JsonOut.pretty(root);
    }

    static Map<String, Object> gridMap(Sweep.Grid g) {
        Map<String, Object> m = new LinkedHashMap<>();
        List<String> ar = new ArrayList<>();
        g.archs().forEach(x -> ar.add(x.label()));
        m.put("archs", ar);
        m.put("sizes_bytes", g.sizes());
        List<Object> gr = new ArrayList<>();
        if (g.granules() == null || g.granules().isEmpty()) {
            gr.add("each arch's own");
        } else {
            g.granules().forEach(x -> gr.add(x.label()));
        }
        m.put("granules", gr);
        m.put("maps", g.maps());
        List<String> k = new ArrayList<>();
        g.kernels().forEach(x -> k.add(x.label));
        m.put("kernels", k);
        m.put("rodata_full", g.rodataFull());
        List<Object> va = new ArrayList<>();
        g.vaBits().forEach(x -> va.add(x == null ? "default" : x));
        m.put("va_bits", va);
        m.put("modes", g.modes());
        m.put("ram", g.ramBytes() > 0 ? g.ramBytes() : "max(4 GiB, device size / 16), a power of two");
        return m;
    }

    /**
     * One line per series: points that succeeded, the RAM cost at the smallest and at the largest
     * successful size, and at that largest size where the memmap lives and what the device keeps
     * for data; then every point that did not succeed, with the reason.
     */
    static String summary(Sweep.Expansion ex, List<Sweep.Result> results) {
        Map<String, List<Sweep.Result>> bySeries = new LinkedHashMap<>();
        for (Sweep.Result r : results) {
            bySeries.computeIfAbsent(r.point().series(), s -> new ArrayList<>()).add(r);
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"series", "ok", "smallest", "RAM cost", "largest ok", "RAM cost", "memmap in RAM",
            "memmap on device", "usable"});
        List<String> failures = new ArrayList<>();
        for (var e : bySeries.entrySet()) {
            Sweep.Result first = null;
            Sweep.Result last = null;
            int ok = 0;
            for (Sweep.Result r : e.getValue()) {
                if (r.result().equals("ok")) {
                    ok++;
                    first = first == null ? r : first;
                    last = r;
                } else {
                    Object reason = Sweep.row(r).get("reason");
                    failures.add(e.getKey() + " size=" + Sz.human(r.point().size()) + ": " + r.result()
                            + (reason == null ? "" : " (" + reason + ")"));
                }
            }
            rows.add(new String[] {e.getKey(), ok + "/" + e.getValue().size(),
                first == null ? "-" : Sz.human(first.point().size()), bytes(first, "ram_cost_bytes"),
                last == null ? "-" : Sz.human(last.point().size()), bytes(last, "ram_cost_bytes"),
                bytes(last, "memmap_ram_bytes"), bytes(last, "memmap_device_bytes"), bytes(last, "usable_bytes")});
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("vmemsim sweep: %d points in %d series; sizes in binary units (GiB = 2^30 bytes)\n",
                results.size(), bySeries.size()));
        sb.append(Text.table(rows));
        if (!failures.isEmpty()) {
            sb.append(String.format("\nnot ok (%d):\n", failures.size()));
            failures.forEach(f -> sb.append("  ").append(f).append('\n'));
        }
        if (!ex.skipped().isEmpty()) {
            sb.append(String.format("\nskipped combinations (%d):\n", ex.skipped().size()));
            ex.skipped().forEach(s -> sb.append("  ").append(s).append('\n'));
        }
        return sb.toString();
    }

    private static String bytes(Sweep.Result r, String key) {
        if (r == null) {
            return "-";
        }
        long v = r.figure(key);
        return v < 0 ? "-" : Sz.gib(v);
    }

    /** Plain left-aligned columns separated by two spaces. */
    static final class Text {
        private Text() {}

        static String table(List<String[]> rows) {
            int cols = rows.get(0).length;
            int[] w = new int[cols];
            for (String[] r : rows) {
                for (int i = 0; i < cols; i++) {
                    w[i] = Math.max(w[i], r[i].length());
                }
            }
            StringBuilder sb = new StringBuilder();
            for (String[] r : rows) {
                StringBuilder line = new StringBuilder();
                for (int i = 0; i < cols; i++) {
                    line.append(i == 0 ? "" : "  ").append(String.format("%-" + w[i] + "s", r[i]));
                }
                sb.append(line.toString().stripTrailing()).append('\n');
            }
            return sb.toString();
        }
    }
}
