package org.vmemsim.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.vmemsim.kernel.RamRange;

/** The RAM hot-plug, dax_kmem and ndctl steps, the machine's pmem key and the expect values they add. */
class HotplugStepsTest {
    static ScenarioResult run(String yaml) {
        return new ScenarioRunner().run(ScenarioParser.standard().parse("t.yaml", yaml));
    }

    @Nested
    class Parsing {
        @Test
        void machine_pmemListAndMapping() {
            Scenario s = ScenarioParserTest.parse("""
                    machine: {ram: 4G@0x4000_0000, pmem: [4G@0x20_0000_0000, {size: 1G, start: 0x30_0000_0000, node: 1}]}
                    steps: []
                    """);
            assertThat(s.runs().get(0).machine().pmem).containsExactly(
                    new RamRange(0x20_0000_0000L, 4L << 30, 0), new RamRange(0x30_0000_0000L, 1L << 30, 1));
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
            "machine: {pmem: [1G@0x4000_0000]}|machine|overlaps RAM",
            "machine: {pmem: []}|machine.pmem|at least one",
            "machine: {pmem: 1X@0}|machine.pmem|",
            "steps: [{online: {id: d, start: 0, size: 128M}}]|steps[0].online|either",
            "steps: [{online: {block: 3, zone: device}}]|steps[0].online.zone|unknown zone",
            "steps: [{offline: {block: 3, zone: movable}}]|steps[0].offline.zone|unknown key",
            "steps: [{remove_memory: {}}]|steps[0].remove_memory|either",
            "steps: [{ndctl: {create-namespace: {size: 4G, mode: sector}}}]|steps[0].ndctl.create-namespace.mode|unknown mode",
            "steps: [{ndctl: {create-namespace: {size: 4G, map: pmem}}}]|steps[0].ndctl.create-namespace.map|unknown map",
            "steps: [{ndctl: {}}]|steps[0].ndctl|exactly one",
            "steps: [{dax_kmem: {id: x, start: 0, size: 1G, zone: dma}}]|steps[0].dax_kmem.zone|unknown zone",
            "steps: [{expect: {dangling: 0}}]|steps[0].expect.dangling|unknown value",
        })
        void parse_badValues_nameThePath(String yaml, String path, String reason) {
            ScenarioException e = ScenarioParserTest.error(yaml + (yaml.startsWith("machine") ? "\nsteps: []\n" : "\n"));
            assertThat(e.path()).isEqualTo(path);
            if (reason != null) {
                assertThat(e.reason()).contains(reason);
            }
        }
    }

    @Nested
    class Running {
        @Test
        void addMemory_onlineOfflineRemove_byIdAndBlock() {
            long block = 0x1_4000_0000L >> 27; // 128 MiB blocks on 4K
            ScenarioResult r = run("""
                    machine: {granule: 4K, ram: 4G@0x4000_0000}
                    steps:
                      - add_memory: {id: d, start: 0x1_4000_0000, size: 256M}
                      - online: {block: %d, zone: normal}
                      - online: {id: d, zone: movable}
                      - expect: {memory.memory%d.valid_zones: Normal, since_boot.ram_total_bytes: 256M}
                      - remove_memory: {id: d}
                      - expect: {result: -EBUSY}
                      - offline: {id: d}
                      - remove_memory: {id: d}
                      - expect: {result: ok, since_boot.ram_total_bytes: 0, since_boot.ram_free_bytes: 0}
                    """.formatted(block, block));
            assertThat(r.failures()).isEmpty();
            assertThat(r.steps.get(7).kept).isNotNull(); // the removal by id reports what the add kept
        }

        @Test
        void removeMemory_unknownId_fails() {
            ScenarioResult r = run("steps: [{remove_memory: {id: nosuch}}]");
            assertThat(r.steps.get(0).outcome.result()).isEqualTo(StepOutcome.FAILED);
            assertThat(r.failures()).hasSize(1).allSatisfy(f -> assertThat(f).contains("nosuch"));
        }

        @Test
        void ndctl_createDestroy_tracksTheNamespaceForKeptPages() {
            ScenarioResult r = run("""
                    machine: {granule: 4K, ram: 4G@0x4000_0000, pmem: 1G@0x20_0000_0000}
                    steps:
                      - ndctl: {create-namespace: {size: 1G, mode: fsdax, map: dev}}
                      - expect: {namespaces.namespace0.0.mode: fsdax, altmaps.pfn0.0.reserve: 2}
                      - ndctl: {destroy-namespace: namespace0.0}
                      - expect: {namespaces: 0, accounting.altmaps: 0}
                    """);
            assertThat(r.failures()).isEmpty();
            assertThat(r.steps.get(0).outcome.details()).containsEntry("added_id", "namespace0.0");
            assertThat(r.steps.get(2).kept).containsEntry("added_by", "steps[0]");
        }

        @Test
        void daxKmem_onlinesMovableAndRemoves() {
            ScenarioResult r = run("""
                    machine: {granule: 4K, ram: 4G@0x4000_0000}
                    steps:
                      - dax_kmem: {id: dax1.0, start: 0x20_0000_0000, size: 1G}
                      - expect: {result: ok, since_boot.ram_total_bytes: 1G, memory.memory1024.valid_zones: Movable}
                      - dax_kmem_remove: {id: dax1.0}
                      - expect: {result: ok, since_boot.ram_total_bytes: 0}
                    """);
            assertThat(r.failures()).isEmpty();
            assertThat(r.steps.get(2).kept).isNotNull();
        }
    }
}
