package org.vmemsim.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vmemsim.kernel.SpecMachine.DEV;
import static org.vmemsim.kernel.SpecMachine.G;
import static org.vmemsim.kernel.SpecMachine.M;
import static org.vmemsim.kernel.SpecMachine.addWithAltmap;
import static org.vmemsim.kernel.SpecMachine.addWithoutAltmap;
import static org.vmemsim.kernel.SpecMachine.altmap;
import static org.vmemsim.kernel.SpecMachine.boot;
import static org.vmemsim.kernel.SpecMachine.freePages;
import static org.vmemsim.kernel.SpecMachine.pgmap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.vmemsim.arch.Granule;
import org.vmemsim.arch.KernelProfile;
import org.vmemsim.kernel.SpecMachine.PfnLayout;
import org.vmemsim.mm.vmemmap.VmemAltmap;
import org.vmemsim.view.Accounting;

/**
 * What the series changed (kernel-semantics.md 10.4, invariant I4, hazard H9): before it (profile
 * 5.8) arm64 ignores the altmap and charges the memmap to RAM; after it (5.9) the memmap lives in
 * the device's pool. The difference in RAM is exactly the memmap of the device.
 */
class AltmapProfileDifferenceTest {

    /** One add of a 1 GiB namespace with the driver's altmap; what it cost. */
    record Outcome(long ramPages, long ramMemmapBytes, long altmapMemmapBytes, long alloc, long dataStart) {}

    static Outcome add(KernelProfile p, Granule gran, boolean withAltmap) {
        Kernel k = boot(p, gran);
        PfnLayout l = PfnLayout.pmem(gran.pageSize(), DEV, G, 2 * M);
        long free0 = freePages(k);
        Accounting.Memmap m0 = Accounting.memmap(k);
        k.check(withAltmap ? addWithAltmap(k, "pmem0", DEV, G, l) : addWithoutAltmap(k, "pmem0", DEV, G));
        Accounting.Memmap m1 = Accounting.memmap(k);
        VmemAltmap a = altmap(k, "pmem0");
        long devPages = pgmap(k, "pmem0").initDevicePages;
        Outcome o = new Outcome(free0 - freePages(k), m1.ramBytes() - m0.ramBytes(), m1.deviceBytes() - m0.deviceBytes(),
                a.alloc, (G >>> gran.pageShift) - devPages);
        int warns = k.log.warnCount();
        k.check(k.memunmap("pmem0"));
        assertThat(freePages(k)).as("%s %s: RAM back to baseline", p, gran).isEqualTo(free0);
        assertThat(a.alloc).isZero();
        assertThat(k.log.warnCount()).as("no WARN at removal").isEqualTo(warns);
        return o;
    }

    /** 10.4: 5.8 with an altmap costs what 5.9 costs without one (10.3: 4,610 pages); alloc stays 0. */
    @Test
    void memremapPages_5_8_ignoresAltmap_4K() {
        Outcome o = add(KernelProfile.V5_8, Granule.G4K, true);
        assertThat(o.ramPages()).isEqualTo(4_610);
        assertThat(o.alloc()).isZero();
        assertThat(o.ramMemmapBytes()).isEqualTo(16 * M);
        assertThat(o.altmapMemmapBytes()).isZero();
        assertThat(o.dataStart()).as("data still begins at base + 4,608: the metadata area is reserved, unused")
                .isEqualTo(4_608);
    }

    @Test
    void memremapPages_5_8_ignoresAltmap_16G() {
        Kernel k = boot(KernelProfile.V5_8, Granule.G4K);
        long free0 = freePages(k);
        k.check(addWithAltmap(k, "pmem0", DEV, 16 * G, PfnLayout.pmem(4096, DEV, 16 * G, 2 * M)));
        assertThat(free0 - freePages(k)).isEqualTo(73_746);
        assertThat(altmap(k, "pmem0").alloc).isZero();
        assertThat(pgmap(k, "pmem0").initDevicePages).as("data from base + 66,048").isEqualTo(16 * 262_144 - 66_048);
    }

    /** 5.8 with and without an altmap cost the same RAM, for every granule. */
    @ParameterizedTest
    @EnumSource(Granule.class)
    void memremapPages_5_8_altmapMakesNoDifference(Granule gran) {
        Outcome with = add(KernelProfile.V5_8, gran, true);
        Outcome without = add(KernelProfile.V5_8, gran, false);
        assertThat(with.ramPages()).isEqualTo(without.ramPages());
        assertThat(with.ramMemmapBytes()).isEqualTo(without.ramMemmapBytes());
    }

    /**
     * 5.8 vs 5.9 with the same altmap: RAM differs by exactly the memmap pages of 1 GiB,
     * {@code PFN(1 GiB) * 64 / PAGE_SIZE} (4,096 / 256 / 16), which 5.9 puts in the pool instead.
     */
    @ParameterizedTest(name = "{0}: memmap {1} pages")
    @CsvSource({"G4K, 4096", "G16K, 256", "G64K, 16"})
    void memremapPages_5_9_movesMemmapFromRamToAltmap(Granule gran, long memmapPages) {
        long page = gran.pageSize();
        assertThat(G / page * 64 / page).isEqualTo(memmapPages);
        Outcome e58 = add(KernelProfile.V5_8, gran, true);
        Outcome e59 = add(KernelProfile.V5_9, gran, true);
        assertThat(e58.ramPages() - e59.ramPages()).isEqualTo(memmapPages);
        assertThat(e58.ramMemmapBytes()).isEqualTo(memmapPages * page);
        assertThat(e58.altmapMemmapBytes()).isZero();
        assertThat(e59.ramMemmapBytes()).isZero();
        assertThat(e59.altmapMemmapBytes()).isEqualTo(memmapPages * page);
        assertThat(e58.alloc()).isZero();
        assertThat(e59.alloc()).isEqualTo(memmapPages);
        assertThat(e58.dataStart()).isEqualTo(e59.dataStart());
    }
}
