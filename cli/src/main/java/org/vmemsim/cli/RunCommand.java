package org.vmemsim.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.vmemsim.scenario.Scenario;
import org.vmemsim.scenario.ScenarioParser;
import org.vmemsim.scenario.ScenarioResult;
import org.vmemsim.scenario.ScenarioRunner;
import org.vmemsim.scenario.ScenarioText;
import org.vmemsim.scenario.YamlTree;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vmemsim run [FILE]}: runs a scenario file (or the built-in default) and prints what each
 * step did, as text or as one JSON object. Exit 0 when every expectation held, 1 when one did not,
 * 2 when the file cannot be run (one line naming the file, line, value path and reason).
 */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {"Run a scenario: boot a machine, apply hot-plug steps, check expectations.",
            "Without FILE, runs the built-in story of the vmem_altmap series (see --print-default)."},
        footer = {"", "Examples:",
            "  vmemsim run",
            "  vmemsim run --json",
            "  vmemsim run scenarios/e59-4k-altmap.yaml --view accounting",
            "  vmemsim run my.yaml --view meminfo,ptdump",
            "", "File format: docs/scenario-format.md.",
            "Exit codes: 0 all expectations held, 1 an expectation failed, 2 the file cannot be run."})
public final class RunCommand extends BaseCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE",
            description = "Scenario file (YAML), or - for standard input (default: the built-in scenario).")
    String file;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Option(names = "--view", paramLabel = "VIEW", split = ",",
            description = "Add a view after every step: ptdump, meminfo, accounting, iomem, lsmem, memory, vmstat, ndctl or daxctl (repeat or comma-separate).")
    List<String> viewNames = new ArrayList<>();

    @Option(names = "--print-default", description = "Print the built-in scenario file and exit.")
    boolean printDefault;

    private EnumSet<ScenarioRunner.View> views;
    private Scenario scenario;

    @Override
    protected void validate() {
        views = EnumSet.noneOf(ScenarioRunner.View.class);
        for (String v : viewNames) {
            views.add(ScenarioRunner.View.parse(v));
        }
        if (printDefault) {
            if (file != null) {
                throw new IllegalArgumentException("--print-default takes no FILE");
            }
            return;
        }
        ScenarioParser parser = ScenarioParser.standard();
        if (file == null) {
            scenario = parser.parseDefault();
        } else if (file.equals("-")) {
            scenario = parser.parseBytes("<stdin>", readStdin());
        } else {
            scenario = parser.parseFile(Path.of(file));
        }
    }

    private static byte[] readStdin() {
        try {
            InputStream in = System.in;
            return in.readNBytes(YamlTree.MAX_BYTES + 1);
        } catch (IOException e) {
            throw new IllegalArgumentException("<stdin>: cannot read: " + e.getMessage());
        }
    }

    @Override
    protected ExitCode execute() {
        if (printDefault) {
            out().print(ScenarioParser.defaultText());
            out().flush();
            return ExitCode.OK;
        }
        ScenarioResult result = new ScenarioRunner(views).run(scenario);
        if (json) {
            out().print(JsonOut.pretty(result.json()));
        } else {
            out().print(ScenarioText.render(result));
        }
        out().flush();
        List<String> failures = result.failures();
        for (String f : failures) {
            err().println(Failures.PREFIX + "expectation failed: " + f);
        }
        err().flush();
        return failures.isEmpty() ? ExitCode.OK : ExitCode.FAILED;
    }
}
