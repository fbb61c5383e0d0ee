package org.vmemsim.plan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.vmemsim.arch.Arch;
import org.vmemsim.arch.Granule;
import org.vmemsim.arch.KernelProfile;
import org.vmemsim.kernel.MachineSpec;
import org.vmemsim.kernel.RamRange;
import org.vmemsim.util.Sz;

/**
 * A capacity sweep: a grid of machine configurations and device sizes, each point answered by
 * {@link Plan#evaluate} on its own freshly booted kernel, evaluated on a fixed pool of threads.
 *
 * <p>Determinism: points are numbered in expansion order (arch outermost, then kernel, granule, VA
 * bits, rodata_full, map, mode, then size innermost, each in the order given) and results are stored by that number,
 * so the output does not depend on which thread finished first. Each point boots its own
 * {@link org.vmemsim.kernel.Kernel}; nothing is shared between points but the immutable grid.
 *
 * <p>Scheduling: points are submitted largest device first, since the cost of a point grows with
 * the memmap it has to map; the small ones then fill the gaps at the end of the run.
 */
public final class Sweep {
    private Sweep() {}

    /**
     * Points whose linear map would need more PTE tables than this are left out by default: 2^19
     * tables is 1 TiB mapped with 4K pages (16 TiB with 16K, 256 TiB with 64K).
     */
    public static final long DEFAULT_MAX_PTE_TABLES = 1L << 19;

    /**
     * One-device capacity plans: the dimensions of the grid. {@code granules} null (or empty) means
     * each arch's own set ({@link SweepArch#defaultGranules}); {@code ramBytes} 0 means
     * {@link Plan#defaultRamBytes}; {@code maxPteTables} bounds the page-granular linear maps a point
     * may need (see {@link #linearPteTables}), 0 meaning {@link #DEFAULT_MAX_PTE_TABLES}.
     */
    public record Grid(List<SweepArch> archs, List<Long> sizes, List<Granule> granules, List<String> maps,
                       List<KernelProfile> kernels, List<Boolean> rodataFull, List<Integer> vaBits, List<String> modes,
                       long ramBytes, long maxPteTables) {
        /** An arm64-only grid. */
        public Grid(List<Long> sizes, List<Granule> granules, List<String> maps, List<KernelProfile> kernels,
                    List<Boolean> rodataFull, List<Integer> vaBits, List<String> modes, long ramBytes, long maxPteTables) {
            this(List.of(SweepArch.ARM64), sizes, granules, maps, kernels, rodataFull, vaBits, modes, ramBytes,
                    maxPteTables);
        }

        /** The default sweep: arm64, 1 GiB to 64 TiB (x2), every granule, both maps, mainline, rodata_full off. */
        public static Grid defaults() {
            return new Grid(parseSizes("1G..64T"), null, List.of("dev", "mem"),
                    List.of(KernelProfile.MAINLINE), List.of(false), Arrays.asList((Integer) null), List.of("devdax"), 0, 0);
        }

        /** The granules this grid runs on {@code arch}: the given list, or the arch's own set. */
        public List<Granule> granulesFor(Arch arch) {
            return granules == null || granules.isEmpty() ? SweepArch.defaultGranules(arch) : granules;
        }
    }

    /**
     * PTE tables of the linear map a point needs when its kernel maps memory page by page
     * (rodata_full, or the Debian 6.12 KFENCE rule for hot-added memory): one per PMD of the
     * device, and of the boot RAM too with rodata_full; 0 when the linear map uses blocks.
     * The model builds each table for real, so this is the cost that grows without bound. Only the
     * arm64 linear map has these rules; other arches map it with blocks here (0).
     */
    public static long linearPteTables(Point p) {
        if (p.arch() != Arch.ARM64) {
            return 0;
        }
        long pmd = p.granule().pageSize() * (p.granule().pageSize() / 8);
        long tables = 0;
        if (p.rodataFull() || p.kernel().kfenceForcesPteLinearMap()) {
            tables += (p.size() + pmd - 1) / pmd;
        }
        if (p.rodataFull()) {
            tables += (p.ramBytes() + pmd - 1) / pmd;
        }
        return tables;
    }

