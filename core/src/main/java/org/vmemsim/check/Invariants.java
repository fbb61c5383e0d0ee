package org.vmemsim.check;

import java.util.ArrayList;
import java.util.List;
import org.vmemsim.kernel.Kernel;

/**
 * The registry of built-in invariants and the entry points to check them. {@link #all()} returns
 * a fresh list, so callers can append their own {@link Invariant}s (e.g. memory blocks).
 */
public final class Invariants {
    private Invariants() {}

    /** The built-in invariants, cheapest first. */
    public static List<Invariant> all() {
        List<Invariant> l = new ArrayList<>();
        l.add(new AltmapCounters());
        l.add(new RamAccounting());
        l.add(new SubsectionState());
        l.add(new MemmapMapped());
        l.add(new VmemmapBacking());
        l.add(new FrameSingleUse());
        l.add(new PgtableFromRam());
        l.add(new PgtableReachable());
        return l;
    }

    /** Checks every built-in invariant over the whole model. */
    public static List<Violation> check(Kernel k) {
        return check(CheckContext.full(k), all());
    }

    /** Checks the given invariants in the given context. */
    public static List<Violation> check(CheckContext c, List<Invariant> invariants) {
        List<Violation> out = new ArrayList<>();
        for (Invariant inv : invariants) {
            inv.check(c, out);
        }
        return out;
    }
}
