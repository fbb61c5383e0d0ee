package org.vmemsim.check;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.vmemsim.drivers.nvdimm.Nvdimm;
import org.vmemsim.drivers.nvdimm.PfnMode;
import org.vmemsim.kernel.Kernel;
import org.vmemsim.mm.memremap.DevPagemap;
import org.vmemsim.mm.memremap.MemoryType;
import org.vmemsim.mm.vmemmap.VmemAltmap;
import org.vmemsim.util.Errno;
import org.vmemsim.util.KernelBug;
import org.vmemsim.util.U64;

/**
 * Systematic fault injection: run an operation once to count its allocations N, then for every
 * i in 1..N run it again on an identical machine with the i-th allocation failing, and check what
 * the kernel promises: the operation returns an error (-ENOMEM, or what the arch turns it into), the invariants hold, and the model equals
 * its state before the operation (architecture rule 6) — except where the real kernel itself
 * leaks or crashes, which is reported as a kernel finding: a mem_section root kept (L1, by design),
 * sections added before a failing section kept (H7; with powerpc radix's device-dax dedup also the
 * first-tail memmap page they populated beyond themselves), a BUG on a linear-map table allocation (H10),
 * the x86 direct map of the range left mapped by a failing arch_add_memory (H12), the part of the
 * powerpc linear map a failing arch_create_linear_mapping built (H14).
 *
 * <p>A machine whose state came back identical is reused for the next i; otherwise the next
 * attempt starts from a fresh one (the supplier boots it and replays any prefix).
 */
public final class FaultSweep {
    /** The operation under test and what it touches. */
    public interface Operation {
        String describe();

        /** Runs it; returns 0 or a negative errno (may throw {@link KernelBug}). */
        int run(Kernel k);

        long startPfn(Kernel k);

        long nrPages(Kernel k);

        /** A fresh copy of the altmap the operation passes to {@code __add_pages}, or null. */
        VmemAltmap altmap(Kernel k);

        /** A copy of the pgmap the operation maps (for the memmap its leaked sections keep), or null. */
        default DevPagemap pgmap(Kernel k) {
            return null;
        }
    }

    public enum Verdict {
        /** An error and the state exactly as before. */
        CLEAN,
        /** An error; the state as before except a mem_section root (L1). */
        CLEAN_L1,
        /** The kernel tolerated the failure (e.g. a base-page fallback) and succeeded. */
        SURVIVED,
        /** The real kernel misbehaves here too (H7, H10, another BUG). */
        KERNEL_FINDING,
        /** The model broke a promise the kernel keeps. */
        MODEL_FAILURE
    }

    /** One attempt: the allocation that failed (1-based, with its site) and what came of it. */
    public record Attempt(long nth, String site, int ret, Verdict verdict, String finding, String detail) {
        @Override
        public String toString() {
            return String.format("#%d %s -> %s %s%s%s", nth, site, Errno.name(ret), verdict,
                    finding == null ? "" : " " + finding, detail == null ? "" : ": " + detail);
        }
    }

    /** All attempts of a sweep. */
    public record Report(String operation, long allocations, List<Attempt> attempts) {
        public Map<Verdict, Integer> counts() {
            Map<Verdict, Integer> m = new EnumMap<>(Verdict.class);
            for (Attempt a : attempts) {
                m.merge(a.verdict(), 1, Integer::sum);
            }
            return m;
        }

        public List<Attempt> failures() {
            return attempts.stream().filter(a -> a.verdict() == Verdict.MODEL_FAILURE).toList();
        }
    }

    private FaultSweep() {}

