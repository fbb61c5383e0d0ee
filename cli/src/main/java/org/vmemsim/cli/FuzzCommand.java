package org.vmemsim.cli;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.vmemsim.check.FuzzConfig;
import org.vmemsim.check.FuzzReport;
import org.vmemsim.check.Fuzzer;
import org.vmemsim.kernel.MachineSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code vmemsim fuzz}: a seeded random campaign of hot-plug operations with every invariant
 * checked after every step (see {@link Fuzzer}); prints a summary, and on a model violation the
 * shrunk sequence as a ready-to-run scenario. The same seed prints the same bytes; a progress bar
 * goes to stderr only when attached to a terminal.
 */
@Command(
        name = "fuzz",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {"Run random hot-plug sequences and check the model's invariants after every step.",
            "Actions: memremap/memunmap, add/online/offline/remove memory, create/destroy pmem namespaces.",
            "Without --pmem the machine gets a 4G pmem region at 0x30_0000_0000 for the namespace actions.",
            "Kernel findings (hazards the real kernel has, e.g. H2, H7) are counted; a model violation is shrunk",
            "to a minimal scenario and the exit code is 1."},
        footer = {"", "Examples:",
            "  vmemsim fuzz --seed 42 --ops 10000",
            "  vmemsim fuzz --seed 7 --ops 2000 --kernel 5.9 --fail-rate 0.01",
            "  vmemsim fuzz --granule 64K --ops 500"})
public final class FuzzCommand extends BaseCommand {
    @Mixin
    MachineOptions machine;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--ops", paramLabel = "N", defaultValue = "1000",
            description = "Operations to run (default: ${DEFAULT-VALUE}).")
    long ops;

    @Option(names = "--fail-rate", paramLabel = "P", defaultValue = "0",
            description = "Probability that any one allocation fails, 0..1 (default: ${DEFAULT-VALUE}).")
    double failRate;

    @Option(names = "--full-every", paramLabel = "N", defaultValue = "64",
            description = {"Check the invariants over the whole model every N steps, over the step's sections",
                "otherwise; 1 = always the whole model (default: ${DEFAULT-VALUE})."})
    int fullEvery;

    @Option(names = "--timing", description = "Also print the elapsed time and operations per second (not reproducible).")
    boolean timing;

    private FuzzConfig config;

    @Override
    protected void validate() {
        MachineSpec spec = FuzzConfig.withDefaultPmem(machine.toSpec());
        spec.validate();
        config = new FuzzConfig(spec, seed, ops, failRate, fullEvery);
    }

    @Override
    protected ExitCode execute() {
        Fuzzer fuzzer = new Fuzzer(config);
        FuzzReport report;
        if (System.console() != null) {
            try (ProgressBar pb = new ProgressBarBuilder().setTaskName("fuzz").setInitialMax(config.ops())
                    .setStyle(ProgressBarStyle.ASCII).clearDisplayOnFinish().build()) {
                report = fuzzer.run(pb::stepTo);
            }
        } else {
            report = fuzzer.run();
        }
        out().print(report.text());
        if (timing) {
            out().printf("elapsed:              %.3f s (%.0f ops/s)%n", report.elapsedNanos / 1e9, report.opsPerSecond());
            if (report.cpuNanos > 0) {
                out().printf("thread CPU time:      %.3f s (%.0f ops/s)%n", report.cpuNanos / 1e9, report.opsPerCpuSecond());
            }
        }
        out().flush();
        return report.violations().isEmpty() ? ExitCode.OK : ExitCode.FAILED;
    }
}
