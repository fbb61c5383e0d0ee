package org.vmemsim.check;

import java.util.ArrayList;
import java.util.List;
import org.vmemsim.kernel.Kernel;
import org.vmemsim.kernel.MachineSpec;

/**
 * Shrinks a failing step sequence to a small one that still fails with the same key (invariant
 * name, "rollback" or the exception): replays on a fresh machine with full invariant checks after
 * every step, drops chunks of steps (halving the chunk size down to single steps), then replaces
 * steps by their simpler variants ({@link FuzzStep#shrinks()}, no injected failure) while the
 * failure persists. Steps whose precondition no longer holds are skipped on replay.
 */
final class Shrinker {
    /** The shrunk sequence and the failure it still produces. */
    record Outcome(List<StepRunner.Planned> steps, StepRunner.Result failure, int replays) {}

    private static final int MAX_REPLAYS = 400;

    private final MachineSpec spec;
    private final List<Invariant> invariants;
    private int replays;

    Shrinker(MachineSpec spec, List<Invariant> invariants) {
        this.spec = spec;
        this.invariants = invariants;
    }

    Outcome shrink(List<StepRunner.Planned> failing, String key) {
        List<StepRunner.Planned> seq = new ArrayList<>(failing);
        StepRunner.Result last = replay(seq, key);
        if (last == null) {
            // not reproducible on a fresh machine with full checks: report the original sequence
            return new Outcome(seq, null, replays);
        }
        for (int chunk = Math.max(1, seq.size() / 2); chunk >= 1 && replays < MAX_REPLAYS; ) {
            boolean removed = false;
            for (int start = 0; start < seq.size() && replays < MAX_REPLAYS; ) {
                List<StepRunner.Planned> cand = new ArrayList<>(seq.subList(0, start));
                cand.addAll(seq.subList(Math.min(seq.size(), start + chunk), seq.size()));
                StepRunner.Result r = cand.isEmpty() ? null : replay(cand, key);
                if (r != null) {
                    seq = cand;
                    last = r;
                    removed = true;
                } else {
                    start += chunk;
                }
            }
            if (!removed) {
                chunk /= 2;
            }
        }
        boolean progress = true;
        while (progress && replays < MAX_REPLAYS) {
            progress = false;
            for (int i = 0; i < seq.size() && !progress && replays < MAX_REPLAYS; i++) {
                StepRunner.Planned p = seq.get(i);
                List<StepRunner.Planned> variants = new ArrayList<>();
                if (p.failNth() > 0) {
                    variants.add(new StepRunner.Planned(p.step(), 0));
                }
                for (FuzzStep s : p.step().shrinks()) {
                    variants.add(new StepRunner.Planned(s, p.failNth()));
                }
                for (StepRunner.Planned v : variants) {
                    List<StepRunner.Planned> cand = new ArrayList<>(seq);
                    cand.set(i, v);
                    StepRunner.Result r = replay(cand, key);
                    if (r != null) {
                        seq = cand;
                        last = r;
                        progress = true;
                        break;
                    }
                }
            }
        }
        return new Outcome(seq, last, replays);
    }

    /**
     * Replays {@code seq} on a fresh machine; returns the failure with {@code key} (and cuts
     * {@code seq} after the failing step), or null when the sequence does not fail that way.
     */
    private StepRunner.Result replay(List<StepRunner.Planned> seq, String key) {
        replays++;
        FuzzWorld w = new FuzzWorld(Kernel.boot(spec));
        for (int i = 0; i < seq.size(); i++) {
            StepRunner.Planned p = seq.get(i);
            if (!p.step().applicable(w)) {
                continue;
            }
            StepRunner.Result r = StepRunner.run(w, p, true, invariants);
            if (r.kind() == StepRunner.Kind.FINDING_REBOOT) {
                return null;
            }
            if (r.kind() == StepRunner.Kind.VIOLATION) {
                if (!r.key().equals(key)) {
                    return null;
                }
                seq.subList(i + 1, seq.size()).clear();
                return r;
            }
        }
        return null;
    }
}
