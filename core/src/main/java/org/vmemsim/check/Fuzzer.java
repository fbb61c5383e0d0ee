package org.vmemsim.check;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.LongConsumer;
import org.vmemsim.kernel.Kernel;
import org.vmemsim.util.Errno;

/**
 * A seeded random-sequence harness in the style of property-based action chains: weighted
 * {@link Action}s whose preconditions and arguments come from the current {@link FuzzWorld}, the
 * invariants checked after every step (over the step's scope; over the whole model every
 * {@code fullEvery} steps and after the last), and on a model violation a shrunk, ready-to-run
 * scenario. Kernel findings (H2/H3, H7, BUGs) are counted, not failures; after one that leaves the
 * machine broken (a dangling memmap, a BUG) the campaign continues on a freshly booted machine.
 *
 * <p>Everything is derived from the seed: the same configuration gives the same report.
 */
public final class Fuzzer {
    private final FuzzConfig cfg;
    private final List<Action> actions;
    private final List<Invariant> invariants;

    public Fuzzer(FuzzConfig cfg) {
        this(cfg, Actions.defaults(), Invariants.all());
    }

    public Fuzzer(FuzzConfig cfg, List<Action> actions, List<Invariant> invariants) {
        this.cfg = cfg;
        this.actions = List.copyOf(actions);
        this.invariants = List.copyOf(invariants);
    }

    public FuzzReport run() {
        return run(n -> { });
    }

    /** Runs the campaign; {@code progress} receives the number of operations done after each one. */
    public FuzzReport run(LongConsumer progress) {
        long t0 = System.nanoTime();
        long c0 = cpuTime();
        FuzzReport report = new FuzzReport(cfg);
        SplittableRandom rng = new SplittableRandom(cfg.seed());
        FuzzWorld w = new FuzzWorld(Kernel.boot(cfg.spec()));
        report.machines++;
        List<StepRunner.Planned> episode = new ArrayList<>();
        for (long op = 0; op < cfg.ops(); op++) {
            Action a = pick(w, rng);
            if (a == null) {
                noActionApplies(w, report);
                break;
            }
            FuzzStep step = a.generate(w, rng);
            StepRunner.Planned p = new StepRunner.Planned(step, drawFailNth(rng));
            episode.add(p);
            boolean full = op == cfg.ops() - 1 || cfg.fullEvery() > 0 && (op + 1) % cfg.fullEvery() == 0;
            report.fullChecks += full ? 1 : 0;
            StepRunner.Result r = StepRunner.run(w, p, full, invariants);
            report.opsRun++;
            report.count(r.kind() == StepRunner.Kind.FINDING_REBOOT && ("BUG".equals(r.key()) || "H10".equals(r.key()))
                    ? "BUG" : Errno.name(r.ret()));
            if (p.failNth() > 0 && r.ret() != 0) {
                report.injectedFailures++;
            }
            switch (r.kind()) {
                case FINDING -> report.finding(r.key(), op, r.message());
                case FINDING_REBOOT -> {
                    report.finding(r.key(), op, r.message());
                    report.warnings += w.k.log.warnCount();
                    w = new FuzzWorld(Kernel.boot(cfg.spec()));
                    report.machines++;
                    episode.clear();
                }
                case VIOLATION -> {
                    report.violation(op, r);
                    Shrinker.Outcome s = new Shrinker(cfg.spec(), invariants).shrink(episode, r.key());
                    report.reproducer(episode.size(), s, ScenarioYaml.render(cfg, s.steps(), s.failure()));
                    report.warnings += w.k.log.warnCount();
                    report.elapsedNanos = System.nanoTime() - t0;
                    report.cpuNanos = cpuTime() - c0;
                    progress.accept(op + 1);
                    return report;
                }
                default -> { }
            }
            progress.accept(op + 1);
        }
        report.warnings += w.k.log.warnCount();
        report.elapsedNanos = System.nanoTime() - t0;
        report.cpuNanos = cpuTime() - c0;
        return report;
    }

    private static long cpuTime() {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        return mx.isCurrentThreadCpuTimeSupported() ? mx.getCurrentThreadCpuTime() : 0;
    }

    private Action pick(FuzzWorld w, SplittableRandom rng) {
        int total = 0;
        for (Action a : actions) {
            total += a.precondition(w) ? a.weight() : 0;
        }
        if (total == 0) {
            return null;
        }
        int x = rng.nextInt(total);
        for (Action a : actions) {
            if (a.precondition(w)) {
                x -= a.weight();
                if (x < 0) {
                    return a;
                }
            }
        }
        throw new IllegalStateException("no action applies");
    }

    /**
     * No action can be drawn on this machine (e.g. memremap where the kernel has no ZONE_DEVICE):
     * the campaign ends after one invariant check over the whole booted model, and the report says
     * which actions were unavailable and why.
     */
    private void noActionApplies(FuzzWorld w, FuzzReport report) {
        StringBuilder why = new StringBuilder();
        for (Action x : actions) {
            String u = x.unavailable(w);
            if (u != null) {
                why.append(why.length() == 0 ? "" : "; ").append(x.name()).append(": ").append(u);
            }
        }
        report.noAction = why.length() == 0 ? "no action's precondition holds" : why.toString();
        report.fullChecks++;
        for (Violation v : Invariants.check(CheckContext.full(w.k, w.leakedPools()), invariants)) {
            report.violation(0, new StepRunner.Result(0, StepRunner.Kind.VIOLATION, v.invariant(), "after boot: " + v));
        }
    }

    /**
     * With each allocation failing independently with probability p, the first failing one of a
     * step is geometric: N = 1 + floor(ln(U) / ln(1 - p)). 0 means no failure.
     */
    private long drawFailNth(SplittableRandom rng) {
        double p = cfg.failRate();
        if (p <= 0) {
            return 0;
        }
        if (p >= 1) {
            return 1;
        }
        double u = 1 - rng.nextDouble(); // (0, 1]
        double n = Math.floor(Math.log(u) / Math.log1p(-p));
        return n >= 1e12 ? 0 : 1 + (long) n;
    }
}
