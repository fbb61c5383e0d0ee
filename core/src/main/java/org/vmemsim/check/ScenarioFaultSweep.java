package org.vmemsim.check;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.vmemsim.kernel.Kernel;
import org.vmemsim.mm.memremap.DevPagemap;
import org.vmemsim.mm.vmemmap.VmemAltmap;
import org.vmemsim.scenario.AddMemoryStep;
import org.vmemsim.scenario.DaxKmemStep;
import org.vmemsim.scenario.MemremapStep;
import org.vmemsim.scenario.NdctlStep;
import org.vmemsim.scenario.ParsedStep;
import org.vmemsim.scenario.Scenario;
import org.vmemsim.scenario.StepContext;
import org.vmemsim.scenario.StepType;

/**
 * Systematic fault injection over a scenario: every action step of every run is swept with
 * {@link FaultSweep} on machines that boot the run's machine and replay the steps before it, so
 * each allocation the step makes fails once, in turn. A step that fails even without an injected
 * fault (an error-path example) is reported and not swept.
 */
public final class ScenarioFaultSweep {
    /** One action step: its sweep, or why it was not swept. */
    public record StepSweep(String run, String path, String summary, FaultSweep.Report report, String skipped) {}

    private ScenarioFaultSweep() {}

    public static List<StepSweep> sweep(Scenario s, FaultSweep.Selection selection, Consumer<String> progress) {
        List<StepSweep> out = new ArrayList<>();
        for (Scenario.Run run : s.runs()) {
            for (int j = 0; j < run.steps().size(); j++) {
                ParsedStep<?> step = run.steps().get(j);
                if (step.kind() != StepType.Kind.ACTION) {
                    continue;
                }
                progress.accept(run.name() + " " + step.path() + " " + step.name() + " " + step.summary());
                Map<Kernel, Map<String, long[]>> ranges = new IdentityHashMap<>();
                int prefix = j;
                Supplier<Kernel> machine = () -> replay(run, prefix, ranges);
                FaultSweep.Operation op = operation(run, step, ranges);
                try {
                    out.add(new StepSweep(run.name(), step.path(), step.name() + " " + step.summary(),
                            FaultSweep.sweep(machine, op, selection), null));
                } catch (IllegalArgumentException e) {
                    out.add(new StepSweep(run.name(), step.path(), step.name() + " " + step.summary(), null, e.getMessage()));
                }
            }
        }
        return out;
    }

    /** Boots the run's machine and applies its action steps before {@code upTo} (checks and fail_alloc skipped). */
    private static Kernel replay(Scenario.Run run, int upTo, Map<Kernel, Map<String, long[]>> ranges) {
        Kernel k = Kernel.boot(run.machine());
        Map<String, long[]> r = new HashMap<>();
        ranges.put(k, r);
        for (int i = 0; i < upTo; i++) {
            ParsedStep<?> p = run.steps().get(i);
            if (p.kind() == StepType.Kind.ACTION) {
                p.apply(StepContext.forAction(k, run.name(), p.path(), r));
                k.faults.reset();
            }
        }
        return k;
    }

    private static FaultSweep.Operation operation(Scenario.Run run, ParsedStep<?> step, Map<Kernel, Map<String, long[]>> ranges) {
        Object a = step.args();
        long[] range = {0, 0}; // bytes {start, size} of what the step adds, when it adds memory
        if (a instanceof MemremapStep.Memremap m) {
            range = new long[] {m.start(), m.size()};
        } else if (a instanceof AddMemoryStep.AddMemory m) {
            range = new long[] {m.start(), m.size()};
        } else if (a instanceof DaxKmemStep.DaxKmem m) {
            range = new long[] {m.start(), m.size()};
        }
        long[] fixed = range;
        // a namespace's range, altmap and pgmap are the driver's layout, as FaultSweep's own op has them
        FaultSweep.Operation namespace = a instanceof NdctlStep.Ndctl n && n.destroy() == null
                ? FaultSweep.createNamespace(n.region(), n.size(), n.dax(), n.map(), n.align()) : null;
        return new FaultSweep.Operation() {
            @Override
            public String describe() {
                return step.name() + " " + step.summary();
            }

            @Override
            public int run(Kernel k) {
                return step.apply(StepContext.forAction(k, run.name(), step.path(), ranges.get(k))).ret();
            }

            @Override
            public long startPfn(Kernel k) {
                return namespace != null ? namespace.startPfn(k) : fixed[0] >>> k.g.pageShift;
            }

            @Override
            public long nrPages(Kernel k) {
                return namespace != null ? namespace.nrPages(k) : fixed[1] >>> k.g.pageShift;
            }

            @Override
            public VmemAltmap altmap(Kernel k) {
                if (a instanceof MemremapStep.Memremap m && m.altmap() != null) {
                    long base = m.start() >>> k.g.pageShift;
                    long nr = m.size() >>> k.g.pageShift;
                    long free = m.altmap().auto() ? k.autoAltmapFree(nr, m.altmap().reserve()) : m.altmap().free();
                    return new VmemAltmap(m.id(), base, base + nr - 1, m.altmap().reserve(), free);
                }
                return namespace != null ? namespace.altmap(k) : null;
            }

            @Override
            public DevPagemap pgmap(Kernel k) {
                return namespace != null ? namespace.pgmap(k) : null;
            }
        };
    }

    /** One line per step and a total, e.g. for the CLI. */
    public static String text(List<StepSweep> sweeps) {
        StringBuilder sb = new StringBuilder();
        long attempts = 0;
        long failures = 0;
        Map<FaultSweep.Verdict, Integer> total = new java.util.EnumMap<>(FaultSweep.Verdict.class);
        for (StepSweep s : sweeps) {
            sb.append(s.run()).append(' ').append(s.path()).append(' ').append(s.summary()).append('\n');
            if (s.report() == null) {
                sb.append("    not swept: ").append(s.skipped()).append('\n');
                continue;
            }
            FaultSweep.Report r = s.report();
            sb.append(String.format("    %d allocation(s), %d attempt(s):", r.allocations(), r.attempts().size()));
            for (var e : r.counts().entrySet()) {
                sb.append(' ').append(e.getKey()).append(' ').append(e.getValue());
                total.merge(e.getKey(), e.getValue(), Integer::sum);
            }
            sb.append('\n');
            Map<String, Integer> findings = new java.util.TreeMap<>();
            for (FaultSweep.Attempt at : r.attempts()) {
                if (at.finding() != null) {
                    findings.merge(at.finding(), 1, Integer::sum);
                }
            }
            if (!findings.isEmpty()) {
                sb.append("    kernel findings: ").append(findings).append('\n');
            }
            for (FaultSweep.Attempt at : r.failures()) {
                sb.append("    MODEL FAILURE ").append(at).append('\n');
            }
            attempts += r.attempts().size();
            failures += r.failures().size();
        }
        sb.append(String.format("total: %d attempt(s), %s, model failures: %d%n", attempts, total, failures));
        return sb.toString();
    }

    /** The number of model failures over all steps. */
    public static long failures(List<StepSweep> sweeps) {
        return sweeps.stream().filter(s -> s.report() != null).mapToLong(s -> s.report().failures().size()).sum();
    }
}
