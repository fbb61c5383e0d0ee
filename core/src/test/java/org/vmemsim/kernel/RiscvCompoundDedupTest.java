package org.vmemsim.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.vmemsim.arch.Arch;
import org.vmemsim.arch.Granule;
import org.vmemsim.arch.KernelProfile;
import org.vmemsim.check.FaultSweep;
import org.vmemsim.check.Invariants;
import org.vmemsim.check.ModelState;
import org.vmemsim.drivers.nvdimm.Nvdimm;
import org.vmemsim.drivers.nvdimm.PfnMode;
import org.vmemsim.view.Accounting;

/**
 * riscv64 selects device-dax vmemmap deduplication from v6.11 and runs the generic
 * {@code vmemmap_populate_compound_pages}: a devdax namespace with map=mem and 2 MiB alignment keeps
 * 2 of the 8 memmap pages of each compound page, like x86 (the oracle's 2 GiB namespace: 8 MiB).
 */
class RiscvCompoundDedupTest {
    static final long MIB = 1L << 20;
    static final long GIB = 1L << 30;
    static final long PAGE = 4096;

    static Kernel machine(KernelProfile p) {
        MachineSpec m = new MachineSpec();
        m.arch = Arch.RISCV64;
        m.granule = Granule.G4K;
        m.vaBits = 48;
        m.profile = p;
        m.ram.add(new RamRange(0x8000_0000L, 4 * GIB, 0));
        m.pmem.add(new RamRange(0x20_0000_0000L, 2 * GIB, 0));
        return Kernel.boot(m);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = KernelProfile.class, names = {"V6_12", "MAINLINE"})
    void devdaxMapMem2M_keepsTwoMemmapPagesPerCompoundPage(KernelProfile p) {
        Kernel k = machine(p);
        Nvdimm.Namespace[] out = new Nvdimm.Namespace[1];
        // one create/destroy first: the kernel never shrinks ZONE_DEVICE's span, and keeps the root (L1)
        k.check(k.nvdimm.createNamespace(0, 2 * GIB, true, PfnMode.RAM, 2 * MIB, out));
        k.check(k.nvdimm.destroyNamespace(out[0].name()));
        ModelState before = ModelState.capture(k);
        long ram0 = (Long) Accounting.of(k).get("memmap_ram_bytes");
        k.check(k.nvdimm.createNamespace(0, 2 * GIB, true, PfnMode.RAM, 2 * MIB, out));
        long memmap = (Long) Accounting.of(k).get("memmap_ram_bytes") - ram0;
        // the pgmap covers the whole 2 GiB (map=mem): 1024 compound pages x 2 pages x 4 KiB
        long expected = 2 * GIB / (2 * MIB) * 2 * PAGE;
        assertThat(expected).isEqualTo(8 * MIB);
        assertThat(memmap).isEqualTo(expected);
        assertThat(Invariants.check(k)).isEmpty();
        k.check(k.nvdimm.destroyNamespace(out[0].name()));
        assertThat(k.mm.buddy.extraRefs()).isEmpty();
        assertThat(Invariants.check(k)).isEmpty();
        assertThat(ModelState.diff(before, ModelState.live(k))).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = KernelProfile.class, names = {"MAINLINE"})
    void devdaxMapMem2M_everyAllocationFailure_noModelFailure(KernelProfile p) {
        FaultSweep.Report r = FaultSweep.sweep(() -> machine(p),
                FaultSweep.createNamespace(0, 256 * MIB, true, PfnMode.RAM, 2 * MIB));
        assertThat(r.allocations()).isGreaterThan(2 * 128 * MIB / (2 * MIB)); // at least 2 memmap pages per compound page
        assertThat(r.failures()).as(r.attempts().toString()).isEmpty();
    }
}
