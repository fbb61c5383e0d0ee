package org.vmemsim.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.vmemsim.arch.KernelProfile;
import org.vmemsim.kernel.Kernel;
import org.vmemsim.kernel.MachineSpec;
import org.vmemsim.mm.memremap.MemoryType;
import org.vmemsim.util.Errno;
import org.vmemsim.util.Sz;

/**
 * Systematic fault injection over memremap of a 1 GiB device at PA 0x20_0000_0000 with an altmap
 * {reserve 2, free auto} on 4K, default machine (rodata_full: page-granular linear map).
 *
 * <p>Allocations, in order (mainline, 128 MiB sections):
 * <pre>
 *   linear map: 1 GiB / 2 MiB = 512 PTE tables + 1 PMD table (new PUD entry)     #1..#513
 *   sparse_index_init: a new mem_section root (section 1024, root 1024/256 = 4)  #514
 *   section 1024: usage map, 2 vmemmap tables (new PGD entry), 1 altmap block     #515..#518
 *   sections 1025..1031: usage map + altmap block each                            #519..#532
 * </pre>
 */
class FaultSweepTest {
    static final long START = 0x20_0000_0000L;

    static FaultSweep.Report sweep(KernelProfile p) {
        MachineSpec s = MachineSpec.defaults();
        s.profile = p;
        Kernel probe = Kernel.boot(s);
        long free = probe.autoAltmapFree(Sz.SZ_1G >>> 12, 2);
        return FaultSweep.sweep(() -> Kernel.boot(s),
                FaultSweep.memremap("pmem0", MemoryType.FS_DAX, START, Sz.SZ_1G, 2, free));
    }

    @Test
    void memremapPages_mainline4K_everyFailureIsENOMEMAndRolledBackOrH7() {
        FaultSweep.Report r = sweep(KernelProfile.MAINLINE);

        long linear = Sz.SZ_1G / Sz.SZ_2M + 1;
        long sections = Sz.SZ_1G / Sz.SZ_128M;
        assertThat(r.allocations()).isEqualTo(linear + 1 + (1 + 2 + 1) + (sections - 1) * 2);
        assertThat(r.failures()).isEmpty();
        List<FaultSweep.Attempt> a = r.attempts();
        // every table of the linear map and the root: -ENOMEM, state exactly as before
        assertThat(a.subList(0, (int) linear + 1)).allSatisfy(x -> {
            assertThat(x.ret()).isEqualTo(Errno.ENOMEM.neg());
            assertThat(x.verdict()).isEqualTo(FaultSweep.Verdict.CLEAN);
        });
        // first section: rolled back, only the new root stays (L1)
        assertThat(a.subList((int) linear + 1, (int) linear + 5)).extracting(FaultSweep.Attempt::verdict)
                .containsOnly(FaultSweep.Verdict.CLEAN_L1);
        // later sections: the sections before the failing one stay (H7), exactly those
        List<FaultSweep.Attempt> later = a.subList((int) linear + 5, a.size());
        assertThat(later).hasSize((int) (sections - 1) * 2).allSatisfy(x -> {
            assertThat(x.ret()).isEqualTo(Errno.ENOMEM.neg());
            assertThat(x.verdict()).isEqualTo(FaultSweep.Verdict.KERNEL_FINDING);
            assertThat(x.finding()).isEqualTo("H7");
        });
        assertThat(later.get(later.size() - 1).detail()).isEqualTo(String.format(
                "__add_pages failed after adding pfn [0x%x, 0x%x): sections 1024..1030 stay present",
                START >>> 12, (START + 7 * Sz.SZ_128M) >>> 12));
    }

    @Test
    void memremapPages_v59_linearMapFailuresAreBugsH10_restRollsBack() {
        FaultSweep.Report r = sweep(KernelProfile.V5_9);

        long linear = Sz.SZ_1G / Sz.SZ_2M + 1;
        assertThat(r.failures()).isEmpty();
        assertThat(r.attempts().subList(0, (int) linear)).allSatisfy(x -> {
            assertThat(x.verdict()).isEqualTo(FaultSweep.Verdict.KERNEL_FINDING);
            assertThat(x.finding()).isEqualTo("H10");
        });
        // one 1 GiB section whose root exists since boot: everything after the linear map rolls back cleanly
        assertThat(r.attempts().subList((int) linear, r.attempts().size())).extracting(FaultSweep.Attempt::verdict)
                .containsOnly(FaultSweep.Verdict.CLEAN);
    }
}
