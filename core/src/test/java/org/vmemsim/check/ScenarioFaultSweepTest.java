package org.vmemsim.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vmemsim.scenario.Scenario;
import org.vmemsim.scenario.ScenarioParser;

/** Every allocation of every action of a small scenario fails once: no model failure. */
class ScenarioFaultSweepTest {
    private static final String SCENARIO = """
            name: sweep
            machine:
              granule: 64K
              kernel: mainline
              ram: [2G@0x4000_0000]
              pmem: [2G@0x20_0000_0000]
              memmap_on_memory: "Y"
            steps:
              - ndctl: {create-namespace: {region: 0, size: 1G, mode: fsdax, map: dev}}
              - memremap: {id: a, start: 0x30_0000_0000, size: 512M, altmap: {reserve: 1, free: auto}}
              - memremap: {id: b, start: 0x30_4000_0000, size: 96M}
              - add_memory: {id: m, start: 0x10_0000_0000, size: 1G, memmap_on_memory: true}
              - online: {id: m, zone: movable}
              - expect: {result: ok}
              - memunmap: {id: a}
              - ndctl: {destroy-namespace: namespace0.0}
            """;

    @Test
    void sweep_everyAllocationOfEveryStep_noModelFailure() {
        Scenario s = ScenarioParser.standard().parseBytes("sweep.yaml", SCENARIO.getBytes(StandardCharsets.UTF_8));
        List<ScenarioFaultSweep.StepSweep> sweeps = ScenarioFaultSweep.sweep(s, sites -> null, line -> { });
        String text = ScenarioFaultSweep.text(sweeps);
        assertThat(sweeps).as(text).hasSize(7);
        assertThat(sweeps).as(text).allSatisfy(x -> assertThat(x.skipped()).isNull());
        assertThat(ScenarioFaultSweep.failures(sweeps)).as(text).isZero();
        // a 512M device with 64K pages: 2 sections; its memmap is 8192 x 64 B = 512 KiB = 8 pages
        // from the altmap, plus a usage map per section: at least 10 allocations to fail
        FaultSweep.Report a = sweeps.get(1).report();
        assertThat(a.allocations()).as(text).isGreaterThanOrEqualTo(10);
        assertThat(a.attempts()).hasSize((int) a.allocations());
        assertThat(text).contains("model failures: 0");
    }

    @Test
    void strided_keepsHeadTailSiteChangesAndStride() {
        List<String> sites = List.of("a", "a", "a", "a", "a", "a", "a", "a", "b", "b", "b", "b", "b", "b", "b", "b");
        boolean[] m = FaultSweep.strided(1, 4).choose(sites);
        // head 0, tail 15, stride 0/4/8/12, site change 7|8
        boolean[] expected = {true, false, false, false, true, false, false, true, true, false, false, false, true, false,
            false, true};
        assertThat(m).containsExactly(expected);
    }
}