    /** A memremap as {@link Kernel#memremap} does it ({@code altmapFree < 0}: no altmap). */
    public static Operation memremap(String id, MemoryType type, long start, long size, long reserve, long altmapFree) {
        return new Operation() {
            @Override
            public String describe() {
                return String.format("memremap %s [0x%x + 0x%x] %s", id, start, size,
                        altmapFree < 0 ? "no altmap" : "altmap{reserve " + reserve + ", free " + altmapFree + "}");
            }

            @Override
            public int run(Kernel k) {
                return k.memremap(id, type, start, size, reserve, altmapFree, 0);
            }

            @Override
            public long startPfn(Kernel k) {
                return start >>> k.g.pageShift;
            }

            @Override
            public long nrPages(Kernel k) {
                return size >>> k.g.pageShift;
            }

            @Override
            public VmemAltmap altmap(Kernel k) {
                long base = start >>> k.g.pageShift;
                return altmapFree < 0 ? null : new VmemAltmap(id, base, base + nrPages(k) - 1, reserve, altmapFree);
            }
        };
    }

    /**
     * {@code ndctl create-namespace} of {@code size} bytes on region {@code regionId}
     * ({@link org.vmemsim.drivers.nvdimm.Nvdimm#createNamespace}): the pfn/dax device probe and its
     * memremap_pages. The range, altmap and pgmap are the driver's own layout of the namespace
     * ({@link Nvdimm#layout}), which a failed attempt leaves unchanged; the sweep's H7 cleanup uses a
     * fresh copy of the altmap.
     */
    public static Operation createNamespace(int regionId, long size, boolean dax, PfnMode map, long align) {
        return new Operation() {
            @Override
            public String describe() {
                return String.format("create-namespace region%d size 0x%x %s map=%s align 0x%x", regionId, size,
                        dax ? "devdax" : "fsdax", map == PfnMode.RAM ? "mem" : "dev", align);
            }

            @Override
            public int run(Kernel k) {
                return k.nvdimm.createNamespace(regionId, size, dax, map, align, new Nvdimm.Namespace[1]);
            }

            private Nvdimm.Layout layout(Kernel k) {
                Nvdimm.Layout[] l = new Nvdimm.Layout[1];
                return k.nvdimm.layout(regionId, size, dax, map, align, l) == 0 ? l[0] : null;
            }

            @Override
            public long startPfn(Kernel k) {
                Nvdimm.Layout l = layout(k);
                return l == null ? 0 : l.setup().rangeStart >>> k.g.pageShift;
            }

            @Override
            public long nrPages(Kernel k) {
                Nvdimm.Layout l = layout(k);
                return l == null ? 0 : l.setup().rangeLen() >>> k.g.pageShift;
            }

            @Override
            public VmemAltmap altmap(Kernel k) {
                DevPagemap pg = pgmap(k);
                return pg == null ? null : pg.pgmapAltmap();
            }

            @Override
            public DevPagemap pgmap(Kernel k) {
                Nvdimm.Layout l = layout(k);
                return l == null ? null : l.pgmap(k.g);
            }
        };
    }

    /** Sweeps every allocation of {@code op} on machines from {@code machine}. */
    public static Report sweep(Supplier<Kernel> machine, Operation op) {
        return sweep(machine, op, sites -> null);
    }

    /**
     * Which allocations of an operation to fail, given the sites of all of them in order: null for
     * every one, else a mask (index i: the (i+1)-th allocation).
     */
    public interface Selection {
        boolean[] choose(List<String> sites);
    }

    /**
     * Every allocation up to {@code head} and from the last {@code head}, every one whose site
     * differs from the allocation before or after it, and every {@code stride}-th in between: a
     * systematic sweep of every allocation context, thinned inside long runs of one site.
     */
    public static Selection strided(int head, int stride) {
        return sites -> {
            int n = sites.size();
            boolean[] m = new boolean[n];
            for (int i = 0; i < n; i++) {
                m[i] = i < head || i >= n - head || i % stride == 0
                        || i > 0 && !sites.get(i).equals(sites.get(i - 1))
                        || i + 1 < n && !sites.get(i).equals(sites.get(i + 1));
            }
            return m;
        };
    }