    /**
     * One point of the grid. {@code vaBits} null means the arch's default for the granule;
     * {@code series} names the configuration without the size (the line it belongs to in a chart).
     */
    public record Point(int index, String series, Arch arch, KernelProfile kernel, Granule granule, Integer vaBits,
                        boolean rodataFull, String map, String mode, long size, long ramBytes) {
        /** An arm64 point. */
        public Point(int index, String series, KernelProfile kernel, Granule granule, Integer vaBits,
                     boolean rodataFull, String map, String mode, long size, long ramBytes) {
            this(index, series, Arch.ARM64, kernel, granule, vaBits, rodataFull, map, mode, size, ramBytes);
        }

        /**
         * The machine and device of this point, ready for {@link Plan#evaluate}: boot RAM at the arch's
         * base and the device placed by {@link PlanMachine} (the same as {@code vmemsim plan}).
         */
        public Plan.Config config() {
            MachineSpec spec = MachineSpec.defaults();
            spec.arch = arch;
            spec.granule = granule;
            spec.profile = kernel;
            spec.vaBits = vaBits;
            spec.rodataFull = rodataFull;
            spec.ram.clear();
            spec.ram.add(new RamRange(PlanMachine.defaultRamStart(arch), ramBytes, 0));
            return new Plan.Config(series + " size=" + Sz.human(size), spec,
                    List.of(new Plan.Device(size, -1, map, mode, 0)));
        }
    }

    /** The expanded grid: the points to run and the combinations left out with the reason. */
    public record Expansion(List<Point> points, List<String> skipped) {}

    /** One evaluated point: {@link Plan#evaluate}'s map, or an {@code error} map when the run threw. */
    public record Result(Point point, Map<String, Object> plan) {
        /** The figures of the point's one device (empty when the run failed before it). */
        @SuppressWarnings("unchecked")
        public Map<String, Object> device() {
            Object d = plan.get("devices");
            return d instanceof List<?> l && !l.isEmpty() ? (Map<String, Object>) l.get(0) : Map.of();
        }

        /** "ok", a negative errno name, "BUG", or "error" (the model threw). */
        public String result() {
            Object r = device().get("result");
            return r != null ? r.toString() : plan.containsKey("error") ? "error" : "?";
        }

        /** A device figure as a long, or -1 when absent. */
        public long figure(String key) {
            Object v = device().get(key);
            return v instanceof Number n ? n.longValue() : -1;
        }
    }

    /** The columns of a result row, in order (CSV header and JSON keys). */
    public static final List<String> COLUMNS = List.of("index", "series", "arch", "kernel", "granule", "va_bits",
            "rodata_full", "map", "mode", "size_bytes", "ram_bytes", "result", "usable_bytes", "data_offset_bytes",
            "memmap_ram_bytes", "memmap_device_bytes", "pgtable_pages", "pgtable_vmemmap_pages",
            "pgtable_linear_pages", "pgtable_bytes", "section_metadata_bytes", "altmap_alloc_pages",
            "altmap_align_pages", "ram_cost_bytes", "reason");

