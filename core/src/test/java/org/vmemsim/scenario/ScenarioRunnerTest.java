package org.vmemsim.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.vmemsim.util.Sz.SZ_1G;
import static org.vmemsim.util.Sz.SZ_2M;
import static org.vmemsim.util.Sz.SZ_4K;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.vmemsim.scenario.YamlTree.ScalarKind;
import org.vmemsim.scenario.YamlTree.ScalarNode;

/** Running steps: kernel errors as outcomes, expectations, fault injection, BUGs, views. */
class ScenarioRunnerTest {
    /** A 1 GiB device at 128 GiB on the default machine (4K, mainline, 4 GiB of RAM). */
    static final String DEV0 = "{id: dev0, start: 0x20_0000_0000, size: 1G, altmap: {reserve: 2, free: auto}}";

    static ScenarioResult run(String yaml) {
        return new ScenarioRunner().run(ScenarioParser.standard().parse("t.yaml", yaml));
    }

    @Nested
    class KernelErrors {
        @Test
        void memremap_duplicateId_isEexistAndLeavesTheModelAsItWas() {
            ScenarioResult r = run("steps:\n  - memremap: " + DEV0 + "\n  - memremap: {id: dev0, start: 0x30_0000_0000, size: 1G}\n"
                    + "  - expect: {result: -EEXIST, function: memremap_pages}\n");
            StepRecord dup = r.steps.get(1);
            assertThat(dup.outcome.result()).isEqualTo("-EEXIST");
            assertThat(dup.outcome.function()).isEqualTo("memremap_pages");
            assertThat(dup.outcome.message()).contains("dev0");
            assertThat(dup.stateRestored).isTrue();
            assertThat(dup.accounting).isEqualTo(r.steps.get(0).accounting);
            assertThat(r.failures()).isEmpty();
            assertThat(dup.json()).containsEntry("result", "-EEXIST").containsEntry("state_restored", true);
        }

        @Test
        void memremap_overlappingRam_isEnxioWithItsWarn() {
            ScenarioResult r = run("steps: [{memremap: {id: r, start: 0x8000_0000, size: 1G}}]");
            StepRecord s = r.steps.get(0);
            assertThat(s.outcome.result()).isEqualTo("-ENXIO");
            assertThat(s.warnings).hasSize(1).allSatisfy(w -> assertThat(w).startsWith("WARNING: pagemap_range"));
            assertThat(s.stateRestored).isTrue();
        }

        @Test
        void memunmap_unknownId_isEnodev() {
            ScenarioResult r = run("steps: [{memunmap: {id: nosuch}}]");
            assertThat(r.steps.get(0).outcome.result()).isEqualTo("-ENODEV");
            assertThat(r.steps.get(0).kept).isNull();
        }

        @Test
        void failAlloc_failsOnlyTheNextAction() {
            ScenarioResult r = run("""
                    steps:
                      - fail_alloc: {site: section_activate}
                      - memremap: {id: a, start: 0x20_0000_0000, size: 128M}
                      - memremap: {id: a, start: 0x20_0000_0000, size: 128M}
                    """);
            // one section (128 MiB): its usage map is the first section_activate allocation
            assertThat(r.steps.get(1).outcome.result()).isEqualTo("-ENOMEM");
            assertThat(r.steps.get(1).outcome.function()).isEqualTo("section_activate");
            assertThat(r.steps.get(2).outcome.result()).isEqualTo("ok");
        }

        @Test
        void kernelBug_skipsTheRunsLaterActionsButNotItsChecks() {
            ScenarioResult r = run("""
                    machine: {kernel: "5.9"}
                    steps:
                      - fail_alloc: {site: __pgd_pgtable_alloc, nth: 5}
                      - memremap: {id: d, start: 0x20_0000_0000, size: 1G}
                      - expect: {result: BUG}
                      - memunmap: {id: d}
                      - expect: {result: skipped}
                    """);
            assertThat(r.steps).extracting(s -> s.outcome.result()).containsExactly("ok", "BUG", "ok", "skipped", "ok");
        }
    }

