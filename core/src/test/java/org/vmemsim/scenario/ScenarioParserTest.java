package org.vmemsim.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.vmemsim.util.Sz.SZ_1G;
import static org.vmemsim.util.Sz.SZ_4G;
import static org.vmemsim.util.Sz.SZ_64G;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.vmemsim.arch.Granule;
import org.vmemsim.arch.KernelProfile;
import org.vmemsim.kernel.RamRange;
import org.vmemsim.mm.memremap.MemoryType;

/** Scenario files: what is accepted, and the one-line error (file, line, path, reason) for what is not. */
class ScenarioParserTest {
    private static final ScenarioParser PARSER = ScenarioParser.standard();

    static Scenario parse(String yaml) {
        return PARSER.parse("t.yaml", yaml);
    }

    static ScenarioException error(String yaml) {
        try {
            parse(yaml);
        } catch (ScenarioException e) {
            return e;
        }
        throw new AssertionError("expected a ScenarioException for:\n" + yaml);
    }

    @Nested
    class GoodFiles {
        @Test
        void parse_singleRunWithMachineAndSteps() {
            Scenario s = parse("""
                    name: one
                    machine:
                      granule: 64K
                      va_bits: 52
                      kernel: "5.9"
                      ram: [2G@0x4000_0000, 2G@0x1_0000_0000:1]
                      rodata_full: false
                    steps:
                      - memremap: {id: dev0, start: 0x20_0000_0000, size: 64G, type: devdax,
                                   altmap: {reserve: 1, free: auto}, nid: 1}
                      - memunmap: {id: dev0}
                    """);
            assertThat(s.name()).isEqualTo("one");
            assertThat(s.runs()).hasSize(1);
            Scenario.Run run = s.runs().get(0);
            assertThat(run.path()).isEmpty();
            assertThat(run.machine().granule).isEqualTo(Granule.G64K);
            assertThat(run.machine().effectiveVaBits()).isEqualTo(52);
            assertThat(run.machine().profile).isEqualTo(KernelProfile.V5_9);
            assertThat(run.machine().rodataFull).isFalse();
            assertThat(run.machine().ram).containsExactly(new RamRange(SZ_1G, 2 * SZ_1G, 0), new RamRange(SZ_4G, 2 * SZ_1G, 1));
            assertThat(run.steps()).hasSize(2);
            MemremapStep.Memremap m = (MemremapStep.Memremap) run.steps().get(0).args();
            assertThat(m.start()).isEqualTo(128 * SZ_1G);
            assertThat(m.size()).isEqualTo(SZ_64G);
            assertThat(m.type()).isEqualTo(MemoryType.GENERIC);
            assertThat(m.altmap().reserve()).isEqualTo(1);
            assertThat(m.altmap().auto()).isTrue();
            assertThat(m.nid()).isEqualTo(1);
            assertThat(run.steps().get(1).path()).isEqualTo("steps[1]");
            assertThat(run.steps().get(1).line()).isEqualTo(11);
        }

        @Test
        void parse_machineIsOptionalAndDefaultsToTheBootDefault() {
            Scenario s = parse("steps: [{memunmap: {id: x}}]");
            assertThat(s.runs().get(0).machine().describe()).isEqualTo("arm64 4K VA48 mainline rodata_full=1 RAM 4G@0x40000000");
            assertThat(s.name()).isEqualTo("t.yaml");
        }

        @Test
        void parse_runsGiveOnePathPerRun() {
            Scenario s = parse("""
                    runs:
                      - name: a
                        steps: [{memunmap: {id: x}}]
                      - machine: {granule: 16K, ram: {size: 4G, start: 0x8000_0000}}
                        steps: [{label: hello, memunmap: {id: y}}]
                    """);
            assertThat(s.runs()).extracting(Scenario.Run::name).containsExactly("a", "run1");
            assertThat(s.runs().get(1).steps().get(0).path()).isEqualTo("runs[1].steps[0]");
            assertThat(s.runs().get(1).steps().get(0).label()).isEqualTo("hello");
            assertThat(s.runs().get(1).machine().ram).containsExactly(new RamRange(2 * SZ_1G, SZ_4G, 0));
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
            "64G            | 68719476736",
            "0x10_0000_0000 | 68719476736",
            "68719476736    | 68719476736",
            "'\"64GiB\"'    | 68719476736",
            "4k             | 4096"})
        void parse_sizeSpellings(String text, long bytes) {
            Scenario s = parse("steps: [{memremap: {id: d, start: 0, size: " + text + "}}]");
            assertThat(((MemremapStep.Memremap) s.runs().get(0).steps().get(0).args()).size()).isEqualTo(bytes);
        }