    /** One result as a flat row of {@link #COLUMNS}; figures the run did not produce are null. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> row(Result r) {
        Point p = r.point();
        Map<String, Object> d = r.device();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("index", p.index());
        m.put("series", p.series());
        m.put("arch", p.arch().label);
        m.put("kernel", p.kernel().label);
        m.put("granule", p.granule().label());
        MachineSpec spec = MachineSpec.defaults();
        spec.arch = p.arch();
        spec.granule = p.granule();
        spec.vaBits = p.vaBits();
        m.put("va_bits", spec.effectiveVaBits());
        m.put("rodata_full", p.rodataFull());
        m.put("map", p.map());
        m.put("mode", p.mode());
        m.put("size_bytes", p.size());
        m.put("ram_bytes", p.ramBytes());
        m.put("result", r.result());
        m.put("usable_bytes", d.get("usable_bytes"));
        m.put("data_offset_bytes", d.get("data_offset_bytes"));
        m.put("memmap_ram_bytes", d.get("memmap_ram_bytes"));
        m.put("memmap_device_bytes", d.get("memmap_device_bytes"));
        Map<String, Object> pt = (Map<String, Object>) d.get("pgtable_pages");
        m.put("pgtable_pages", pt == null ? null : pt.get("total"));
        m.put("pgtable_vmemmap_pages", pt == null ? null : sum((Map<String, Long>) pt.get("vmemmap")));
        m.put("pgtable_linear_pages", pt == null ? null : sum((Map<String, Long>) pt.get("linear")));
        m.put("pgtable_bytes", d.get("pgtable_bytes"));
        m.put("section_metadata_bytes", d.get("section_metadata_bytes"));
        Map<String, Object> am = (Map<String, Object>) d.get("altmap");
        m.put("altmap_alloc_pages", am == null ? null : am.get("alloc"));
        m.put("altmap_align_pages", am == null ? null : am.get("align"));
        m.put("ram_cost_bytes", d.get("ram_cost_bytes"));
        Object reason = d.containsKey("reason") ? d.get("reason") : r.plan().get("error");
        m.put("reason", reason);
        return m;
    }

    private static Long sum(Map<String, Long> byLevel) {
        long n = 0;
        for (long v : byLevel.values()) {
            n += v;
        }
        return n;
    }

    /** Told after each point: how many are done out of how many. Called from worker threads. */
    @FunctionalInterface
    public interface Progress {
        void step(int done, int total);
    }

