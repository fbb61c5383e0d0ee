package org.vmemsim.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vmemsim.scenario.Scenario;
import org.vmemsim.scenario.ScenarioParser;
import org.vmemsim.scenario.ScenarioRunner;
import org.vmemsim.view.HtmlReport;
import org.vmemsim.view.ReportFrame;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vmemsim report --html OUT.html [SCENARIO]}: one self-contained HTML page of a scenario run. */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run a scenario and write one self-contained HTML report.",
            "Physical address map, vmemmap by backing (RAM or which altmap), page tables and accounting",
            "over the steps; without SCENARIO, the built-in story."},
        footer = {"", "Examples:", "  vmemsim report --html out/report.html",
            "  vmemsim report --html e59.html scenarios/e59-4k-altmap.yaml"})
public final class ReportCommand extends BaseCommand {
    @Option(names = "--html", paramLabel = "OUT.html", required = true, description = "Where to write the report.")
    Path html;

    @Parameters(index = "0", arity = "0..1", paramLabel = "SCENARIO", description = "Scenario file (default: built-in).")
    String file;

    private Scenario scenario;

    @Override
    protected void validate() {
        ScenarioParser parser = ScenarioParser.standard();
        scenario = file == null ? parser.parseDefault() : parser.parseFile(Path.of(file));
        if (html.toString().isBlank()) {
            throw new IllegalArgumentException("--html needs a file name");
        }
        if (Files.isDirectory(html)) {
            throw new IllegalArgumentException("cannot write " + html + ": it is a directory");
        }
        Path parent = html.toAbsolutePath().getParent();
        while (parent != null && !Files.exists(parent)) {
            parent = parent.getParent();
        }
        if (parent != null && !Files.isDirectory(parent)) {
            throw new IllegalArgumentException("cannot write " + html + ": " + parent + " is not a directory");
        }
    }

    @Override
    protected ExitCode execute() throws IOException {
        Map<Integer, List<ReportFrame>> frames = new LinkedHashMap<>();
        Map<Integer, String[]> names = new LinkedHashMap<>();
        new ScenarioRunner().observe((ri, run, step, result, k) -> {
            frames.computeIfAbsent(ri, x -> new ArrayList<>()).add(ReportFrame.capture(k, step, result));
            names.putIfAbsent(ri, new String[] {run, k.spec.describe()});
        }).run(scenario);
        List<HtmlReport.Run> runs = new ArrayList<>();
        for (var e : frames.entrySet()) {
            String[] n = names.get(e.getKey());
            runs.add(new HtmlReport.Run(frames.size() > 1 ? n[0] : "", n[1], e.getValue()));
        }
        String title = "vmemsim report: " + (file == null ? "the built-in story" : Path.of(file).getFileName());
        Path parent = html.toAbsolutePath().getParent();
        try {
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(html, HtmlReport.renderRuns(title, runs), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write " + html + ": " + e.getMessage(), e);
        }
        out().println("wrote " + html + " (" + Files.size(html) + " bytes)");
        out().flush();
        return ExitCode.OK;
    }
}
