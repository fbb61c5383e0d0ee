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

    /**
     * x86_64 6.1, a 256 MiB devdax namespace map=mem align 2M at 4 GiB (its memmap deduplicated:
     * vmemmap_populate_compound_pages). Allocations, in order:
     * <pre>
     *   direct map: 2 MiB pages under a new PMD table (alloc_low_pages)               #1
     *   per 128 MiB section: usage map, one PTE table (2 MiB of memmap VA),
     *   then per 2 MiB compound page its head and first-tail memmap pages              2 * (1 + 1 + 64 * 2)
     * </pre>
     */
    @Test
    void createNamespace_x86DevdaxMapMemAlign2M_compoundPopulationRollsBack() {
        MachineSpec s = new MachineSpec();
        s.arch = org.vmemsim.arch.Arch.X86_64;
        s.profile = KernelProfile.V6_1;
        s.ram.add(new org.vmemsim.kernel.RamRange(0, 2 * Sz.SZ_1G, 0));
        s.pmem.add(new org.vmemsim.kernel.RamRange(0x1_0000_0000L, Sz.SZ_256M, 0));
        FaultSweep.Report r = FaultSweep.sweep(() -> Kernel.boot(s), FaultSweep.createNamespace(0, Sz.SZ_256M, true,
                org.vmemsim.drivers.nvdimm.PfnMode.RAM, Sz.SZ_2M));

        long sections = Sz.SZ_256M / Sz.SZ_128M;
        long perSection = 1 + 1 + Sz.SZ_128M / Sz.SZ_2M * 2;
        assertThat(r.allocations()).isEqualTo(1 + sections * perSection);
        assertThat(r.failures()).isEmpty();
        assertThat(r.counts().getOrDefault(FaultSweep.Verdict.MODEL_FAILURE, 0)).isZero();
        List<FaultSweep.Attempt> a = r.attempts();
        assertThat(a).allSatisfy(x -> assertThat(x.ret()).isIn(0, Errno.ENOMEM.neg()));
        // the direct-map table: x86 init_memory_mapping has no error path (alloc_low_pages), a crash
        assertThat(a.get(0).verdict()).isEqualTo(FaultSweep.Verdict.KERNEL_FINDING);
        assertThat(a.get(0).finding()).isEqualTo("BUG");
        // a failure in the first section unwinds that section completely, shared tail pages and their
        // references included; only the direct map that x86 arch_add_memory made stays (H12)
        assertThat(a.subList(1, (int) (1 + perSection))).allSatisfy(x -> {
            assertThat(x.verdict()).isEqualTo(FaultSweep.Verdict.KERNEL_FINDING);
            assertThat(x.finding()).isEqualTo("H12");
        });
        // a failure in the second section also leaves the first section behind, as the kernel does (H7)
        assertThat(a.subList((int) (1 + perSection), a.size())).allSatisfy(x -> {
            assertThat(x.verdict()).isEqualTo(FaultSweep.Verdict.KERNEL_FINDING);
            assertThat(x.finding()).isEqualTo("H7");
        });
    }
}
