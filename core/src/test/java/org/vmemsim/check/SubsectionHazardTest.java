package org.vmemsim.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.vmemsim.arch.KernelProfile;
import org.vmemsim.kernel.Kernel;
import org.vmemsim.kernel.MachineSpec;
import org.vmemsim.mm.memremap.MemoryType;
import org.vmemsim.util.Sz;

/**
 * The historical bug H2 (spec 11): two sub-section devices in one section whose memmaps share a
 * 2 MiB PMD block; removing the first clears the block the second still uses.
 *
 * <pre>
 *   PA     0x20_0000_0000        0x20_0400_0000        0x20_0800_0000 ... 0x20_4000_0000
 *          [ R1: 64 MiB         ][ R2: 64 MiB         ]   (one 1 GiB section, #128, in 5.9)
 *   memmap [ 1 MiB              ][ 1 MiB              ]   = one 2 MiB PMD block (5.9)
 * </pre>
 * No altmap: with one, 5.9 cannot even add a 64 MiB device (spec 10.10). Under mainline each
 * sub-section range gets its own base pages and the same sequence is harmless.
 */
class SubsectionHazardTest {
    static final long R1 = 0x20_0000_0000L;
    static final long R2 = 0x20_0400_0000L;

    static Kernel twoDevices(KernelProfile p) {
        MachineSpec s = MachineSpec.defaults();
        s.profile = p;
        Kernel k = Kernel.boot(s);
        k.check(k.memremap("R1", MemoryType.FS_DAX, R1, Sz.SZ_64M, 0, -1, 0));
        k.check(k.memremap("R2", MemoryType.FS_DAX, R2, Sz.SZ_64M, 0, -1, 0));
        assertThat(Invariants.check(k)).isEmpty();
        return k;
    }

    @Test
    void memunmapPages_v59_removingR1LeavesR2sMemmapDangling() {
        Kernel k = twoDevices(KernelProfile.V5_9);
        k.check(k.memunmap("R1"));

        List<Violation> v = Invariants.check(k);

        // spec 10.11: in 5.9 the memmap of PA 0x20_0400_0000 is at 0xfffffe007ef00000
        long r2Pfn = R2 >>> 12;
        assertThat(v).extracting(Violation::invariant).containsExactly(MemmapMapped.NAME);
        assertThat(v.get(0).pfn()).isEqualTo(r2Pfn);
        assertThat(v.get(0).message()).isEqualTo(String.format(
                "section %d sub-section %d, pfn 0x%x (pgmap R2): memmap VA 0xfffffe007ef00000 does not translate "
                        + "(dangling memmap, hazard H2) and %d more sub-section(s) of the section",
                R2 / Sz.SZ_1G, (R2 % Sz.SZ_1G) / Sz.SZ_2M, r2Pfn, Sz.SZ_64M / Sz.SZ_2M - 1));
    }

    @Test
    void memunmapPages_v59_fuzzHarnessClassifiesItAsKernelFindingH2() {
        MachineSpec s = MachineSpec.defaults();
        s.profile = KernelProfile.V5_9;
        FuzzWorld w = new FuzzWorld(Kernel.boot(s));
        List<FuzzStep> steps = List.of(
                new MemremapFuzzStep("R1", MemoryType.FS_DAX, R1, Sz.SZ_64M, MemremapFuzzStep.NO_ALTMAP, 0, 0),
                new MemremapFuzzStep("R2", MemoryType.FS_DAX, R2, Sz.SZ_64M, MemremapFuzzStep.NO_ALTMAP, 0, 0),
                new MemunmapFuzzStep("R1"));
        StepRunner.Result last = null;
        for (FuzzStep st : steps) {
            last = StepRunner.run(w, new StepRunner.Planned(st, 0), false, Invariants.all());
        }
        assertThat(last.kind()).isEqualTo(StepRunner.Kind.FINDING_REBOOT);
        assertThat(last.key()).isEqualTo("H2");
        assertThat(last.message()).startsWith("memunmap R1 (ok): section 128 sub-section 32");
    }

    @Test
    void memunmapPages_mainline_sameSequenceKeepsR2Mapped() {
        Kernel k = twoDevices(KernelProfile.MAINLINE);
        k.check(k.memunmap("R1"));

        assertThat(Invariants.check(k)).isEmpty();
        // mainline 10.11: memmap of PA 0x20_0400_0000 at 0xfffffe003f100000, 1 MiB of it
        assertThat(k.mm.pgtable.translate(0xfffffe003f100000L)).isNotNull();
        assertThat(k.mm.pgtable.translate(0xfffffe003f100000L + Sz.SZ_1M - 1)).isNotNull();
    }
}
