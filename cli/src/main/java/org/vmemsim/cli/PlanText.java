package org.vmemsim.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.vmemsim.util.Sz;

/** Text and CSV renderings of plan results: one column per configuration. */
final class PlanText {
    private PlanText() {}

    private record Row(String label, String key, boolean bytes) {}

    private static final List<Row> ROWS = List.of(
            new Row("result", "result", false),
            new Row("memmap lives in", "memmap_location", false),
            new Row("usable size (ndctl)", "usable_bytes", true),
            new Row("memmap in RAM", "memmap_ram_bytes", true),
            new Row("memmap on the device", "memmap_device_bytes", true),
            new Row("page tables (pages)", "pgtable_pages.total", false),
            new Row("  vmemmap by level", "pgtable_pages.vmemmap", false),
            new Row("  linear map by level", "pgtable_pages.linear", false),
            new Row("page tables", "pgtable_bytes", true),
            new Row("section metadata (slab)", "section_metadata_bytes", true),
            new Row("altmap reserve", "altmap.reserve_bytes", true),
            new Row("altmap alloc (pfns)", "altmap.alloc", false),
            new Row("altmap align waste", "altmap.align_waste_bytes", true),
            new Row("altmap unused pool", "altmap.unused_pool_bytes", true),
            new Row("data offset", "data_offset_bytes", true),
            new Row("RAM cost", "ram_cost_bytes", true));

    @SuppressWarnings("unchecked")
    static Object get(Map<String, Object> m, String path) {
        Object cur = m;
        for (String p : path.split("\\.")) {
            if (!(cur instanceof Map<?, ?> mm)) {
                return null;
            }
            cur = ((Map<String, Object>) mm).get(p);
        }
        return cur;
    }

    private static String cell(Object v, boolean bytes) {
        if (v == null) {
            return "-";
        }
        if (bytes && v instanceof Number n) {
            return n.longValue() + " B (" + Sz.gib(n.longValue()) + ")";
        }
        return String.valueOf(v);
    }

    private static List<String> line(String label, List<Map<String, Object>> results,
            java.util.function.Function<Map<String, Object>, String> f) {
        List<String> l = new ArrayList<>();
        l.add(label);
        for (Map<String, Object> r : results) {
            l.add(f.apply(r));
        }
        return l;
    }

    @SuppressWarnings("unchecked")
    static String table(List<Map<String, Object>> results) {
        StringBuilder sb = new StringBuilder();
        sb.append("Sizes in bytes; GiB/MiB are binary (2^30/2^20).\n");
        int nDev = 0;
        for (Map<String, Object> r : results) {
            nDev = Math.max(nDev, ((List<?>) r.get("devices")).size());
        }
        List<String> header = new ArrayList<>();
        header.add("");
        for (Map<String, Object> r : results) {
            header.add(String.valueOf(r.get("config")));
        }
        List<List<String>> rows = new ArrayList<>();
        rows.add(header);
        rows.add(line("machine", results, r -> {
            String m = String.valueOf(r.get("machine"));
            int ram = m.indexOf(" RAM ");
            return ram < 0 ? m : m.substring(0, ram);
        }));
        rows.add(line("RAM", results, r -> r.get("ram") + (Boolean.TRUE.equals(r.get("ram_default"))
                ? " (default for " + r.get("arch") + ")" : "")));
        rows.add(line("hot-pluggable range", results, r -> r.get("pluggable_range") == null ? "-"
                : String.valueOf(r.get("pluggable_range"))));
        for (int d = 0; d < nDev; d++) {
            List<String> title = new ArrayList<>();
            title.add("device " + d);
            for (Map<String, Object> r : results) {
                List<Map<String, Object>> devs = (List<Map<String, Object>>) r.get("devices");
                title.add(d < devs.size() ? Sz.human((Long) devs.get(d).get("size_bytes")) + " @ " + devs.get(d).get("start")
                        + " map=" + devs.get(d).get("map") : "-");
            }
            rows.add(title);
            for (Row row : ROWS) {
                List<String> line = new ArrayList<>();
                line.add("  " + row.label());
                for (Map<String, Object> r : results) {
                    List<Map<String, Object>> devs = (List<Map<String, Object>>) r.get("devices");
                    line.add(d < devs.size() ? cell(get(devs.get(d), row.key()), row.bytes()) : "-");
                }
                rows.add(line);
            }
            List<String> reason = new ArrayList<>();
            reason.add("  reason");
            boolean any = false;
            for (Map<String, Object> r : results) {
                List<Map<String, Object>> devs = (List<Map<String, Object>>) r.get("devices");
                Object why = d < devs.size() ? devs.get(d).get("reason") : null;
                any |= why != null;
                reason.add(why == null ? "-" : String.valueOf(why));
            }
            if (any) {
                rows.add(reason);
            }
        }
        List<String> total = new ArrayList<>();
        total.add("total RAM cost");
        for (Map<String, Object> r : results) {
            total.add(cell(r.get("ram_cost_bytes"), true));
        }
        rows.add(total);
        int[] w = new int[header.size()];
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                w[i] = Math.max(w[i], row.get(i).length());
            }
        }
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                line.append(String.format("%-" + w[i] + "s", row.get(i)));
                if (i < row.size() - 1) {
                    line.append("  ");
                }
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        return sb.toString();
    }

    @SuppressWarnings("unchecked")
    static String csv(List<Map<String, Object>> results) {
        String[] cols = {"config", "arch", "granule", "va_bits", "kernel", "ram", "device", "size_bytes", "start", "map",
            "mode", "result", "memmap_location", "usable_bytes", "memmap_ram_bytes", "memmap_device_bytes",
            "pgtable_pages.total", "pgtable_bytes", "section_metadata_bytes", "altmap.alloc", "altmap.align",
            "altmap.reserve_bytes", "data_offset_bytes", "ram_cost_bytes", "reason"};
        java.util.Set<String> perConfig = java.util.Set.of("config", "arch", "granule", "va_bits", "kernel", "ram");
        StringBuilder sb = new StringBuilder(String.join(",", cols)).append('\n');
        for (Map<String, Object> r : results) {
            for (Map<String, Object> d : (List<Map<String, Object>>) r.get("devices")) {
                List<String> vals = new ArrayList<>();
                for (String c : cols) {
                    Object v = perConfig.contains(c) ? r.get(c) : get(d, c);
                    String s = v == null ? "" : String.valueOf(v);
                    vals.add(s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s);
                }
                sb.append(String.join(",", vals)).append('\n');
            }
        }
        return sb.toString();
    }
}
