package org.vmemsim.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.vmemsim.arch.Granule;
import org.vmemsim.arch.KernelProfile;
import org.vmemsim.plan.Sweep;
import org.vmemsim.plan.SweepArch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vmemsim sweep}: the capacity plan over a grid of configurations and device sizes, run in
 * parallel ({@link Sweep}), written as CSV, JSON and charts, summarised on stdout. A progress bar
 * goes to the terminal only when there is one ({@link System#console()}); otherwise nothing but
 * the results is written.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run the capacity plan (one pmem device, memmap on the device or in RAM) over a grid of "
            + "configurations and device sizes, in parallel; write CSV, JSON and charts (RAM cost vs size).",
        footer = {"", "Points are ordered arch, kernel, granule, VA bits, rodata_full, map, mode, size.",
            "Without --ram each point's machine gets max(4 GiB, device size / 16) of RAM",
            "(a power of two) at the arch's DRAM base (arm64 0x40000000, riscv64 0x80000000,",
            "x86_64/ppc64/ia64 0); the device is placed as vmemsim plan places it.",
            "Combinations an arch cannot have (granule, kernel, VA size) are left out and",
            "listed with the reason.",
            "", "Examples:", "  vmemsim sweep --out sweep-out",
            "  vmemsim sweep --sizes 1G..64T --granules 4K,64K --kernels 6.1,mainline --csv",
            "  vmemsim sweep --sizes 128M..64T --kernels 5.8,5.9,6.1,6.12,mainline \\",
            "                --modes fsdax,devdax --out sweep-1168",
            "  vmemsim sweep --archs arm64,x86_64,ppc64,riscv64:48 --sizes 1G..1T \\",
            "                --out sweep-archs"})
public final class SweepCommand extends BaseCommand {
    /** Whether a terminal is attached (the progress bar's condition); tests replace it. */
    static BooleanSupplier terminal = () -> System.console() != null;

    @Option(names = "--archs", paramLabel = "LIST", defaultValue = "arm64",
            description = "Architectures: arm64, x86_64, ppc64, riscv64, ia64, or ARCH:VA_BITS for one arch's VA "
                + "size (default: ${DEFAULT-VALUE}).")
    String archs;

    @Option(names = "--sizes", paramLabel = "LIST", defaultValue = "1G..64T",
            description = "Device sizes: a comma list of sizes and ranges FROM..TO (x2 steps) or FROM..TOxN "
                + "(default: ${DEFAULT-VALUE}).")
    String sizes;

    @Option(names = "--granules", paramLabel = "LIST",
            description = "Translation granules: 4K, 16K, 64K (default: each arch's own: arm64 4K,16K,64K; "
                + "x86_64 and riscv64 4K; ppc64 64K; ia64 16K,64K).")
    String granules;

    @Option(names = "--maps", paramLabel = "LIST", defaultValue = "dev,mem",
            description = "Where the memmap goes: dev (altmap on the device), mem (RAM) (default: ${DEFAULT-VALUE}).")
    String maps;

    @Option(names = "--kernels", paramLabel = "LIST", defaultValue = "mainline",
            description = "Kernel profiles: 5.8, 5.9, 6.1, 6.12, mainline (default: ${DEFAULT-VALUE}).")
    String kernels;

    @Option(names = "--rodata-full", paramLabel = "LIST", defaultValue = "false",
            description = "rodata_full values; true maps the linear map page by page, which is costly to model "
                + "at large sizes (default: ${DEFAULT-VALUE}).")
    String rodataFull;

    @Option(names = "--va-bits", paramLabel = "LIST", defaultValue = "default",
            description = "Kernel VA sizes; 'default' is the arch's for the granule (default: ${DEFAULT-VALUE}).")
    String vaBits;

    @Option(names = "--modes", paramLabel = "LIST", defaultValue = "devdax",
            description = "Namespace modes: fsdax, devdax (default: ${DEFAULT-VALUE}).")
    String modes;

    @Option(names = "--ram", paramLabel = "SIZE", converter = Converters.Size.class,
            description = "Fixed boot RAM for every point, at the arch's DRAM base (default: the rule below).")
    Long ram;

    @Option(names = "--max-pte-tables", paramLabel = "N",
            description = "Leave out points whose page-granular linear map needs more PTE tables than N "
                + "(default: " + Sweep.DEFAULT_MAX_PTE_TABLES + ", i.e. 1 TiB at 4K pages).")
    Long maxPteTables;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Write sweep.csv, sweep.json and the charts (SVG and PNG) into DIR.")
    Path out;

    @Option(names = "--no-charts", description = "With --out, write CSV and JSON only.")
    boolean noCharts;

    @Option(names = "--threads", paramLabel = "N",
            description = "Worker threads (default: the number of processors, here ${DEFAULT-VALUE}).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--csv", description = "Print the CSV on stdout instead of the summary.")
    boolean csv;

    @Option(names = "--json", description = "Print the JSON on stdout instead of the summary.")
    boolean json;

    private Sweep.Grid grid;
    private Sweep.Expansion expansion;

    @Override
    protected void validate() {
        if (csv && json) {
            throw new IllegalArgumentException("--csv and --json are exclusive");
        }
        if (out != null && out.toString().isBlank()) {
            throw new IllegalArgumentException("--out needs a directory name");
        }
        if (noCharts && out == null) {
            throw new IllegalArgumentException("--no-charts needs --out (charts are only written there)");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("--threads must be at least 1, not " + threads);
        }
        if (maxPteTables != null && maxPteTables < 1) {
            throw new IllegalArgumentException("--max-pte-tables must be at least 1");
        }
        grid = new Sweep.Grid(list("--archs", archs, SweepArch::parse), Sweep.parseSizes(sizes),
                granules == null ? null : list("--granules", granules, Granule::parse),
                list("--maps", maps, SweepCommand::map), list("--kernels", kernels, KernelProfile::parse),
                list("--rodata-full", rodataFull, SweepCommand::bool), list("--va-bits", vaBits, SweepCommand::va),
                list("--modes", modes, SweepCommand::mode), ram == null ? 0 : ram,
                maxPteTables == null ? 0 : maxPteTables);
        expansion = Sweep.expand(grid);
        if (expansion.points().isEmpty()) {
            throw new IllegalArgumentException("the grid has no valid point" + (expansion.skipped().isEmpty() ? ""
                    : ": " + expansion.skipped().get(0)));
        }
    }

    private static <T> List<T> list(String option, String text, Function<String, T> parse) {
        List<T> out = new ArrayList<>();
        for (String s : text.split(",")) {
            String v = s.trim();
            if (v.isEmpty()) {
                throw new IllegalArgumentException(option + " '" + text + "' has an empty item");
            }
            T t = parse.apply(v);
            if (out.contains(t)) {
                throw new IllegalArgumentException(option + " lists '" + v + "' twice");
            }
            out.add(t);
        }
        return out;
    }

    private static String map(String v) {
        String m = v.toLowerCase(Locale.ROOT);
        if (!m.equals("dev") && !m.equals("mem")) {
            throw new IllegalArgumentException("map '" + v + "' must be dev or mem");
        }
        return m;
    }

    private static String mode(String v) {
        String m = v.toLowerCase(Locale.ROOT);
        if (!m.equals("fsdax") && !m.equals("devdax")) {
            throw new IllegalArgumentException("mode '" + v + "' must be fsdax or devdax");
        }
        return m;
    }

    private static Boolean bool(String v) {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "on", "1", "yes" -> true;
            case "false", "off", "0", "no" -> false;
            default -> throw new IllegalArgumentException("rodata_full '" + v + "' must be true or false");
        };
    }

    private static Integer va(String v) {
        if (v.equalsIgnoreCase("default")) {
            return null;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("VA size '" + v + "' must be a number of bits or 'default'");
        }
    }

    @Override
    protected ExitCode execute() throws Exception {
        List<Sweep.Point> points = expansion.points();
        long t0 = System.nanoTime();
        List<Sweep.Result> results;
        if (terminal.getAsBoolean()) {
            // the bar redraws one line with \r on the process's stderr, never on stdout
            try (ProgressBar bar = new ProgressBarBuilder().setTaskName("sweep").setInitialMax(points.size())
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(200)
                    .setConsumer(new ConsoleProgressBarConsumer(System.err)).build()) {
                results = Sweep.run(points, threads, (done, total) -> bar.stepTo(done));
            }
        } else {
            results = Sweep.run(points, threads, null);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        List<Path> written = new ArrayList<>();
        if (out != null) {
            Files.createDirectories(out);
            written.add(write(out.resolve("sweep.csv"), SweepOutput.csv(results)));
            written.add(write(out.resolve("sweep.json"), SweepOutput.json(grid, expansion, results)));
            if (!noCharts) {
                written.addAll(SweepCharts.write(results, out, threads));
            }
        }
        if (csv) {
            out().print(SweepOutput.csv(results));
        } else if (json) {
            out().print(SweepOutput.json(grid, expansion, results));
        } else {
            out().print(SweepOutput.summary(expansion, results));
            for (Path p : written) {
                out().println("wrote " + p);
            }
        }
        out().flush();
        // timing goes to stderr: stdout stays the same from run to run
        err().printf(Locale.ROOT, "vmemsim sweep: %d points in %.1f s on %d thread%s\n", points.size(), seconds,
                Math.min(threads, points.size()), threads == 1 ? "" : "s");
        err().flush();
        return ExitCode.OK;
    }

    private static Path write(Path p, String text) throws java.io.IOException {
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }
}
