package org.vmemsim.scenario;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.vmemsim.kernel.Kernel;
import org.vmemsim.util.Dmesg;
import org.vmemsim.util.KernelBug;
import org.vmemsim.view.Accounting;
import org.vmemsim.view.Meminfo;
import org.vmemsim.view.MemoryBlocksView;
import org.vmemsim.view.PtdumpView;
import org.vmemsim.view.Views;
import org.vmemsim.view.VmstatView;

/**
 * Runs a {@link Scenario}: boots each run's machine, applies its steps in order and records, per
 * step, the outcome, the kernel log, the accounting and its change. A kernel error is an outcome
 * (the run goes on; an {@code expect} may assert it); a kernel BUG ends the run's kernel actions;
 * a failed expectation is collected and makes {@link ScenarioResult#passed()} false.
 */
public final class ScenarioRunner {
    /** Extra views recorded after every step. */
    public enum View {
        PTDUMP, MEMINFO, ACCOUNTING, IOMEM, LSMEM, MEMORY, VMSTAT, NDCTL, DAXCTL;

        /** The views {@link ViewOutputs} renders (recorded in {@link StepRecord#views}). */
        public boolean generic() {
            return ordinal() > ACCOUNTING.ordinal();
        }

        public static View parse(String s) {
            for (View v : values()) {
                if (v.name().equalsIgnoreCase(s.trim())) {
                    return v;
                }
            }
            throw new IllegalArgumentException("unknown view '" + s + "' (valid: ptdump, meminfo, accounting, iomem, lsmem, memory, vmstat, ndctl, daxctl)");
        }
    }

    /** Called after boot and after every kernel action, e.g. to capture report frames. */
    public interface Observer {
        void afterStep(int runIndex, String runName, String step, String result, Kernel k);
    }

    private final Set<View> views;
    private Observer observer = (ri, name, step, result, k) -> { };

    /** Sets the observer told about boot and every action step. */
    public ScenarioRunner observe(Observer o) {
        this.observer = o;
        return this;
    }

    public ScenarioRunner(Set<View> views) {
        this.views = views.isEmpty() ? EnumSet.noneOf(View.class) : EnumSet.copyOf(views);
    }

    public ScenarioRunner() {
        this(EnumSet.noneOf(View.class));
    }

    /**
     * Runs every run of the scenario.
     *
     * @throws ScenarioException when a run's machine does not boot
     */
    public ScenarioResult run(Scenario s) {
        List<ScenarioResult.RunResult> runs = new ArrayList<>();
        List<StepRecord> records = new ArrayList<>();
        for (int ri = 0; ri < s.runs().size(); ri++) {
            runs.add(runOne(s, ri, records));
        }
        return new ScenarioResult(s, runs, records, views);
    }

    private ScenarioResult.RunResult runOne(Scenario s, int ri, List<StepRecord> records) {
        Scenario.Run run = s.runs().get(ri);
        Kernel k;
        try {
            k = Kernel.boot(run.machine());
        } catch (IllegalArgumentException | KernelBug e) {
            throw new ScenarioException(s.source(), run.machineLine(), Args.join(run.path(), "machine"),
                    "the machine does not boot: " + e.getMessage());
        }
        observer.afterStep(ri, run.name(), "boot", StepOutcome.OK, k);
        Map<String, Object> boot = Accounting.of(k);
        Map<String, Object> bootMeminfo = Meminfo.of(k);
        Map<String, Object> machine = Views.machine(k);
        Map<String, Object> current = boot;
        Map<String, Object> lastDelta = new LinkedHashMap<>();
        StepOutcome lastOutcome = StepOutcome.ok();
        List<String> lastWarnings = List.of();
        Map<String, Object> lastKept = null;
        Map<String, KeptPages.Snapshot[]> adds = new HashMap<>();
        Map<String, String> addPaths = new HashMap<>();
        String deadBecause = null;
        Map<String, long[]> ranges = new HashMap<>();

        for (int i = 0; i < run.steps().size(); i++) {
            ParsedStep<?> step = run.steps().get(i);
            StepRecord.Builder b = new StepRecord.Builder();
            b.index = records.size();
            b.runIndex = ri;
            b.run = run.name();
            b.step = step;
            long mark = k.log.mark();
            Map<String, Object> before = current;
            if (step.kind() == StepType.Kind.CHECK) {
                Map<String, Object> values = values(k, lastOutcome, lastWarnings, lastKept, current, lastDelta, boot);
                b.outcome = step.apply(new StepContext(k, run.name(), step.path(), () -> values));
            } else if (deadBecause != null) {
                b.outcome = StepOutcome.skipped("the kernel hit a BUG at " + deadBecause);
            } else if (step.kind() == StepType.Kind.SETUP) {
                b.outcome = step.apply(new StepContext(k, run.name(), step.path(), Map::of, ranges));
            } else {
                String addId = step.adds();
                KeptPages.Snapshot beforeAdd = addId != null ? KeptPages.Snapshot.take(k) : null;
                try {
                    b.outcome = step.apply(new StepContext(k, run.name(), step.path(), Map::of, ranges));
                } catch (KernelBug bug) {
                    b.outcome = StepOutcome.bug(bug.getMessage());
                    deadBecause = step.path();
                } catch (RuntimeException e) {
                    throw new IllegalStateException("at " + step.path() + " (" + step.name() + "): " + e, e);
                } finally {
                    k.faults.reset();
                }
                current = Accounting.of(k);
                observer.afterStep(ri, run.name(), step.name() + " " + step.summary(), b.outcome.result(), k);
                if (b.outcome.isOk() && addId != null) {
                    String key = addedId(b.outcome, addId);
                    adds.put(key, new KeptPages.Snapshot[] {beforeAdd, KeptPages.Snapshot.take(k)});
                    addPaths.put(key, step.path());
                }
                String removed = step.removes();
                if (b.outcome.isOk() && removed != null && adds.containsKey(removed)) {
                    KeptPages.Snapshot[] snaps = adds.remove(removed);
                    b.kept = KeptPages.report(k, addPaths.remove(removed), snaps[0], snaps[1]);
                }
                if (!b.outcome.isOk()) {
                    b.stateRestored = current.equals(before);
                }
            }
            for (Dmesg.Event e : k.log.since(mark)) {
                b.log.add(e.toString());
                if (e.level() == Dmesg.Level.WARN) {
                    b.warnings.add(e.toString());
                }
            }
            b.accounting = current;
            b.delta = delta(before, current);
            if (step.kind() == StepType.Kind.ACTION) {
                lastOutcome = b.outcome;
                lastWarnings = b.warnings;
                lastKept = b.kept;
                lastDelta = b.delta;
            }
            if (views.contains(View.MEMINFO)) {
                b.meminfo = Meminfo.of(k);
            }
            if (views.contains(View.PTDUMP)) {
                b.ptdump = PtdumpView.lines(k, false);
            }
            if (views.contains(View.ACCOUNTING)) {
                b.accountingText = Views.accountingText(k);
            }
            for (View v : views) {
                if (v.generic()) {
                    b.views.put(v.name().toLowerCase(java.util.Locale.ROOT), ViewOutputs.json(v, k));
                    b.viewTexts.put(v.name().toLowerCase(java.util.Locale.ROOT), ViewOutputs.text(v, k));
                }
            }
            records.add(b.build());
        }
        return new ScenarioResult.RunResult(run.name(), ri, run.machine(), machine, boot, bootMeminfo, current);
    }

