package org.vmemsim.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.vmemsim.arch.Arch;
import org.vmemsim.arch.KernelProfile;
import org.vmemsim.kernel.Kernel;
import org.vmemsim.kernel.MachineSpec;
import org.vmemsim.util.Sz;

/**
 * Per-arch plan machines: the default RAM boots on every arch, and the device placement stays inside
 * the window the kernel's arch_get_mappable_range reports after boot.
 *
 * <pre>
 *   riscv64 Sv39, 6.11+: linear map [DRAM base 2 GiB, + 132 GiB)   4 GiB RAM [2 GiB, 6 GiB)
 *   a 64 GiB device from 128 GiB would end at 192 GiB: placed at 6 GiB instead
 * </pre>
 */
class PlanMachineTest {
    static final long GIB = Sz.SZ_1G;

    static MachineSpec spec(Arch arch, KernelProfile p, long deviceBytes) {
        MachineSpec m = new MachineSpec();
        m.arch = arch;
        m.granule = MachineSpec.defaultGranule(arch);
        m.profile = p;
        m.ram.add(PlanMachine.defaultRam(arch, deviceBytes));
        return m;
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void linearWindow_matchesArchGetMappableRangeAfterBoot(Arch arch) {
        KernelProfile p = arch == Arch.IA64 ? KernelProfile.V6_1 : KernelProfile.MAINLINE;
        MachineSpec m = spec(arch, p, 64 * GIB);
        long[] w = PlanMachine.linearWindow(m);
        Kernel k = Kernel.boot(m);
        long[] r = k.hotplug.mhpGetPluggableRange(true);
        assertThat(w[0]).isEqualTo(r[0]);
        assertThat(w[1] - 1).isEqualTo(r[1]);
    }

    @Test
    void place_riscvSv39_deviceJustAboveRam() {
        MachineSpec m = spec(Arch.RISCV64, KernelProfile.MAINLINE, 64 * GIB);
        PlanMachine.place(m, List.of(new Plan.Device(64 * GIB, -1, "dev", "fsdax", 0)));
        assertThat(m.pmem.get(0).start()).isEqualTo(6 * GIB);
        // a device that cannot fit either way keeps the usual place: the kernel refuses it
        PlanMachine.place(m, List.of(new Plan.Device(1L << 40, -1, "dev", "fsdax", 0)));
        assertThat(m.pmem.get(0).start()).isEqualTo(128 * GIB);
    }

    @ParameterizedTest
    @EnumSource(value = Arch.class, names = {"ARM64", "X86_64", "PPC64"})
    void place_wideLinearMap_deviceAt128GiB(Arch arch) {
        MachineSpec m = spec(arch, KernelProfile.MAINLINE, 1L << 40);
        PlanMachine.place(m, List.of(new Plan.Device(1L << 40, -1, "dev", "fsdax", 0)));
        assertThat(m.pmem.get(0).start()).isEqualTo(128 * GIB);
        m.validate();
    }
}