    /**
     * Parses device sizes: a comma list whose items are sizes ({@code 512G}) or geometric ranges
     * {@code FROM..TO} (factor 2) or {@code FROM..TOxN} (factor N), both ends included when reached.
     */
    public static List<Long> parseSizes(String text) {
        List<Long> out = new ArrayList<>();
        for (String item : text.split(",")) {
            String s = item.trim();
            int dots = s.indexOf("..");
            if (dots < 0) {
                out.add(positive(Sz.parse(s), s));
                continue;
            }
            String to = s.substring(dots + 2);
            long factor = 2;
            int x = to.toLowerCase(Locale.ROOT).lastIndexOf('x');
            if (x > 0) {
                try {
                    factor = Long.parseLong(to.substring(x + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("size range '" + s + "': factor '" + to.substring(x + 1)
                            + "' is not a whole number");
                }
                to = to.substring(0, x);
            }
            long lo = positive(Sz.parse(s.substring(0, dots)), s);
            long hi = positive(Sz.parse(to), s);
            if (factor < 2) {
                throw new IllegalArgumentException("size range '" + s + "': factor must be at least 2");
            }
            if (lo > hi) {
                throw new IllegalArgumentException("size range '" + s + "' runs backwards");
            }
            for (long v = lo; v <= hi; v *= factor) {
                out.add(v);
                if (v > Long.MAX_VALUE / factor) {
                    break;
                }
            }
        }
        return out;
    }

    private static long positive(long v, String text) {
        if (v <= 0) {
            throw new IllegalArgumentException("device size '" + text + "' must be positive");
        }
        return v;
    }

    /**
     * Expands the grid into points in the documented order, arch outermost. Combinations the machine
     * rejects (a granule the arch does not have, a kernel without the arch, a VA size the granule or
     * kernel does not offer) and points over the PTE-table bound are left out and listed with the
     * reason.
     */
    public static Expansion expand(Grid g) {
        List<Point> points = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (SweepArch a : g.archs()) {
            expandArch(g, a, points, skipped);
        }
        return new Expansion(List.copyOf(points), List.copyOf(skipped));
    }

    /** The points of one arch, appended in order (kernel, granule, VA bits, rodata_full, map, mode, size). */
    private static void expandArch(Grid g, SweepArch a, List<Point> points, List<String> skipped) {
        long maxTables = g.maxPteTables() > 0 ? g.maxPteTables() : DEFAULT_MAX_PTE_TABLES;
        // a VA size written with the arch (riscv64:48) replaces the grid's VA sizes for that arch
        List<Integer> vas = a.vaBits() != null ? List.of(a.vaBits()) : g.vaBits();
        for (KernelProfile k : g.kernels()) {
            for (Granule gr : g.granulesFor(a.arch())) {
                for (Integer va : vas) {
                    for (boolean rf : g.rodataFull()) {
                        for (String map : g.maps()) {
                            for (String mode : g.modes()) {
                                String series = seriesLabel(g, a, k, gr, va, rf, map, mode);
                                String why = invalid(a.arch(), k, gr, va, map, mode);
                                if (why != null) {
                                    skipped.add(series + ": " + why);
                                    continue;
                                }
                                for (long size : g.sizes()) {
                                    long ram = g.ramBytes() > 0 ? g.ramBytes() : Plan.defaultRamBytes(size);
                                    Point p = new Point(points.size(), series, a.arch(), k, gr, va, rf, map, mode,
                                            size, ram);
                                    long tables = linearPteTables(p);
                                    if (tables > maxTables) {
                                        skipped.add(series + " size=" + Sz.human(size) + ": the linear map would need "
                                                + tables + " PTE tables (more than " + maxTables + ")");
                                        continue;
                                    }
                                    points.add(p);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * Granule and map always, led by the arch ({@code x86_64 4K map=mem}) when the grid has more than
     * one; the other dimensions when the grid has more than one value of them.
     */
    static String seriesLabel(Grid g, SweepArch a, KernelProfile k, Granule gr, Integer va, boolean rf, String map,
                              String mode) {
        StringBuilder sb = new StringBuilder();
        if (g.archs().size() > 1) {
            sb.append(a.label()).append(' ');
        }
        sb.append(gr.label()).append(" map=").append(map);
        if (g.kernels().size() > 1) {
            sb.append(" kernel=").append(k.label);
        }
        if (g.vaBits().size() > 1) {
            sb.append(" va=").append(va == null ? "default" : va.toString());
        }
        if (g.rodataFull().size() > 1) {
            sb.append(" rodata_full=").append(rf);
        }
        if (g.modes().size() > 1) {
            sb.append(" mode=").append(mode);
        }
        return sb.toString();
    }

    private static String invalid(Arch arch, KernelProfile k, Granule gr, Integer va, String map, String mode) {
        if (!map.equals("dev") && !map.equals("mem")) {
            return "map '" + map + "' must be dev or mem";
        }
        if (!mode.equals("fsdax") && !mode.equals("devdax")) {
            return "mode '" + mode + "' must be fsdax or devdax";
        }
        MachineSpec spec = MachineSpec.defaults();
        spec.arch = arch;
        spec.ram.clear();
        spec.ram.add(PlanMachine.defaultRam(arch, 0));
        spec.granule = gr;
        spec.profile = k;
        spec.vaBits = va;
        try {
            spec.validate();
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /**
     * Evaluates every point on {@code threads} worker threads and returns the results in point
     * order. A point whose run throws yields a result with {@code error} instead of failing the
     * sweep.
     */
    public static List<Result> run(List<Point> points, int threads, Progress progress) throws InterruptedException {
        int n = points.size();
        Result[] results = new Result[n];
        if (n == 0) {
            return List.of();
        }
        List<Point> bySize = new ArrayList<>(points);
        bySize.sort(Comparator.comparingLong(Point::size).reversed().thenComparingInt(Point::index));
        AtomicInteger done = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, n)), r -> {
            Thread t = new Thread(r, "vmemsim-sweep");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>(n);
            for (Point p : bySize) {
                futures.add(pool.submit(() -> {
                    results[p.index()] = evaluate(p);
                    int d = done.incrementAndGet();
                    if (progress != null) {
                        progress.step(d, n);
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("sweep worker failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return List.of(results);
    }

    /** One point on the calling thread. */
    public static Result evaluate(Point p) {
        try {
            return new Result(p, Plan.evaluate(p.config()));
        } catch (RuntimeException | StackOverflowError e) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("config", p.series());
            m.put("error", e.getClass().getSimpleName() + ": " + e.getMessage());
            return new Result(p, m);
        }
    }
}