        @Test
        void parse_expectFlattensNestedMappings() {
            Scenario s = parse("steps: [{expect: {result: -ENOMEM, accounting: {pgtable_pages: {vmemmap: 2}}}}]");
            ExpectStep.Expect x = (ExpectStep.Expect) s.runs().get(0).steps().get(0).args();
            assertThat(x.items()).extracting(ExpectStep.Expectation::path)
                    .containsExactly("result", "accounting.pgtable_pages.vmemmap");
        }

        @Test
        void parseDefault_isTheStoryOf4KAnd64K() {
            Scenario s = PARSER.parseDefault();
            assertThat(s.runs()).extracting(r -> r.machine().granule).containsExactly(Granule.G4K, Granule.G64K);
            assertThat(s.source()).isEqualTo(ScenarioParser.DEFAULT_NAME);
        }
    }

    @Nested
    class BadFiles {
        @Test
        void parse_badUnitNamesLinePathAndValue() {
            ScenarioException e = error("""
                    steps:
                      - memunmap: {id: a}
                      - memremap:
                          id: b
                          start: 0
                          size: 4X
                    """);
            assertThat(e.line()).isEqualTo(6);
            assertThat(e.path()).isEqualTo("steps[1].memremap.size");
            assertThat(e.getMessage()).startsWith("t.yaml:6: steps[1].memremap.size: '4X' is not a size");
        }

        @Test
        void parse_unknownKeyListsTheValidOnes() {
            ScenarioException e = error("steps:\n  - memremap: {id: b, start: 0, size: 1G, sise: 1G}\n");
            assertThat(e.path()).isEqualTo("steps[0].memremap.sise");
            assertThat(e.reason()).contains("unknown key 'sise'", "id, start, size, type, altmap, nid");
        }

        @Test
        void parse_wrappingRange() {
            // 0xffff_ffff_ffff_f000 + 8 KiB = 2^64 + 4 KiB: passes the end of the address space.
            ScenarioException e = error("steps: [{memremap: {id: b, start: 0xffff_ffff_ffff_f000, size: 8K}}]");
            assertThat(e.path()).isEqualTo("steps[0].memremap.size");
            assertThat(e.reason()).contains("passes the end of the 64-bit address space");
        }

        @Test
        void parse_machineErrorsNameTheMachine() {
            ScenarioException e = error("runs:\n  - name: a\n    machine: {granule: 4K, va_bits: 47}\n    steps: []\n");
            assertThat(e.path()).isEqualTo("runs[0].machine");
            assertThat(e.line()).isEqualTo(3);
        }

        @Test
        void parse_aliasesAreRefused() {
            ScenarioException e = error("a: &x [1, 2]\nb: [*x, *x]\n");
            assertThat(e.reason()).containsAnyOf("anchor", "alias");
        }

        @Test
        void parseBytes_tooLarge() {
            byte[] big = ("# " + "x".repeat(YamlTree.MAX_BYTES) + "\n").getBytes(StandardCharsets.UTF_8);
            assertThatThrownBy(() -> PARSER.parseBytes("big.yaml", big)).isInstanceOf(ScenarioException.class)
                    .hasMessage("big.yaml: the file is larger than 1 MiB");
        }

        @Test
        void parse_messageIsAlwaysOneLine() {
            ScenarioException e = error("steps: [\n  {memunmap: {id: a}\n");
            assertThat(e.getMessage()).doesNotContain("\n").startsWith("t.yaml:");
        }
    }
}
