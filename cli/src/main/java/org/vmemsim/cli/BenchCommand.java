package org.vmemsim.cli;

import java.io.PrintWriter;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.vmemsim.arch.Granule;
import org.vmemsim.check.FuzzConfig;
import org.vmemsim.check.FuzzReport;
import org.vmemsim.check.Fuzzer;
import org.vmemsim.kernel.MachineSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vmemsim bench}: times the budgeted scenarios (1 TiB boot, 64 TiB hot-add + hot-remove,
 * cost per vmemmap entry) with {@link System#nanoTime}, a few runs each after warm-up runs, and
 * prints the median against the budget with the heap the runs used. The JMH benchmarks of the
 * bench module measure the same scenarios more carefully; this command is the quick check.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {"Time the budgeted scenarios (boot, hot-plug, cost per vmemmap entry) and check the budgets.",
            "Budgets: boot 2000 ms, hot-add + hot-remove 1000 ms (medians of wall time), 512 MiB of live heap,",
            "fuzz >= 20,000 ops/s with invariants after every op on a 512 MiB machine (thread CPU time)."},
        footer = {"", "Columns: median and cpu are per run (wall clock, and CPU time of the thread);",
            "peak is the most the heap pools held during the timed runs, garbage included;",
            "live is what the model holds at its fullest, after a full GC; gc is GC pause time per run.",
            "Run with VMEMSIM_JAVA_OPTS=-Xmx512m to hold the JVM itself to the heap budget.",
            "", "Examples:",
            "  vmemsim bench",
            "  vmemsim bench --quick --strict",
            "  vmemsim bench --runs 9 --warmup 3"})
public final class BenchCommand extends BaseCommand {
    @Option(names = "--quick", description = "Smaller sizes (64 GiB boot, 4 TiB hot-plug) for CI smoke runs.")
    boolean quick;

    @Option(names = "--strict", description = "Exit 1 when a budget is exceeded (default: report only, exit 0).")
    boolean strict;

    @Option(names = "--runs", paramLabel = "N", description = "Timed runs per scenario (default: 5, quick: 3).")
    Integer runs;

    @Option(names = "--warmup", paramLabel = "N", description = "Untimed warm-up runs per scenario (default: 2, quick: 1).")
    Integer warmup;

    @Option(names = "--boot-budget", paramLabel = "MS", description = "Budget of one boot in ms (default: ${DEFAULT-VALUE}).",
            defaultValue = "2000")
    double bootBudgetMs;

    @Option(names = "--hotplug-budget", paramLabel = "MS", defaultValue = "1000",
            description = "Budget of one hot-add + hot-remove in ms (default: ${DEFAULT-VALUE}).")
    double hotplugBudgetMs;

    /** The figures of one scenario. */
    record Row(String name, double medianMs, double cpuMs, double budgetMs, double peakMiB, double liveMiB, double gcMs) {
        boolean timeOk() {
            return budgetMs <= 0 || medianMs <= budgetMs;
        }

        boolean heapOk() {
            return liveMiB * (1 << 20) <= BenchScenarios.HEAP_BUDGET_BYTES;
        }
    }

    @Override
    protected void validate() {
        if (runs != null && runs < 1) {
            throw new IllegalArgumentException("--runs " + runs + " must be at least 1");
        }
        if (warmup != null && warmup < 0) {
            throw new IllegalArgumentException("--warmup " + warmup + " must not be negative");
        }
        if (!(bootBudgetMs > 0) || !(hotplugBudgetMs > 0)) {
            throw new IllegalArgumentException("budgets must be positive (--boot-budget " + bootBudgetMs
                    + ", --hotplug-budget " + hotplugBudgetMs + ")");
        }
    }

    @Override
    protected ExitCode execute() {
        int n = runs != null ? runs : quick ? 3 : 5;
        int w = warmup != null ? warmup : quick ? 1 : 2;
        PrintWriter o = out();
        o.printf("vmemsim bench%s: Java %s, max heap %d MiB, %d processors; %d warm-up + %d timed runs per scenario%n",
                quick ? " --quick" : "", System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20,
                Runtime.getRuntime().availableProcessors(), w, n);
        o.println();
        o.printf("%-36s %10s %9s %9s %10s %9s %9s  %s%n", "scenario", "median ms", "cpu ms", "budget ms", "peak MiB",
                "live MiB", "gc ms", "result");
        o.flush();
        boolean allOk = true;
        for (BenchScenarios.Scenario s : BenchScenarios.budgeted(quick)) {
            Row r = measure(s, w, n, s.kind() == BenchScenarios.Kind.BOOT ? bootBudgetMs : hotplugBudgetMs);
            allOk &= r.timeOk() && r.heapOk();
            print(o, r);
        }
        int entries = BenchScenarios.perEntryCount(quick);
        List<double[]> perEntry = new ArrayList<>();
        for (Granule g : new Granule[] {Granule.G4K, Granule.G64K}) {
            Row r = measure(BenchScenarios.perEntryModel(g, entries), w, n, 0);
            allOk &= r.heapOk();
            print(o, r);
            perEntry.add(new double[] {r.medianMs() * 1e6 / entries, bareNsPerEntry(g, entries)});
        }
        o.println();
        o.printf("%-20s %16s %16s %8s%n", "per vmemmap entry", "model ns/entry", "bare ns/entry", "ratio");
        String[] labels = {"4K (PMD blocks)", "64K (PTEs)"};
        for (int i = 0; i < perEntry.size(); i++) {
            double[] v = perEntry.get(i);
            o.printf("%-20s %16.1f %16.2f %8.0f%n", labels[i], v[0], v[1], v[0] / v[1]);
        }
        o.println();
        allOk &= fuzzThroughput(o, quick);
        o.println();
        o.println(allOk ? "all budgets met" : "budget exceeded" + (strict ? "" : " (exit 0 without --strict)"));
        o.flush();
        return !allOk && strict ? ExitCode.FAILED : ExitCode.OK;
    }

