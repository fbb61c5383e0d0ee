package org.vmemsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FuzzCommandTest {
    @Test
    void fuzz_printsSummaryWithoutViolations() {
        CliRun r = CliRun.of("fuzz", "--seed", "4", "--ops", "60");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("vmemsim fuzz: seed 4, arm64 4K VA48 mainline rodata_full=1 RAM 4G@0x40000000 pmem 4G@0x3000000000\n")
                .contains("ops run:              60 of 60\n", "invariant violations: 0\n");
        assertThat(r.err()).isEmpty(); // no terminal in tests: no progress bar
    }

    @Test
    void fuzz_sameSeed_byteIdenticalOutput() {
        String[] args = {"fuzz", "--seed", "9", "--ops", "80", "--kernel", "5.9", "--fail-rate", "0.02"};
        assertThat(CliRun.of(args).out()).isEqualTo(CliRun.of(args).out());
    }

    @Test
    void fuzz_badFailRate_isAUsageError() {
        CliRun r = CliRun.of("fuzz", "--fail-rate", "2");
        assertThat(r.code()).isEqualTo(ExitCode.USAGE.code);
        assertThat(r.err()).isEqualTo("vmemsim: fail rate 2.0 must be between 0 and 1\n");
    }
}
