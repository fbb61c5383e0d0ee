package org.vmemsim.check;

import java.util.List;
import org.vmemsim.kernel.Kernel;
import org.vmemsim.util.Errno;
import org.vmemsim.util.KernelBug;

/**
 * Runs one planned fuzz step and classifies what happened: a success, an error return that left
 * the model as it was, a kernel finding (the real kernel misbehaves here too: H2/H3 dangling
 * memmap, H7 partial-failure leak, a BUG such as H10), or a model violation (an invariant broke,
 * a failed step leaked, or the model threw).
 */
final class StepRunner {
    /** A step with its injected failure: fail the {@code failNth}-th allocation of the step (0: none). */
    record Planned(FuzzStep step, long failNth) {}

    enum Kind { OK, ERROR, FINDING, FINDING_REBOOT, VIOLATION }

    /** {@code key}: the invariant (or "rollback", "exception") for violations, the hazard name for findings. */
    record Result(int ret, Kind kind, String key, String message) {
        static Result of(int ret) {
            return new Result(ret, ret == 0 ? Kind.OK : Kind.ERROR, null, null);
        }
    }

    private StepRunner() {}

    static Result run(FuzzWorld w, Planned p, boolean fullCheck, List<Invariant> invariants) {
        Kernel k = w.k;
        long[] scope = p.step().scope(w);
        Fingerprint before = Fingerprint.of(k);
        k.faults.reset();
        if (p.failNth() > 0) {
            k.faults.failNth(p.failNth());
        }
        k.faults.arm();
        int ret;
        try {
            ret = p.step().apply(w);
        } catch (KernelBug bug) {
            String name = bug.getMessage() != null && bug.getMessage().contains("__pgd_pgtable_alloc") ? "H10" : "BUG";
            return new Result(0, Kind.FINDING_REBOOT, name, p.step().describe() + ": kernel BUG: " + bug.getMessage());
        } catch (RuntimeException e) {
            return new Result(0, Kind.VIOLATION, "exception:" + e.getClass().getSimpleName(),
                    p.step().describe() + " threw " + e);
        } finally {
            k.faults.reset();
        }
        FuzzWorld.Leak leak = ret != 0 ? w.takeLeak() : null;
        CheckContext ctx = fullCheck ? CheckContext.full(k, w.leakedPools())
                : CheckContext.scoped(k, w.leakedPools(), scope);
        if (leak != null && leak.pgmap() != null) {
            ctx.withLeakedPgmap(leak.pgmap()); // a deduplicated memmap of the leaked sections stays shared
        }
        List<Violation> v = Invariants.check(ctx, invariants);
        if (!v.isEmpty()) {
            String hazard = danglingHazard(w, scope, v);
            if (hazard != null) {
                Violation d = firstDangling(v);
                return new Result(ret, Kind.FINDING_REBOOT, hazard, p.step().describe() + " (" + Errno.name(ret) + "): "
                        + d.message() + (hazard.equals("H11") ? " [vmemmap_populate_range steps PAGE_SIZE from a memmap start"
                        + " that is not page aligned and misses the last page]" : ""));
            }
            Violation first = v.get(0);
            return new Result(ret, Kind.VIOLATION, first.invariant(), p.step().describe() + " (" + Errno.name(ret) + "): "
                    + first + (v.size() > 1 ? " (+" + (v.size() - 1) + " more)" : ""));
        }
        if (leak != null) {
            return new Result(ret, Kind.FINDING_REBOOT, "H7", String.format(
                    "%s failed with %s after adding pfn [0x%x, 0x%x): those sections stay present%s", p.step().describe(),
                    Errno.name(ret), leak.startPfn(), leak.endPfn(), leak.pool() != null ? " with memmap in the altmap pool" : ""));
        }
        if (ret != 0) {
            String d = before.diff(Fingerprint.of(k));
            if (d != null && k.g.arch == org.vmemsim.arch.Arch.X86_64 && directMapLeft(k, scope)) {
                // x86 arch_add_memory maps the range (init_memory_mapping) and returns add_pages()'s
                // error without unmapping it; pagemap_range does not undo it either.
                return new Result(ret, Kind.FINDING_REBOOT, "H12", String.format("%s failed with %s: x86 arch_add_memory"
                        + " leaves the direct map of the range (and its page tables) behind", p.step().describe(),
                        Errno.name(ret)));
            }
            if (d != null && k.ppc64Mem != null && ret == Errno.EFAULT.neg()) {
                // only arch_create_linear_mapping turns a failure into -EFAULT
                return new Result(ret, Kind.FINDING_REBOOT, "H14", String.format("%s failed with %s: powerpc"
                        + " arch_create_linear_mapping leaves the part of the linear map it built (and its tables)",
                        p.step().describe(), Errno.name(ret)));
            }
            if (d != null && k.g.arch == org.vmemsim.arch.Arch.IA64) {
                // ia64's vmemmap_free is empty: section_activate's cleanup of a failed populate
                // (depopulate_section_memmap) frees neither the memmap pages nor their tables
                return new Result(ret, Kind.FINDING_REBOOT, "H13", String.format("%s failed with %s: ia64 vmemmap_free"
                        + " is empty, so the memmap populated before the failure stays (%s)", p.step().describe(),
                        Errno.name(ret), d));
            }
            if (d != null) {
                return new Result(ret, Kind.VIOLATION, "rollback", p.step().describe() + " failed with " + Errno.name(ret)
                        + " (" + k.log.lastError() + ") but left the model changed: " + d);
            }
        }
        return Result.of(ret);
    }

