package org.vmemsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.vmemsim.arch.Granule;
import org.vmemsim.arch.KernelProfile;
import org.vmemsim.kernel.MachineSpec;
import org.vmemsim.kernel.RamRange;
import picocli.CommandLine;

class BootCommandTest {
    private static final long GIB = 1L << 30;

    /** A user mistake: exit 2, exactly one stderr line "vmemsim: ..." naming the value, no trace. */
    private static void assertOneLineUsageError(CliRun r, String named) {
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.errLines().get(0)).startsWith("vmemsim: ").contains(named).doesNotContain("Exception");
        assertThat(r.err()).doesNotContain("at org.").doesNotContain("at java.").doesNotContain("\tat ");
        assertThat(r.out()).isEmpty();
    }

    @Nested
    class Errors {
        @Test
        void boot_unknownGranule() {
            assertOneLineUsageError(CliRun.of("boot", "--granule", "8K"), "8K");
        }

        @Test
        void boot_vaBitsNotValidForGranule() {
            assertOneLineUsageError(CliRun.of("boot", "--va-bits", "47", "--granule", "4K"), "47");
        }

        @Test
        void boot_ramBeyondMaxPhysmemBits() {
            // 4K/48-bit VA: MAX_PHYSMEM_BITS = 48, so RAM at 2^48 = 0x1_0000_0000_0000 is unaddressable.
            CliRun r = CliRun.of("boot", "--ram", "4G@0x1_0000_0000_0000");
            assertOneLineUsageError(r, "MAX_PHYSMEM_BITS");
            assertThat(r.err()).contains("0x" + Long.toHexString(1L << 48));
        }

        @Test
        void boot_overlappingRam() {
            // [1G, 5G) and [2G, 3G) overlap.
            assertOneLineUsageError(CliRun.of("boot", "--ram", "4G@0x40000000", "--ram", "1G@0x80000000"), "overlap");
        }

        @Test
        void boot_unalignedRam() {
            assertOneLineUsageError(CliRun.of("boot", "--ram", "4G@0x40000001"), "0x40000001");
        }

        @Test
        void boot_malformedRam() {
            assertOneLineUsageError(CliRun.of("boot", "--ram", "4G"), "SIZE@ADDR");
        }

        @Test
        void boot_rodataFullNotBoolean() {
            assertOneLineUsageError(CliRun.of("boot", "--rodata-full", "maybe"), "maybe");
        }

        @Test
        void boot_unknownOption() {
            assertOneLineUsageError(CliRun.of("boot", "--frobnicate"), "--frobnicate");
        }

        @Test
        void boot_unknownKernelProfile() {
            assertOneLineUsageError(CliRun.of("boot", "--kernel", "4.19"), "4.19");
        }
    }

    @Nested
    class Output {
        @Test
        void boot_textOnStdout() {
            CliRun r = CliRun.of("boot");
            assertThat(r.code()).isZero();
            assertThat(r.err()).isEmpty();
            assertThat(r.out()).isNotBlank().endsWith("\n");
        }

        @Test
        void boot_jsonIsOneObject() throws Exception {
            CliRun r = CliRun.of("boot", "--json");
            assertThat(r.code()).isZero();
            assertThat(r.err()).isEmpty();
            JsonNode tree = new ObjectMapper().readTree(r.out());
            assertThat(tree.isObject()).isTrue();
            assertThat(r.out()).startsWith("{").endsWith("}\n");
        }

        @Test
        void boot_outputIsDeterministic() {
            String[] args = {"boot", "--json", "--ram", "2G@0x4000_0000", "--ram", "2G@0x1_0000_0000:1"};
            assertThat(CliRun.of(args).out()).isEqualTo(CliRun.of(args).out());
            assertThat(CliRun.of("boot").out()).isEqualTo(CliRun.of("boot").out());
        }

        @Test
        void boot_helpExitsZero() {
            CliRun r = CliRun.of("boot", "--help");
            assertThat(r.code()).isZero();
            assertThat(r.out()).contains("--granule", "--va-bits", "--kernel", "--ram", "--rodata-full", "--json");
        }
    }

    @Nested
    class Options {
        private MachineSpec specOf(String... args) {
            CommandLine cl = Cli.newCommandLine();
            CommandLine.ParseResult pr = cl.parseArgs(args);
            BootCommand boot = (BootCommand) pr.subcommand().commandSpec().userObject();
            return boot.machine.toSpec();
        }

        @Test
        void toSpec_defaults() {
            MachineSpec s = specOf("boot");
            assertThat(s.granule).isEqualTo(Granule.G4K);
            assertThat(s.vaBits).isNull();
            assertThat(s.effectiveVaBits()).isEqualTo(48);
            assertThat(s.profile).isEqualTo(KernelProfile.MAINLINE);
            assertThat(s.rodataFull).isTrue();
            assertThat(s.ram).containsExactly(new RamRange(GIB, 4 * GIB, 0));
        }

        @Test
        void toSpec_ramRangesReplaceTheDefault() {
            MachineSpec s = specOf("boot", "--ram", "2G@0x4000_0000", "--ram", "2G@0x1_0000_0000:1");
            assertThat(s.ram).containsExactly(new RamRange(GIB, 2 * GIB, 0), new RamRange(4 * GIB, 2 * GIB, 1));
        }

        @ParameterizedTest
        @CsvSource({"16K, 47, 5.9, false", "64K, 52, mainline, true", "4K, 39, 6.1, false"})
        void toSpec_explicitValues(String granule, int vaBits, String kernel, boolean rodata) {
            MachineSpec s = specOf("boot", "--granule", granule, "--va-bits", Integer.toString(vaBits),
                    "--kernel", kernel, "--rodata-full", Boolean.toString(rodata));
            assertThat(s.granule.label()).isEqualTo(granule);
            assertThat(s.effectiveVaBits()).isEqualTo(vaBits);
            assertThat(s.profile.label).isEqualTo(kernel);
            assertThat(s.rodataFull).isEqualTo(rodata);
        }
    }
}
