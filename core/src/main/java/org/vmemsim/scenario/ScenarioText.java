package org.vmemsim.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.vmemsim.util.Sz;

/**
 * The text report of a scenario: per run a header and one line per step (result and key figures,
 * with indented lines for kernel errors, WARNs, kept items, altmap counters and failed
 * expectations), then a side-by-side table of what each hot-add cost, then RAM at the end of
 * each run against its boot figure.
 */
public final class ScenarioText {
    private static final int STEP_WIDTH = 58;

    private ScenarioText() {}

    public static String render(ScenarioResult r) {
        StringBuilder sb = new StringBuilder();
        sb.append("# scenario: ").append(r.scenario.name()).append('\n');
        for (String l : r.scenario.description().strip().split("\\R")) {
            if (!l.isBlank()) {
                sb.append("#   ").append(l.strip()).append('\n');
            }
        }
        for (ScenarioResult.RunResult run : r.runs) {
            sb.append('\n').append("## run ").append(run.name()).append(": ").append(run.spec().describe()).append('\n');
            sb.append(String.format(Locale.ROOT, "%4s %-" + STEP_WIDTH + "s %-9s %s%n", "", "boot", "ok",
                    figures(run.bootAccounting(), null)));
            for (StepRecord s : r.steps) {
                if (s.runIndex == run.index()) {
                    step(sb, s);
                }
            }
        }
        costTable(sb, r.costs());
        ends(sb, r);
        List<String> failures = r.failures();
        sb.append('\n').append(failures.isEmpty() ? "all expectations held"
                : failures.size() + " expectation(s) failed").append('\n');
        return sb.toString();
    }

    private static void step(StringBuilder sb, StepRecord s) {
        String what = s.step.name() + " " + s.step.summary();
        if (what.length() > STEP_WIDTH) {
            what = what.substring(0, STEP_WIDTH - 3) + "...";
        }
        String fig = s.step.kind() == StepType.Kind.ACTION && !s.outcome.result().equals(StepOutcome.SKIPPED)
                ? figures(s.accounting, s.delta) : "";
        sb.append(String.format(Locale.ROOT, "%4d %-" + STEP_WIDTH + "s %-9s %s", s.index, what, s.outcome.result(), fig)
                .stripTrailing()).append('\n');
        String pad = "       ";
        if (s.step.label() != null) {
            sb.append(pad).append("label: ").append(s.step.label()).append('\n');
        }
        if (!s.outcome.isOk() && !s.outcome.result().equals(StepOutcome.FAILED)) {
            String state = s.stateRestored == null ? "" : s.stateRestored ? " (model unchanged)"
                    : " (model changed: " + changes(s.delta) + ")";
            sb.append(pad).append(s.outcome.function().isEmpty() ? "" : s.outcome.function() + ": ")
                    .append(s.outcome.message()).append(state).append('\n');
        }
        for (String w : s.warnings) {
            sb.append(pad).append(w).append('\n');
        }
        Object alt = s.outcome.details().get("altmap");
        if (alt != null && s.outcome.isOk() && s.step.adds() != null) {
            Object a = ExpectStep.lookup(s.accounting.get("altmaps"), s.step.adds());
            if (a instanceof Map<?, ?> m) {
                sb.append(pad).append(String.format(Locale.ROOT,
                        "altmap %s: base_pfn %s end_pfn %s reserve %s free %s alloc %s align %s%n", m.get("id"),
                        m.get("base_pfn"), m.get("end_pfn"), m.get("reserve"), m.get("free"), m.get("alloc"), m.get("align")));
            }
        }
        if (s.kept != null) {
            long before = ((Number) s.kept.get("ram_free_bytes_before_add")).longValue();
            long now = ((Number) s.kept.get("ram_free_bytes_now")).longValue();
            long keptRam = ((Number) s.kept.get("ram_bytes")).longValue();
            sb.append(pad).append("RAM free ");
            if (now == before) {
                sb.append("back to its value before ").append(s.kept.get("added_by"));
            } else {
                sb.append(Sz.gib(Math.abs(before - now))).append(now < before ? " below" : " above")
                        .append(" its value before ").append(s.kept.get("added_by"));
                if (before - now != keptRam) {
                    sb.append(" (").append(Sz.gib(keptRam)).append(" of it kept from that add, the rest by steps since)");
                }
            }
            List<String> lines = KeptPages.lines(s.kept);
            sb.append(lines.isEmpty() ? "; nothing kept" : "; kept:").append('\n');
            for (String l : lines) {
                sb.append(pad).append("  ").append(l).append('\n');
            }
        }
        for (String f : s.outcome.failures()) {
            sb.append(pad).append("FAILED ").append(f).append('\n');
        }
        if (s.meminfo != null) {
            List<String> parts = new ArrayList<>();
            for (var e : s.meminfo.entrySet()) {
                String k = e.getKey();
                parts.add(k.endsWith("_kB") ? k.substring(0, k.length() - 3) + ": " + e.getValue() + " kB" : k + ": " + e.getValue());
            }
            sb.append(pad).append("meminfo: ").append(String.join(", ", parts)).append('\n');
        }
        if (s.accountingText != null) {
            for (String l : s.accountingText.split("\\R")) {
                sb.append(pad).append(l).append('\n');
            }
        }
        if (s.ptdump != null) {
            for (String l : s.ptdump) {
                sb.append(pad).append(l).append('\n');
            }
        }
        for (var v : s.viewTexts.entrySet()) {
            sb.append(pad).append(v.getKey()).append(":\n");
            for (String l : v.getValue()) {
                sb.append(pad).append("  ").append(l).append('\n');
            }
        }
    }

