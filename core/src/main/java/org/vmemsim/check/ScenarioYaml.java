package org.vmemsim.check;

import java.util.List;
import org.vmemsim.kernel.MachineSpec;
import org.vmemsim.kernel.RamRange;
import org.vmemsim.util.Sz;
import org.vmemsim.util.U64;

/**
 * Prints a fuzz sequence as a scenario file: the machine, then the steps in the scenario step
 * syntax ({@code memremap}, {@code memunmap}, and {@code fail_alloc: {nth: N}} before a step whose
 * Nth allocation the fuzzer made fail). The seed and the failure go in comments.
 */
final class ScenarioYaml {
    private ScenarioYaml() {}

    static String render(FuzzConfig cfg, List<StepRunner.Planned> steps, StepRunner.Result failure) {
        MachineSpec m = cfg.spec();
        StringBuilder sb = new StringBuilder();
        sb.append("# vmemsim fuzz reproducer: seed ").append(cfg.seed()).append(", ").append(steps.size()).append(" step")
                .append(steps.size() == 1 ? "" : "s").append('\n');
        if (failure != null) {
            sb.append("# expected failure [").append(failure.key()).append("]: ").append(oneLine(failure.message())).append('\n');
        } else {
            sb.append("# (the failure did not reproduce on a fresh machine; this is the unshrunk sequence)\n");
        }
        sb.append("name: fuzz-seed-").append(cfg.seed()).append('\n');
        sb.append("machine:\n");
        sb.append("  arch: ").append(m.arch.label).append('\n');
        sb.append("  granule: ").append(m.granule.label()).append('\n');
        sb.append("  va_bits: ").append(m.effectiveVaBits()).append('\n');
        sb.append("  kernel: ").append(m.profile.label).append('\n');
        sb.append("  rodata_full: ").append(m.rodataFull).append('\n');
        sb.append("  memmap_on_memory: \"").append(m.memmapOnMemory).append("\"\n");
        sb.append("  ram:\n");
        for (RamRange r : m.ram) {
            sb.append("    - {start: ").append(U64.hex(r.start())).append(", size: ").append(Sz.human(r.size()))
                    .append(", node: ").append(r.node()).append("}\n");
        }
        if (!m.pmem.isEmpty()) {
            sb.append("  pmem:\n");
            for (RamRange r : m.pmem) {
                sb.append("    - {start: ").append(U64.hex(r.start())).append(", size: ").append(Sz.human(r.size()))
                        .append(", node: ").append(r.node()).append("}\n");
            }
        }
        sb.append("steps:\n");
        for (StepRunner.Planned p : steps) {
            if (p.failNth() > 0) {
                sb.append("  - fail_alloc: {nth: ").append(p.failNth()).append("}\n");
            }
            sb.append("  - ").append(p.step().yaml()).append('\n');
        }
        return sb.toString();
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replace('\n', ' ');
    }
}
