package org.vmemsim.scenario;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.vmemsim.kernel.MachineSpec;

/**
 * The outcome of a whole scenario: per run the machine and its boot and final accounting, every
 * step's {@link StepRecord}, the cost of each successful hot-add (the change its step made), and
 * the expectation failures. {@link #json()} is the {@code --json} report; {@link ScenarioText}
 * renders the text report. Both are deterministic.
 */
public final class ScenarioResult {
    /** One run's machine and its accounting at boot and at the end. */
    public record RunResult(String name, int index, MachineSpec spec, Map<String, Object> machine,
                            Map<String, Object> bootAccounting, Map<String, Object> bootMeminfo,
                            Map<String, Object> endAccounting) {}

    public final Scenario scenario;
    public final List<RunResult> runs;
    public final List<StepRecord> steps;
    public final Set<ScenarioRunner.View> views;

    ScenarioResult(Scenario scenario, List<RunResult> runs, List<StepRecord> steps, Set<ScenarioRunner.View> views) {
        this.scenario = scenario;
        this.runs = List.copyOf(runs);
        this.steps = List.copyOf(steps);
        this.views = views;
    }

    /** Every expectation failure, one line each, in step order. */
    public List<String> failures() {
        List<String> out = new ArrayList<>();
        for (StepRecord r : steps) {
            out.addAll(r.outcome.failures());
        }
        return out;
    }

    /** True when no expectation failed. */
    public boolean passed() {
        return failures().isEmpty();
    }

    /**
     * The cost of each successful add step, read as the change it made: RAM used (memmap and page
     * tables), device memory used as memmap, the altmap's counters, and the device bytes left for data.
     */
    public List<Map<String, Object>> costs() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (StepRecord r : steps) {
            String id = r.step.adds();
            if (id == null || !r.outcome.isOk() || r.step.kind() != StepType.Kind.ACTION) {
                continue;
            }
            id = ScenarioRunner.addedId(r.outcome, id);
            String altmapId = r.outcome.details().get("device") instanceof String d ? d : id;
            RunResult run = runs.get(r.runIndex);
            long page = run.spec().granule.pageSize();
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("label", r.step.label() != null ? r.step.label() : r.run + " " + id);
            c.put("run", r.run);
            c.put("path", r.step.path());
            c.put("id", id);
            c.put("granule", run.machine().get("granule"));
            c.put("device", r.step.summary());
            c.put("device_bytes", r.outcome.details().get("device_bytes"));
            c.put("ram_used_bytes", -num(r.delta, "ram_free_bytes"));
            c.put("memmap_ram_bytes", num(r.delta, "memmap_ram_bytes"));
            long vm = num(r.delta, "pgtable_pages.vmemmap");
            long lin = num(r.delta, "pgtable_pages.linear");
            c.put("vmemmap_table_pages", vm);
            c.put("vmemmap_table_bytes", vm * page);
            c.put("linear_table_pages", lin);
            c.put("linear_table_bytes", lin * page);
            c.put("device_memmap_bytes", num(r.delta, "memmap_altmap_bytes"));
            c.put("altmap", ExpectStep.lookup(r.accounting.get("altmaps"), altmapId));
            c.put("data_bytes", r.outcome.details().get("data_bytes"));
            c.put("slab_bytes", num(r.delta, "slab_bytes"));
            out.add(c);
        }
        return out;
    }

    /** Per run: RAM free at boot and at the end, and slab bytes the kernel kept. */
    public List<Map<String, Object>> ends() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (RunResult run : runs) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("run", run.name());
            long boot = num(run.bootAccounting(), "ram_free_bytes");
            long end = num(run.endAccounting(), "ram_free_bytes");
            e.put("ram_free_bytes_boot", boot);
            e.put("ram_free_bytes_end", end);
            e.put("ram_free_back_to_boot", boot == end);
            e.put("slab_bytes_kept", num(run.endAccounting(), "slab_bytes") - num(run.bootAccounting(), "slab_bytes"));
            e.put("altmaps_left", ((List<?>) run.endAccounting().get("altmaps")).size());
            out.add(e);
        }
        return out;
    }

    static long num(Map<String, Object> m, String path) {
        Object v = ExpectStep.lookup(m, path);
        return v instanceof Number n ? n.longValue() : 0;
    }

    /** The {@code --json} report: one object with {@code scenario}, {@code runs}, {@code steps} and {@code summary}. */
    public Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        Map<String, Object> sc = new LinkedHashMap<>();
        sc.put("name", scenario.name());
        sc.put("source", scenario.source());
        sc.put("description", scenario.description());
        m.put("scenario", sc);
        List<Map<String, Object>> rs = new ArrayList<>();
        for (RunResult run : runs) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("name", run.name());
            r.put("machine", run.machine());
            r.put("description", run.spec().describe());
            Map<String, Object> boot = new LinkedHashMap<>();
            boot.put("meminfo", run.bootMeminfo());
            boot.put("accounting", run.bootAccounting());
            r.put("boot", boot);
            rs.add(r);
        }
        m.put("runs", rs);
        List<Map<String, Object>> st = new ArrayList<>();
        for (StepRecord r : steps) {
            st.add(r.json());
        }
        m.put("steps", st);
        Map<String, Object> sum = new LinkedHashMap<>();
        sum.put("costs", costs());
        sum.put("ends", ends());
        sum.put("expectations_failed", failures());
        sum.put("passed", passed());
        m.put("summary", sum);
        return m;
    }
}
