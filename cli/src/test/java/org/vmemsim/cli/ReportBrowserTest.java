package org.vmemsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Renders the HTML report of the built-in scenario in Debian's headless Chromium (installed by
 * .ci/run): the DOM must hold the report's sections, the browser must load the file without errors,
 * and a screenshot is kept under cli/target/browser/ (the CI log prints its path).
 */
class ReportBrowserTest {
    private static final Path DIR = Path.of("target", "browser").toAbsolutePath();
    private static Path chromium;
    private static Path html;

    @BeforeAll
    static void render() throws IOException {
        for (String c : new String[] {"/usr/bin/chromium", "/usr/bin/chromium-browser"}) {
            if (Files.isExecutable(Path.of(c))) {
                chromium = Path.of(c);
            }
        }
        Assumptions.assumeTrue(chromium != null, "chromium is not installed (.ci/run installs it)");
        Files.createDirectories(DIR);
        html = DIR.resolve("default.html");
        CliRun r = CliRun.of("report", "--html", html.toString());
        assertThat(r.code()).as(r.err()).isZero();
    }

    private static String[] run(String... extra) throws Exception {
        Path profile = Files.createTempDirectory(DIR, "profile");
        List<String> cmd = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile));
        cmd.addAll(List.of(extra));
        cmd.add(html.toUri().toString());
        Path out = DIR.resolve("stdout-" + System.nanoTime());
        Path err = DIR.resolve("stderr-" + System.nanoTime());
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("chromium finished").isTrue();
        return new String[] {Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8),
            Integer.toString(p.exitValue())};
    }

    @Test
    void report_domHoldsEverySection() throws Exception {
        String[] r = run("--dump-dom");
        assertThat(r[2]).isEqualTo("0");
        String dom = r[0];
        assertThat(dom).contains("<h1 id=\"title\">vmemsim report: the built-in story</h1>");
        for (String id : new String[] {"steps", "physmap", "vmemmap", "vmemmap-runs", "pgtables", "ramchart", "accounting",
            "steps-1", "physmap-1", "vmemmap-1"}) {
            assertThat(dom).as("element #%s", id).contains("id=\"" + id + "\"");
        }
        assertThat(dom).contains("altmap:pmem0").contains("memmap (altmap alloc)");
        assertThat(r[1]).doesNotContain("ERR_FILE").doesNotContain("Uncaught");
        assertThat(dom).as("no network fetches").doesNotContainPattern("(src|href)\\s*=\\s*\"(https?:)?//")
                .doesNotContain("<script").doesNotContain("<link");
    }

    @Test
    void report_screenshotIsKept() throws Exception {
        Path png = DIR.resolve("report.png");
        Files.deleteIfExists(png);
        String[] r = run("--window-size=1200,2400", "--screenshot=" + png);
        assertThat(r[2]).isEqualTo("0");
        byte[] bytes = Files.readAllBytes(png);
        assertThat(bytes.length).isGreaterThan(20_000);
        assertThat(bytes[1]).isEqualTo((byte) 'P');
        assertThat(bytes[2]).isEqualTo((byte) 'N');
        System.out.println("report screenshot: " + png);
    }
}
