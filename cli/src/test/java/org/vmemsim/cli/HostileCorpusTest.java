package org.vmemsim.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs the hostile corpus (src/test/resources/hostile, made by its generate.py): every scenario
 * file through {@code vmemsim run FILE} and every line of cli-invocations.txt as a command line.
 * Each must be refused as a user error: exit 2, exactly one stderr line "vmemsim: ...", no stack
 * trace, within {@link #LIMIT}.
 */
class HostileCorpusTest {
    private static final Duration LIMIT = Duration.ofSeconds(20);

    static Path corpusDir() {
        try {
            return Path.of(HostileCorpusTest.class.getResource("/hostile").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Stream<String> scenarioFiles() throws IOException {
        try (Stream<Path> s = Files.list(corpusDir().resolve("files"))) {
            return s.map(p -> p.getFileName().toString()).sorted().toList().stream();
        }
    }

    static Stream<String> invocations() throws IOException {
        return Files.readAllLines(corpusDir().resolve("cli-invocations.txt"), StandardCharsets.UTF_8).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#"));
    }

    @Test
    void corpus_hasAtLeast200Cases() throws IOException {
        assertThat(scenarioFiles().count()).isGreaterThanOrEqualTo(200);
        assertThat(invocations().count()).isGreaterThanOrEqualTo(100);
    }

    @ParameterizedTest(name = "run {0}")
    @MethodSource("scenarioFiles")
    void run_hostileFile_exitsTwoWithOneLine(String name) {
        String file = corpusDir().resolve("files").resolve(name).toString();
        CliRun r = assertTimeoutPreemptively(LIMIT, () -> CliRun.of("run", file));
        assertRefused(r, "run " + name);
    }

    @ParameterizedTest(name = "vmemsim {0}")
    @MethodSource("invocations")
    void cli_hostileInvocation_exitsTwoWithOneLine(String line) {
        String[] args = line.trim().split("\\s+");
        CliRun r = assertTimeoutPreemptively(LIMIT, () -> CliRun.of(args));
        assertRefused(r, line);
    }

    private static void assertRefused(CliRun r, String what) {
        List<String> lines = r.errLines();
        assertThat(r.code()).as("exit code of %s; stderr: %s", what, r.err()).isEqualTo(2);
        assertThat(lines).as("stderr of %s", what).hasSize(1);
        assertThat(lines.get(0)).as("stderr of %s", what).startsWith("vmemsim: ")
                .doesNotContain("Exception").doesNotContain("at org.");
    }
}