    @Nested
    class Expectations {
        @Test
        void expect_failureNamesTheExpectationTheExpectedAndTheActualValue() {
            // with an altmap, 1 GiB: 16 MiB of memmap = 8 blocks of 512 pfns, the first one aligned up
            ScenarioResult r = run("steps:\n  - memremap: " + DEV0 + "\n  - expect: {altmaps.dev0.alloc: 4097, altmaps.dev0.align: 510}\n");
            assertThat(r.passed()).isFalse();
            assertThat(r.failures()).containsExactly("t.yaml:3: steps[1].expect: altmaps.dev0.alloc: expected 4097, actual 4096");
            assertThat(r.steps.get(1).outcome.result()).isEqualTo("failed");
        }

        @Test
        void expect_valuesOfThePreviousAction() {
            long memmap = SZ_1G / SZ_4K * 64; // 16 MiB
            // RAM (spec 10.7, mainline 4K): vmemmap PUD + PMD table (PGD 508 is empty at boot),
            // linear map 1 PMD + 512 PTE tables = 515 pages
            ScenarioResult r = run("steps:\n  - memremap: " + DEV0 + "\n  - expect:\n"
                    + "      result: ok\n      warnings: 0\n      delta.memmap_altmap_bytes: 16M\n"
                    + "      altmaps.dev0.base_pfn: 0x200_0000\n      accounting.altmaps.0.free: " + ((memmap + SZ_2M) / SZ_4K - 2) + "\n"
                    + "      since_boot.memmap_ram_bytes: 0\n      meminfo.MemTotal_kB: " + (4_219_437_056L / 1024) + "\n"
                    + "  - memunmap: {id: dev0}\n  - expect: {kept: 1, since_boot.ram_free_bytes: 0, delta.ram_free_bytes: " + 515 * SZ_4K + "}\n");
            assertThat(r.failures()).isEmpty();
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
            "4096       | INT    | 4096       | true",
            "4096       | STRING | 4K         | true",
            "4096       | STRING | 0x1000     | true",
            "-2105344   | STRING | -2105344   | true",
            "-4096      | STRING | -4K        | true",
            "4096       | INT    | 4095       | false",
            "0x2000000  | INT    | 33554432   | true",
            "0x2000000  | STRING | 0x200_0000 | true",
            "-ENOMEM    | STRING | -ENOMEM    | true",
            "ok         | STRING | -ENOMEM    | false"})
        void compare_numbersSizesAndText(String actual, ScalarKind kind, String expected, boolean match) {
            Object a = actual.matches("-?\\d+") ? (Object) Long.parseLong(actual) : actual;
            assertThat(ExpectStep.compare(a, new ScalarNode(1, expected, kind)) == null).isEqualTo(match);
        }

        @Test
        void lookup_keysWithDotsAndListsById() {
            Map<String, Object> v = Map.of("altmaps", List.of(Map.of("id", "namespace0.0", "alloc", 7L)));
            assertThat(ExpectStep.lookup(v, "altmaps.namespace0.0.alloc")).isEqualTo(7L);
            assertThat(ExpectStep.lookup(v, "altmaps.0.alloc")).isEqualTo(7L);
            assertThat(ExpectStep.lookup(v, "altmaps.1.alloc")).isNull();
        }
    }

    @Test
    void views_areRecordedPerStepWhenAsked() {
        ScenarioResult r = new ScenarioRunner(EnumSet.allOf(ScenarioRunner.View.class))
                .run(ScenarioParser.standard().parse("t.yaml", "steps: [{memremap: " + DEV0 + "}]"));
        StepRecord s = r.steps.get(0);
        assertThat(s.meminfo).containsKeys("MemTotal_kB", "MemFree_kB");
        assertThat(s.ptdump).anySatisfy(l -> assertThat(l).contains("vmemmap start"));
        assertThat(s.accountingText).contains("memmap in altmap");
        assertThat(s.json()).containsKeys("meminfo", "ptdump");
    }

    @Test
    void parse_impossibleMachineIsAScenarioErrorNamingTheMachine() {
        // arm64 64K pages offer 42-, 48- and 52-bit VAs, not 39: MachineSpec.validate refuses it.
        assertThatThrownBy(() -> run("machine: {granule: 64K, va_bits: 39}\nsteps: []\n"))
                .isInstanceOf(ScenarioException.class).hasMessageStartingWith("t.yaml:1: machine: ");
    }
}