    private static void print(PrintWriter o, Row r) {
        String result = r.budgetMs() <= 0 ? (r.heapOk() ? "-" : "FAIL (heap)")
                : r.timeOk() && r.heapOk() ? "PASS" : r.timeOk() ? "FAIL (heap)" : "FAIL";
        o.printf("%-36s %10.1f %9.1f %9s %10.1f %9.1f %9.1f  %s%n", r.name(), r.medianMs(), r.cpuMs(),
                r.budgetMs() <= 0 ? "-" : new java.math.BigDecimal(Double.toString(r.budgetMs())).stripTrailingZeros().toPlainString(), r.peakMiB(), r.liveMiB(), r.gcMs(), result);
        o.flush();
    }

    /** Warm-up runs, then timed runs (each on freshly prepared state), then the live-heap probe. */
    static Row measure(BenchScenarios.Scenario s, int warmupRuns, int timedRuns, double budgetMs) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        boolean cpuTime = threads.isCurrentThreadCpuTimeSupported();
        for (int i = 0; i < warmupRuns; i++) {
            s.run(s.prepare());
        }
        double[] wall = new double[timedRuns];
        double[] cpu = new double[timedRuns];
        System.gc();
        resetHeapPeaks();
        long gc0 = gcMillis();
        for (int i = 0; i < timedRuns; i++) {
            Object prepared = s.prepare();
            long c0 = cpuTime ? threads.getCurrentThreadCpuTime() : 0;
            long t0 = System.nanoTime();
            Object result = s.run(prepared);
            long t1 = System.nanoTime();
            long c1 = cpuTime ? threads.getCurrentThreadCpuTime() : 0;
            wall[i] = (t1 - t0) / 1e6;
            cpu[i] = (c1 - c0) / 1e6;
            if (result == null) {
                throw new IllegalStateException(s.name() + " returned nothing");
            }
        }
        double gcMs = (gcMillis() - gc0) / (double) timedRuns;
        double peak = heapPeakBytes() / (double) (1 << 20);
        double live = liveBytes(s) / (double) (1 << 20);
        return new Row(s.name(), median(wall), cpuTime ? median(cpu) : Double.NaN, budgetMs, peak, live, gcMs);
    }

    /** Heap in use, after a full collection, while the scenario's fullest state is reachable. */
    private static long liveBytes(BenchScenarios.Scenario s) {
        System.gc();
        long before = usedHeap();
        Object fullest = s.fullest();
        System.gc();
        long used = usedHeap();
        if (fullest == null) {
            throw new IllegalStateException(s.name() + ": no state");
        }
        return Math.max(0, used - before);
    }

    /** Median of the bare loop over enough repetitions to be above timer resolution. */
    static double bareNsPerEntry(Granule g, int entries) {
        int reps = 41;
        double[] ns = new double[reps];
        long sink = 0;
        for (int i = 0; i < 200; i++) { // warm-up: let the JIT compile the loop
            sink += BenchScenarios.bareLoop(g, entries).length;
        }
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            long[][] t = BenchScenarios.bareLoop(g, entries);
            long t1 = System.nanoTime();
            sink += t[t.length - 1][0];
            ns[i] = (t1 - t0) / (double) entries;
        }
        if (sink == 42) {
            System.out.print(""); // keeps the results alive
        }
        return median(ns);
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int m = s.length / 2;
        return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
    }

    private static void resetHeapPeaks() {
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                p.resetPeakUsage();
            }
        }
    }

    /** Sum of the heap pools' peaks (pools peak at different moments: an upper bound). */
    private static long heapPeakBytes() {
        long n = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                n += p.getPeakUsage().getUsed();
            }
        }
        return n;
    }

    private static long usedHeap() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long gcMillis() {
        long n = 0;
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, b.getCollectionTime());
        }
        return n;
    }

    /** Operations per second the fuzzer must sustain with every invariant checked after every step. */
    static final double FUZZ_BUDGET_OPS = 20_000;

    /**
     * The fuzzer on small machines (512 MiB of RAM): a warm-up campaign, then a timed one with the
     * invariants checked after every step (over the step's sections, over the whole model every 64
     * steps). The budget is judged on the fuzzing thread's CPU time, which a busy machine does not
     * inflate; the wall figure is printed beside it.
     */
    static boolean fuzzThroughput(PrintWriter o, boolean quick) {
        long ops = quick ? 40_000 : 200_000;
        o.printf("%-44s %10s %12s %12s %9s  %s%n", "fuzz throughput (invariants after every op)", "ops",
                "wall ops/s", "cpu ops/s", "budget", "result");
        boolean ok = true;
        for (String[] m : new String[][] {{"64K", "true"}, {"4K", "false"}}) {
            MachineSpec spec = FuzzConfig.smallMachine(Granule.parse(m[0]), Boolean.parseBoolean(m[1]));
            new Fuzzer(FuzzConfig.of(spec, 2, ops / 4)).run();
            FuzzReport r = new Fuzzer(FuzzConfig.of(spec, 1, ops)).run();
            boolean pass = r.opsPerCpuSecond() >= FUZZ_BUDGET_OPS && r.violations().isEmpty();
            ok &= pass;
            o.printf("%-44s %10d %12.0f %12.0f %9.0f  %s%n", "arm64 " + m[0] + " 512M rodata_full=" + (spec.rodataFull ? 1 : 0),
                    r.opsRun, r.opsPerSecond(), r.opsPerCpuSecond(), FUZZ_BUDGET_OPS, pass ? "ok" : "FAIL");
        }
        o.flush();
        return ok;
    }
}
