package org.vmemsim.check;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The result of a fuzz campaign: operations run, results by errno, kernel findings by hazard,
 * invariant violations (at most one: the campaign stops and shrinks it) with the reproducer.
 * {@link #text()} depends only on the configuration, so the same seed prints the same bytes;
 * the elapsed time is kept apart ({@link #elapsedNanos}).
 */
public final class FuzzReport {
    /** A kernel finding: how often, and the first occurrence. */
    public record Finding(String name, long count, long firstOp, String firstMessage) {}

    public final FuzzConfig config;
    public long opsRun;
    public long machines;
    public long fullChecks;
    public long injectedFailures;
    public long warnings;
    public long elapsedNanos;
    /** CPU time of the fuzzing thread (0 when the JVM cannot measure it): a busy machine inflates the wall time, not this. */
    public long cpuNanos;
    /** Why the campaign stopped early because no action could be drawn, or null. */
    public String noAction;
    private final TreeMap<String, Long> results = new TreeMap<>();
    private final Map<String, Finding> findings = new LinkedHashMap<>();
    private final List<String> violations = new ArrayList<>();
    private String reproducer;
    private String shrinkNote;

    FuzzReport(FuzzConfig config) {
        this.config = config;
    }

    void count(String result) {
        results.merge(result, 1L, Long::sum);
    }

    void finding(String name, long op, String message) {
        Finding f = findings.get(name);
        findings.put(name, f == null ? new Finding(name, 1, op, message) : new Finding(name, f.count() + 1, f.firstOp(), f.firstMessage()));
    }

    void violation(long op, StepRunner.Result r) {
        violations.add("op " + op + ": [" + r.key() + "] " + r.message());
    }

    void reproducer(int originalSteps, Shrinker.Outcome s, String yaml) {
        this.reproducer = yaml;
        this.shrinkNote = "shrunk from " + originalSteps + " to " + s.steps().size() + " step(s) in " + s.replays() + " replays";
    }

    public Map<String, Long> results() {
        return java.util.Collections.unmodifiableMap(results);
    }

    public List<Finding> findings() {
        return List.copyOf(findings.values());
    }

    public List<String> violations() {
        return List.copyOf(violations);
    }

    /** The ready-to-run scenario of the shrunk failing sequence, or null. */
    public String reproducer() {
        return reproducer;
    }

    public double opsPerSecond() {
        return elapsedNanos == 0 ? 0 : opsRun * 1e9 / elapsedNanos;
    }

    /** Operations per second of the fuzzing thread's CPU time. */
    public double opsPerCpuSecond() {
        return cpuNanos <= 0 ? 0 : opsRun * 1e9 / cpuNanos;
    }

    public String text() {
        StringBuilder sb = new StringBuilder();
        sb.append("vmemsim fuzz: seed ").append(config.seed()).append(", ").append(config.spec().describe());
        if (config.failRate() > 0) {
            sb.append(", fail-rate ").append(config.failRate());
        }
        sb.append('\n');
        line(sb, "ops run", opsRun + " of " + config.ops());
        line(sb, "machines booted", Long.toString(machines));
        if (noAction != null) {
            line(sb, "stopped", "no applicable action (" + noAction + ")");
        }
        StringBuilder res = new StringBuilder();
        for (var e : results.entrySet()) {
            res.append(res.length() == 0 ? "" : ", ").append(e.getKey()).append(' ').append(e.getValue());
        }
        line(sb, "results", res.length() == 0 ? "none" : res.toString());
        if (config.failRate() > 0) {
            line(sb, "injected failures", injectedFailures + " step(s) failed with an injected allocation failure");
        }
        line(sb, "invariant checks", opsRun + " (" + fullChecks + " over the whole model)");
        line(sb, "invariant violations", Integer.toString(violations.size()));
        long total = 0;
        for (Finding f : findings.values()) {
            total += f.count();
        }
        line(sb, "kernel findings", Long.toString(total));
        for (Finding f : findings.values()) {
            sb.append("  ").append(f.name()).append(" x").append(f.count()).append(", first at op ").append(f.firstOp())
                    .append(": ").append(f.firstMessage()).append('\n');
        }
        line(sb, "kernel warnings", Long.toString(warnings));
        for (String v : violations) {
            sb.append("VIOLATION ").append(v).append('\n');
        }
        if (reproducer != null) {
            sb.append(shrinkNote).append(":\n").append(reproducer);
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, String key, String value) {
        sb.append(String.format("%-21s %s", key + ":", value)).append('\n');
    }
}
