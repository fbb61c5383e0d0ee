package org.vmemsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vmemsim.util.Errno;
import org.vmemsim.util.KernelError;
import org.vmemsim.util.U64;
import picocli.CommandLine;
import picocli.CommandLine.Command;

class CliTest {
    /** A test-only subcommand that fails the way it is told to. */
    @Command(name = "fail")
    static final class Fail extends BaseCommand {
        @CommandLine.Parameters(index = "0")
        String how;

        @Override
        protected ExitCode execute() {
            switch (how) {
                case "internal" -> throw new IllegalStateException("boom");
                case "kernel" -> throw new KernelError(Errno.EINVAL, "add_memory", "range 0x1000 is not section aligned");
                case "overflow" -> throw new U64.Overflow("0xffffffffffffffff + 0x1000 wraps");
                case "multiline" -> throw new IllegalArgumentException("first\nsecond");
                default -> {
                    return ExitCode.OK;
                }
            }
        }
    }

    private static CliRun runFail(String... args) {
        CommandLine cl = Cli.newCommandLine();
        cl.addSubcommand("fail", new Fail());
        return CliRun.on(cl, args);
    }

    @Test
    void noArguments_printsUsage() {
        CliRun r = CliRun.of();
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("Usage: vmemsim").contains("boot");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void help_exitsZero() {
        CliRun r = CliRun.of("--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("Usage: vmemsim", "boot", "--version", "--debug");
    }

    @Test
    void helpSubcommand_exitsZero() {
        CliRun r = CliRun.of("help", "boot");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("Usage: vmemsim boot");
    }

    @Test
    void version_namesTheProject() {
        CliRun r = CliRun.of("--version");
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("vmemsim ").doesNotContain("${").doesNotContain("unknown");
    }

    @Test
    void unknownSubcommand_oneLineExit2() {
        CliRun r = CliRun.of("frobnicate");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.errLines().get(0)).startsWith("vmemsim: ").contains("frobnicate");
    }

    @Test
    void internalError_oneLineExit70() {
        CliRun r = runFail("fail", "internal");
        assertThat(r.code()).isEqualTo(70);
        assertThat(r.errLines()).containsExactly("vmemsim: internal error: java.lang.IllegalStateException: boom");
    }

    @Test
    void internalError_debugPrintsTrace() {
        for (List<String> args : List.of(List.of("--debug", "fail", "internal"), List.of("fail", "--debug", "internal"))) {
            CliRun r = runFail(args.toArray(String[]::new));
            assertThat(r.code()).isEqualTo(70);
            assertThat(r.errLines().get(0)).isEqualTo("vmemsim: internal error: java.lang.IllegalStateException: boom");
            assertThat(r.err()).contains("at org.vmemsim.cli.CliTest$Fail.execute");
        }
    }

    @Test
    void kernelError_isAUserMistake() {
        CliRun r = runFail("fail", "kernel");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.errLines()).containsExactly("vmemsim: add_memory: -EINVAL: range 0x1000 is not section aligned");
    }

    @Test
    void overflow_isAUserMistake() {
        CliRun r = runFail("fail", "overflow");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.errLines()).containsExactly("vmemsim: 0xffffffffffffffff + 0x1000 wraps");
    }

    @Test
    void multilineMessage_isFoldedIntoOneLine() {
        CliRun r = runFail("fail", "multiline");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.errLines()).containsExactly("vmemsim: first; second");
    }

    @Test
    void success_exitsZero() {
        assertThat(runFail("fail", "nothing").code()).isZero();
    }

    @Test
    void jsonOut_keepsInsertionOrderAndNumbers() {
        LinkedHashMap<String, Object> tree = new LinkedHashMap<>();
        tree.put("zeta", 4294967296L);
        tree.put("alpha", List.of(1, 2));
        tree.put("name", "vmemmap");
        assertThat(JsonOut.pretty(tree)).isEqualTo("""
                {
                  "zeta": 4294967296,
                  "alpha": [
                    1,
                    2
                  ],
                  "name": "vmemmap"
                }
                """);
    }
}