    /** "RAM free 3.93 GiB (-1.13 GiB) | memmap RAM 1.06 GiB, device 0 B | tables vmemmap 5, linear 34885". */
    static String figures(Map<String, Object> acc, Map<String, Object> delta) {
        long free = ScenarioResult.num(acc, "ram_free_bytes");
        String d = "";
        if (delta != null) {
            long df = ScenarioResult.num(delta, "ram_free_bytes");
            d = df == 0 ? " (+0)" : " (" + (df > 0 ? "+" : "-") + Sz.gib(Math.abs(df)) + ")";
        }
        return "RAM free " + Sz.gib(free) + d
                + " | memmap RAM " + Sz.gib(ScenarioResult.num(acc, "memmap_ram_bytes"))
                + ", device " + Sz.gib(ScenarioResult.num(acc, "memmap_altmap_bytes"))
                + " | tables vmemmap " + ScenarioResult.num(acc, "pgtable_pages.vmemmap")
                + ", linear " + ScenarioResult.num(acc, "pgtable_pages.linear");
    }

    /** The non-zero numbers of a delta, flattened: "sections.roots +1, slab_bytes +4096". */
    static String changes(Map<String, Object> delta) {
        List<String> out = new ArrayList<>();
        flatten("", delta, out);
        return out.isEmpty() ? "no figure changed" : String.join(", ", out);
    }

    private static void flatten(String prefix, Map<?, ?> m, List<String> out) {
        for (var e : m.entrySet()) {
            String k = prefix + e.getKey();
            if (e.getValue() instanceof Map<?, ?> sub) {
                flatten(k + ".", sub, out);
            } else if (e.getValue() instanceof Number n && n.longValue() != 0) {
                out.add(k + " " + (n.longValue() > 0 ? "+" : "") + n.longValue());
            }
        }
    }

    private static void costTable(StringBuilder sb, List<Map<String, Object>> costs) {
        if (costs.isEmpty()) {
            return;
        }
        sb.append("\n## what each hot-add cost (the change its step made)\n");
        String[][] rows = {
            {"label", "label"},
            {"device", "device"},
            {"RAM used, total", "ram_used_bytes"},
            {"  memmap (struct pages)", "memmap_ram_bytes"},
            {"  vmemmap page tables", "vmemmap_table_bytes"},
            {"  linear-map page tables", "linear_table_bytes"},
            {"device memory used as memmap", "device_memmap_bytes"},
            {"altmap reserve / free (pfns)", "altmap:reserve/free"},
            {"altmap alloc / align (pfns)", "altmap:alloc/align"},
            {"device memory left for data", "data_bytes"},
            {"slab objects (bytes)", "slab_bytes"},
        };
        List<List<String>> table = new ArrayList<>();
        for (String[] row : rows) {
            List<String> cells = new ArrayList<>();
            cells.add(row[0].equals("label") ? "" : row[0]);
            for (Map<String, Object> c : costs) {
                cells.add(cell(c, row[1]));
            }
            table.add(cells);
        }
        int[] width = new int[costs.size() + 1];
        for (List<String> cells : table) {
            for (int i = 0; i < cells.size(); i++) {
                width[i] = Math.max(width[i], cells.get(i).length());
            }
        }
        for (List<String> cells : table) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-" + width[0] + "s", cells.get(0)));
            for (int i = 1; i < cells.size(); i++) {
                line.append("  ").append(String.format(Locale.ROOT, "%" + width[i] + "s", cells.get(i)));
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
    }

    private static String cell(Map<String, Object> c, String key) {
        if (key.startsWith("altmap:")) {
            Object a = c.get("altmap");
            if (!(a instanceof Map<?, ?> m)) {
                return "-";
            }
            String[] f = key.substring(7).split("/");
            return m.get(f[0]) + " / " + m.get(f[1]);
        }
        Object v = c.get(key);
        if (v == null) {
            return "-";
        }
        if (key.equals("device")) {
            String s = v.toString();
            int alt = s.indexOf(" altmap(");
            int no = s.indexOf(" no altmap");
            int cut = alt >= 0 ? alt : no >= 0 ? no : s.length();
            String id = c.get("id") + " ";
            s = s.substring(0, cut);
            return s.startsWith(id) ? s.substring(id.length()) : s;
        }
        if (v instanceof Number n && key.endsWith("bytes") && !key.equals("slab_bytes")) {
            return Sz.gib(n.longValue());
        }
        return v.toString();
    }

    private static void ends(StringBuilder sb, ScenarioResult r) {
        sb.append("\n## RAM at the end of each run\n");
        for (Map<String, Object> e : r.ends()) {
            long boot = ((Number) e.get("ram_free_bytes_boot")).longValue();
            long end = ((Number) e.get("ram_free_bytes_end")).longValue();
            sb.append(String.format(Locale.ROOT, "%s: RAM free %d B (%s) at boot, %d B (%s) at the end: %s", e.get("run"),
                    boot, Sz.gib(boot), end, Sz.gib(end), boot == end ? "back to the boot figure"
                            : (end < boot ? "down " : "up ") + Sz.gib(Math.abs(boot - end))));
            long slab = ((Number) e.get("slab_bytes_kept")).longValue();
            if (slab != 0) {
                sb.append(String.format(Locale.ROOT, "; slab objects kept: %d B (not counted as RAM free/used)", slab));
            }
            int left = ((Number) e.get("altmaps_left")).intValue();
            if (left != 0) {
                sb.append("; altmaps still present: ").append(left);
            }
            sb.append('\n');
        }
    }
}