    /** The id an add step added: the one the kernel picked (e.g. an ndctl namespace name) if the outcome says so. */
    static String addedId(StepOutcome o, String declared) {
        return o.details().get(NdctlStep.ADDED_ID) instanceof String s ? s : declared;
    }

    /** The values an {@code expect} can name (see {@link StepContext#values()}). */
    private static Map<String, Object> values(Kernel k, StepOutcome last, List<String> warnings, Map<String, Object> kept,
                                              Map<String, Object> acc, Map<String, Object> delta, Map<String, Object> boot) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("result", last.result());
        v.put("function", last.function());
        v.put("message", last.message());
        v.put("warnings", (long) warnings.size());
        v.put("kept", kept == null ? 0L : (long) ((List<?>) kept.get("items")).size());
        v.put("accounting", acc);
        Map<String, Object> altmaps = new LinkedHashMap<>();
        for (Object o : (List<?>) acc.get("altmaps")) {
            Map<?, ?> a = (Map<?, ?>) o;
            altmaps.put(String.valueOf(a.get("id")), a);
        }
        v.put("altmaps", altmaps);
        v.put("meminfo", Meminfo.of(k));
        v.put("delta", delta);
        v.put("since_boot", delta(boot, acc));
        v.put("vmstat", VmstatView.of(k));
        v.put("memory", (Supplier<Object>) () -> MemoryBlocksView.sysfs(k));
        v.put("memmap_on_memory", MemoryBlocksView.vmemmapAccounting(k));
        v.put("namespaces", (Supplier<Object>) () -> ViewOutputs.namespaces(k));
        v.put("dangling_memmap_pages", (Supplier<Object>) () -> MemmapProbe.danglingMemmapPages(k));
        return v;
    }

    /** {@code after - before} for every number present in both (nested maps recursively; lists skipped). */
    static Map<String, Object> delta(Map<String, Object> before, Map<String, Object> after) {
        Map<String, Object> d = new LinkedHashMap<>();
        for (var e : after.entrySet()) {
            Object a = e.getValue();
            Object b = before.get(e.getKey());
            if (a instanceof Number na && b instanceof Number nb) {
                d.put(e.getKey(), na.longValue() - nb.longValue());
            } else if (a instanceof Map<?, ?> ma && b instanceof Map<?, ?> mb) {
                @SuppressWarnings("unchecked")
                Map<String, Object> sub = delta((Map<String, Object>) mb, (Map<String, Object>) ma);
                d.put(e.getKey(), sub);
            } else if (a instanceof Map<?, ?> ma && b == null) {
                @SuppressWarnings("unchecked")
                Map<String, Object> sub = delta(Map.of(), (Map<String, Object>) ma);
                d.put(e.getKey(), sub);
            } else if (a instanceof Number na && b == null) {
                d.put(e.getKey(), na.longValue());
            }
        }
        for (var e : before.entrySet()) {
            if (!after.containsKey(e.getKey()) && e.getValue() instanceof Number nb) {
                d.put(e.getKey(), -nb.longValue());
            }
        }
        return d;
    }
}