    /** Sweeps the allocations of {@code op} that {@code selection} picks. */
    public static Report sweep(Supplier<Kernel> machine, Operation op, Selection selection) {
        Kernel k = machine.get();
        k.faults.reset();
        k.faults.recordSites(true);
        k.faults.arm();
        int ret0 = op.run(k);
        List<String> sites = k.faults.sites();
        k.faults.reset();
        k.faults.recordSites(false);
        if (ret0 != 0) {
            throw new IllegalArgumentException(op.describe() + " fails without injected faults: " + Errno.name(ret0)
                    + " " + k.log.lastError());
        }
        List<Attempt> attempts = new ArrayList<>();
        Kernel cur = null;
        ModelState before = null;
        boolean[] chosen = selection.choose(sites);
        for (int i = 1; i <= sites.size(); i++) {
            if (chosen != null && !chosen[i - 1]) {
                continue;
            }
            if (cur == null) {
                cur = machine.get();
                before = ModelState.capture(cur);
            }
            Attempt a = attempt(cur, before, op, i, sites.get(i - 1));
            attempts.add(a);
            if (a.verdict() != Verdict.CLEAN) {
                cur = null; // a CLEAN attempt left exactly `before`, so the machine and the capture are reused
            }
        }
        return new Report(op.describe(), sites.size(), attempts);
    }

    private static Attempt attempt(Kernel k, ModelState before, Operation op, long nth, String site) {
        k.faults.reset();
        k.faults.failNth(nth);
        k.faults.arm();
        int ret;
        try {
            ret = op.run(k);
        } catch (KernelBug bug) {
            String name = String.valueOf(bug.getMessage()).contains("__pgd_pgtable_alloc") ? "H10" : "BUG";
            return new Attempt(nth, site, 0, Verdict.KERNEL_FINDING, name, bug.getMessage());
        } finally {
            k.faults.reset();
        }
        if (ret == 0) {
            List<Violation> v = Invariants.check(k);
            return v.isEmpty() ? new Attempt(nth, site, 0, Verdict.SURVIVED, null, null)
                    : new Attempt(nth, site, 0, Verdict.MODEL_FAILURE, null, "succeeded but " + v.get(0));
        }
        // the error is usually -ENOMEM; powerpc's arch_create_linear_mapping turns it into -EFAULT
        if (ret >= 0) {
            return new Attempt(nth, site, ret, Verdict.MODEL_FAILURE, null, "expected an error: " + k.log.lastError());
        }
        long start = op.startPfn(k);
        long end = start + op.nrPages(k);
        long leakedEnd = leakedEnd(k, before, start, end);
        VmemAltmap altmap = op.altmap(k);
        List<Pool> leaked = new ArrayList<>();
        if (leakedEnd > start && altmap != null) {
            leaked.add(new Pool(altmap.owner, altmap.poolStartPfn(), altmap.poolEndPfn(), true));
        }
        List<Violation> v = Invariants.check(CheckContext.full(k, leaked).withLeakedPgmap(leakedEnd > start ? op.pgmap(k) : null),
                Invariants.all());
        if (!v.isEmpty()) {
            return new Attempt(nth, site, ret, Verdict.MODEL_FAILURE, null, "invariant: " + v.get(0));
        }
        ModelState after = ModelState.live(k);
        if (ModelState.diff(before, after) == null) {
            return new Attempt(nth, site, ret, Verdict.CLEAN, null, null);
        }
        if (leakedEnd == start) {
            String d = ModelState.diff(before, after, true);
            if (d != null && directMapLeft(k, start, end)) {
                // H12: x86 arch_add_memory leaves the direct map it created; unmapping it must
                // bring the state back (up to L1)
                k.x86.kernelPhysicalMappingRemove(start << k.g.pageShift, end << k.g.pageShift);
                String d2 = ModelState.diff(before, ModelState.live(k), true);
                return d2 == null ? new Attempt(nth, site, ret, Verdict.KERNEL_FINDING, "H12",
                        "x86 arch_add_memory leaves the direct map of the range (and its page tables) behind")
                        : new Attempt(nth, site, ret, Verdict.MODEL_FAILURE, null, "state changed: " + d2);
            }
            if (d != null && k.ppc64Mem != null) {
                // H14: powerpc arch_create_linear_mapping returns -EFAULT without undoing the part
                // of the linear map (and its tables) it built; removing that range must bring the
                // state back (up to L1)
                k.ppc64Mem.archRemoveLinearMapping(start << k.g.pageShift, (end - start) << k.g.pageShift);
                String d2 = ModelState.diff(before, ModelState.live(k), true);
                return d2 == null ? new Attempt(nth, site, ret, Verdict.KERNEL_FINDING, "H14",
                        "powerpc arch_create_linear_mapping leaves the partial linear map (and its page tables) behind")
                        : new Attempt(nth, site, ret, Verdict.MODEL_FAILURE, null, "state changed: " + d2);
            }
            return d == null ? new Attempt(nth, site, ret, Verdict.CLEAN_L1, "L1", "mem_section root kept")
                    : new Attempt(nth, site, ret, Verdict.MODEL_FAILURE, null, "state changed: " + d);
        }
        // H7: what a correct kernel would have done — __remove_pages of what was added (and on x86
        // the direct map it left, H12) — must bring the state back (up to L1); then the leak was
        // exactly those sections.
        k.hotplug.removePages(start, leakedEnd - start, altmap);
        boolean beyond = freeCompoundMemmapBeyond(k, op.pgmap(k), leakedEnd, end);
        boolean direct = directMapLeft(k, start, end);
        if (direct) {
            k.x86.kernelPhysicalMappingRemove(start << k.g.pageShift, end << k.g.pageShift);
        }
        String d = ModelState.diff(before, ModelState.live(k), true);
        String what = String.format("__add_pages failed after adding pfn [0x%x, 0x%x): sections %d..%d stay present%s",
                start, leakedEnd, k.g.pfnToSection(start), k.g.pfnToSection(leakedEnd - 1),
                (beyond ? ", with memmap the arch populated for them beyond the last one (first-tail page of a"
                        + " deduplicated compound page)" : "")
                + (direct ? ", with the x86 direct map of the range (H12)" : ""));
        return d == null ? new Attempt(nth, site, ret, Verdict.KERNEL_FINDING, "H7", what)
                : new Attempt(nth, site, ret, Verdict.MODEL_FAILURE, null, what + ", and more changed: " + d);
    }