    /**
     * Whether the direct map still translates any page of the step's scope, looked at every 2 MiB
     * (the smallest direct-map leaf above a page): a failed hot-add may have mapped only a later
     * part of the scope (a later memory block, a namespace past the start of its region).
     */
    static boolean directMapLeft(Kernel k, long[] scope) {
        long step = Math.max(1, (2L << 20) >>> k.g.pageShift);
        for (int i = 0; i + 1 < scope.length; i += 2) {
            for (long pfn = scope[i]; Long.compareUnsigned(pfn, scope[i + 1]) < 0; pfn += step) {
                long va = k.mm.physToVirt(pfn << k.g.pageShift);
                if (k.mm.inLinearMap(va) && k.mm.pgtable.translate(va) != null) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Violation firstDangling(List<Violation> v) {
        for (Violation x : v) {
            if (x.invariant().equals(MemmapMapped.NAME) && x.pfn() >= 0) {
                return x;
            }
        }
        return null;
    }

    /**
     * Which kernel hazard explains a dangling memmap, or null when none does (a model violation).
     * Outside the step's own range: one range's removal (or rollback) cleared memmap that another
     * range shares — the PMD block on 4K before the 2025 sub-section fix (H2), the base page on
     * 16K/64K in every era (H3). Inside the step's own range on 16K/64K: the memmap of a sub-section
     * range can start in the middle of a page, and the populate loop, stepping PAGE_SIZE from that
     * start, never visits the page holding the end of the range (H11, found by this checker).
     */
    static String danglingHazard(FuzzWorld w, long[] scope, List<Violation> v) {
        Violation x = firstDangling(v);
        if (x == null) {
            return null;
        }
        boolean own = false;
        for (int i = 0; i + 1 < scope.length; i += 2) {
            own |= Long.compareUnsigned(x.pfn(), scope[i]) >= 0 && Long.compareUnsigned(x.pfn(), scope[i + 1]) < 0;
        }
        if (w.g.arch == org.vmemsim.arch.Arch.RISCV64) {
            // riscv: remove_pmd_mapping clears and frees a whole vmemmap PMD block that other ranges
            // share (H2, no sub-section fix on riscv); vmemmap_check_pmd returns 1 for a PMD that holds
            // a PTE table, so a range meeting one is left unmapped (H4)
            return own ? "H4" : "H2";
        }
        if (w.g.pageShift != 12) {
            return own ? "H11" : "H3";
        }
        return !own && !w.g.profile.arm64SubsectionBasepages() ? "H2" : null;
    }
}
