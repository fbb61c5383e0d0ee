package org.vmemsim.cli;

import java.nio.file.Path;
import java.util.List;
import org.vmemsim.check.FaultSweep;
import org.vmemsim.check.ScenarioFaultSweep;
import org.vmemsim.scenario.Scenario;
import org.vmemsim.scenario.ScenarioParser;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vmemsim faults}: systematic fault injection over a scenario. Every action step is run
 * once per allocation it makes, on a machine that replays the steps before it, with that
 * allocation failing; each attempt is classified (clean rollback, mem_section root kept, survived,
 * a kernel finding such as H7/H10/H12, or a model failure).
 */
@Command(
        name = "faults",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {"Fail every allocation of every action step of a scenario in turn and check the rollback.",
            "Exit codes: 0 no model failure, 1 a model failure, 2 the file cannot be run."},
        footer = {"", "Examples:",
            "  vmemsim faults                       # the built-in scenario, long runs of one site thinned",
            "  vmemsim faults --all scenarios/errors.yaml",
            "  vmemsim faults --head 16 --stride 4096"})
public final class FaultsCommand extends BaseCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE",
            description = "Scenario file (YAML) (default: the built-in scenario).")
    String file;

    @Option(names = "--all", description = "Fail every allocation (no thinning); slow for steps with many thousands.")
    boolean all;

    @Option(names = "--head", paramLabel = "N", defaultValue = "64",
            description = "Always fail the first and last N allocations of a step (default: ${DEFAULT-VALUE}).")
    int head;

    @Option(names = "--stride", paramLabel = "N", defaultValue = "1024",
            description = {"Inside a run of allocations at one site, fail every Nth; every allocation next to a",
                "change of site is always failed (default: ${DEFAULT-VALUE}; 1 = --all)."})
    int stride;

    private Scenario scenario;

    @Override
    protected void validate() {
        if (head < 0) {
            throw new IllegalArgumentException("--head " + head + " must not be negative");
        }
        if (stride < 1) {
            throw new IllegalArgumentException("--stride " + stride + " must be at least 1");
        }
        ScenarioParser parser = ScenarioParser.standard();
        scenario = file == null ? parser.parseDefault() : parser.parseFile(Path.of(file));
    }

    @Override
    protected ExitCode execute() {
        FaultSweep.Selection sel = all || stride == 1 ? sites -> null : FaultSweep.strided(head, stride);
        List<ScenarioFaultSweep.StepSweep> sweeps = ScenarioFaultSweep.sweep(scenario, sel, line -> { });
        out().print("vmemsim faults: " + scenario.name() + (all || stride == 1 ? ", every allocation"
                : ", first/last " + head + ", every site change and every " + stride + "th allocation") + "\n");
        out().print(ScenarioFaultSweep.text(sweeps));
        out().flush();
        return ScenarioFaultSweep.failures(sweeps) == 0 ? ExitCode.OK : ExitCode.FAILED;
    }
}