    /**
     * powerpc radix's {@code vmemmap_populate_compound_pages} maps a compound page's head and
     * first-tail memmap pages while populating its first section, although with 64K pages the
     * first-tail page holds the memmap of later sections; removing only the leaked sections (H7)
     * leaves it. Frees the memmap of the rest of the compound page holding {@code leakedEnd - 1},
     * none of whose sections are present, as a cleanup of the leaked sections must; true when a
     * deduplicated pgmap made that necessary.
     */
    private static boolean freeCompoundMemmapBeyond(Kernel k, DevPagemap pg, long leakedEnd, long end) {
        if (pg == null || !k.sparseVmemmap.compound().vmemmapCanOptimize(pg.pgmapAltmap(), pg)
                || !k.sparseVmemmap.arch().hasVmemmapPopulateCompoundPages()) {
            return false;
        }
        long rangePfn = pg.rangeStart >>> k.g.pageShift;
        long compoundEnd = rangePfn + U64.alignUp(leakedEnd - rangePfn, pg.pgmapVmemmapNr());
        long stop = U64.min(compoundEnd, end);
        if (!U64.lt(leakedEnd, stop)) {
            return false;
        }
        k.sparseVmemmap.depopulateSectionMemmap(leakedEnd, stop - leakedEnd, null);
        return true;
    }

    /** x86 only: whether the direct map still translates any page of {@code [start, end)} (hazard H12). */
    private static boolean directMapLeft(Kernel k, long start, long end) {
        return k.x86 != null && start != end && StepRunner.directMapLeft(k, new long[] {start, end});
    }

    /** End of the sub-sections of [start, end) that became active although the operation failed. */
    private static long leakedEnd(Kernel k, ModelState before, long start, long end) {
        long leakedEnd = start;
        for (long pfn = start; pfn < end; pfn += k.g.pagesPerSubsection) {
            if (k.sparse.subsectionActive(pfn) && !before.subsectionActive(pfn)) {
                leakedEnd = pfn + k.g.pagesPerSubsection;
            }
        }
        return Math.min(leakedEnd, end);
    }
}
