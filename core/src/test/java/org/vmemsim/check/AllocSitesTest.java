package org.vmemsim.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.vmemsim.arch.Arch;
import org.vmemsim.arch.ArchFeatures;
import org.vmemsim.arch.Granule;
import org.vmemsim.arch.KernelProfile;
import org.vmemsim.kernel.Kernel;
import org.vmemsim.kernel.MachineSpec;
import org.vmemsim.kernel.RamRange;
import org.vmemsim.mm.alloc.AllocSites;
import org.vmemsim.mm.alloc.ZoneType;
import org.vmemsim.mm.memremap.MemoryType;
import org.vmemsim.util.Sz;

/**
 * The list of fault-injection sites is exactly the set of sites the model allocates at after boot:
 * every action on every architecture reports only known sites, and every known site is reached.
 */
class AllocSitesTest {
    private static final long DEV_NEAR = 0x40_0000_0000L;
    /** 48 TiB: its memmap lies in a top-level entry of its own on 4K with 4 levels. */
    private static final long DEV_FAR = 0x3000_0000_0000L;
    private static final long DIMM = 0x10_0000_0000L;

    private static List<MachineSpec> machines() {
        List<MachineSpec> out = new ArrayList<>();
        for (KernelProfile p : KernelProfile.values()) {
            for (Granule g : Granule.values()) {
                for (String mom : List.of("N", "Y")) {
                    MachineSpec s = MachineSpec.defaults();
                    s.profile = p;
                    s.granule = g;
                    s.memmapOnMemory = mom;
                    out.add(s);
                }
            }
        }
        for (Arch a : List.of(Arch.X86_64, Arch.PPC64, Arch.RISCV64, Arch.IA64)) {
            for (KernelProfile p : List.of(KernelProfile.V6_1, KernelProfile.MAINLINE)) {
                if (a == Arch.IA64 && p == KernelProfile.MAINLINE) {
                    continue; // removed in v6.7
                }
                MachineSpec s = MachineSpec.defaults();
                s.arch = a;
                s.granule = MachineSpec.defaultGranule(a);
                s.profile = p;
                s.memmapOnMemory = "Y";
                s.ram.clear();
                s.ram.add(new RamRange(a == Arch.RISCV64 ? 0x8000_0000L : 0, 4L << 30, 0));
                if (a == Arch.RISCV64) {
                    s.vaBits = 48; // Sv48: the far device lies beyond Sv39's linear map
                }
                out.add(s);
            }
        }
        return out;
    }

    /** Runs every kind of action once, recording the allocation sites each one reports. */
    private static TreeSet<String> sitesOf(MachineSpec spec) {
        Kernel k = Kernel.boot(spec);
        k.faults.reset();
        k.faults.recordSites(true);
        TreeSet<String> seen = new TreeSet<>();
        long gib = Sz.SZ_1G;
        if (ArchFeatures.zoneDeviceUnavailable(spec.arch, spec.profile) == null) {
            memremaps(k, seen);
        }
        if (ArchFeatures.memoryHotplugUnavailable(spec.arch, spec.profile) == null) {
            dimms(k, spec, seen);
        }
        return seen;
    }

    private static void memremaps(Kernel k, TreeSet<String> seen) {
        long gib = Sz.SZ_1G;
        k.faults.arm();
        int far = k.memremap("far", MemoryType.FS_DAX, DEV_FAR, gib, 0, k.autoAltmapFree(gib >>> k.g.pageShift, 0), 0);
        seen.addAll(k.faults.sites());
        k.faults.arm();
        int near = k.memremap("near", MemoryType.GENERIC, DEV_NEAR, gib, 0, -1, 0);
        seen.addAll(k.faults.sites());
        assertThat(far).as("memremap far on %s", k.g.arch).isZero();
        assertThat(near).isZero();
        k.faults.arm();
        assertThat(k.memunmap("far")).isZero();
        assertThat(k.memunmap("near")).isZero();
        seen.addAll(k.faults.sites());
    }

    private static void dimms(Kernel k, MachineSpec spec, TreeSet<String> seen) {
        long block = k.g.memoryBlockSize;
        for (int nid : new int[] {0, 1}) {
            long start = DIMM + nid * 4 * block;
            k.faults.arm();
            assertThat(k.hotplugActions.addMemory(start, 2 * block, nid, !spec.memmapOnMemory.equals("N"))).isZero();
            assertThat(k.hotplugActions.online(start, 2 * block, ZoneType.MOVABLE)).isZero();
            assertThat(k.hotplugActions.offline(start, 2 * block)).isZero();
            assertThat(k.hotplugActions.removeMemory(start, 2 * block)).isZero();
            seen.addAll(k.faults.sites());
        }
    }

    @Test
    void everyReportedSiteIsKnown_andEveryKnownSiteIsReached() {
        TreeSet<String> union = new TreeSet<>();
        TreeSet<String> unknown = new TreeSet<>();
        for (MachineSpec s : machines()) {
            for (String site : sitesOf(s)) {
                if (!AllocSites.isKnown(site)) {
                    unknown.add(site + " (" + s.arch.label + " " + s.profile.label + ")");
                }
                union.add(site);
            }
        }
        assertThat(unknown).as("allocation sites missing from AllocSites").isEmpty();
        assertThat(union).containsExactlyInAnyOrderElementsOf(AllocSites.known());
    }
}
