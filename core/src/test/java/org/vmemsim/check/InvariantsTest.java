package org.vmemsim.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.vmemsim.arch.Granule;
import org.vmemsim.arch.KernelProfile;
import org.vmemsim.kernel.Kernel;
import org.vmemsim.kernel.MachineSpec;
import org.vmemsim.mm.memremap.MemoryType;
import org.vmemsim.mm.pgtable.KernelPgtable;
import org.vmemsim.util.Sz;

/** The invariant set over whole machines, and what it reports for models corrupted by hand. */
class InvariantsTest {
    static Stream<Arguments> profilesAndGranules() {
        return Stream.of(KernelProfile.values())
                .flatMap(p -> Stream.of(Granule.values()).map(g -> Arguments.of(p, g)));
    }

    static Kernel boot(KernelProfile p, Granule g) {
        MachineSpec s = MachineSpec.defaults();
        s.profile = p;
        s.granule = g;
        return Kernel.boot(s);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("profilesAndGranules")
    void boot_everyInvariantHolds(KernelProfile p, Granule g) {
        Kernel k = boot(p, g);
        assertThat(Invariants.check(k)).isEmpty();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("profilesAndGranules")
    void memremapThenMemunmap_oneGiBWithAltmap_everyInvariantHoldsAfterEach(KernelProfile p, Granule g) {
        Kernel k = boot(p, g);
        long nrPages = Sz.SZ_1G >>> k.g.pageShift;
        k.check(k.memremap("pmem0", MemoryType.FS_DAX, 0x20_0000_0000L, Sz.SZ_1G, 2, k.autoAltmapFree(nrPages, 2), 0));
        assertThat(Invariants.check(k)).isEmpty();
        k.check(k.memunmap("pmem0"));
        assertThat(Invariants.check(k)).isEmpty();
    }

    @Test
    void all_isAnOpenListWithUniqueNames() {
        List<Invariant> all = Invariants.all();
        all.add(new Invariant() {
            @Override
            public String name() {
                return "memory-blocks";
            }

            @Override
            public String description() {
                return "a later invariant";
            }

            @Override
            public void check(CheckContext c, List<Violation> out) {}
        });
        assertThat(all.stream().map(Invariant::name).distinct().count()).isEqualTo(all.size());
        assertThat(Invariants.all()).hasSize(all.size() - 1);
    }

    /**
     * A 2 MiB device at PA 0x20_0000_0000 on 4K mainline: its memmap (512 struct pages = 32 KiB)
     * is 8 base pages. Spec 10.11 puts the mainline memmap of PA 0x20_0400_0000 at
     * 0xfffffe003f100000; 64 MiB lower (16,384 pfns x 64 bytes = 1 MiB) is 0xfffffe003f000000.
     */
    @Nested
    class CorruptedModel {
        static final long DEV = 0x20_0000_0000L;
        static final long MEMMAP_VA = 0xfffffe003f100000L - Sz.SZ_1M;

        Kernel k;

        Kernel withDevice() {
            k = Kernel.boot(MachineSpec.defaults());
            k.check(k.memremap("dev", MemoryType.FS_DAX, DEV, Sz.SZ_2M, 0, -1, 0));
            assertThat(Invariants.check(k)).isEmpty();
            return k;
        }

        @Test
        void memmapMapped_clearedVmemmapPte_reportsTheDanglingPfnAndVa() {
            withDevice();
            long va = MEMMAP_VA + 3 * Sz.SZ_4K; // the fourth memmap page: struct pages of pfns +192..+255
            KernelPgtable pt = k.mm.pgtable;
            long pte = pt.tableAt(va, k.g.leafLevel());
            pt.table(pte).set(k.g.index(va, k.g.leafLevel()), 0);

            List<Violation> v = Invariants.check(k);

            long pfn = (DEV >>> 12) + 3 * 4096 / 64;
            assertThat(v).extracting(Violation::invariant).containsExactly(MemmapMapped.NAME);
            assertThat(v.get(0).pfn()).isEqualTo(pfn);
            assertThat(v.get(0).message()).isEqualTo(String.format(
                    "section %d sub-section 0, pfn 0x%x (pgmap dev): memmap VA 0x%016x does not translate (dangling memmap, hazard H2)",
                    DEV / Sz.SZ_128M, pfn, va));
        }

        @Test
        void frameSingleUse_tablePageOnTheFreeList_isReported() {
            withDevice();
            long va = MEMMAP_VA;
            long pte = k.mm.pgtable.tableAt(va, k.g.leafLevel());
            k.mm.buddy.freePages(pte, 0); // the PTE table stays linked, its page goes back to the buddy

            List<Violation> v = Invariants.check(k);

            assertThat(v).extracting(Violation::invariant).contains(FrameSingleUse.NAME, PgtableFromRam.NAME);
            assertThat(v).filteredOn(x -> x.invariant().equals(FrameSingleUse.NAME)).first()
                    .satisfies(x -> assertThat(x.message()).startsWith(String.format("page-table page pfn 0x%x", pte)));
        }

        @Test
        void altmapCounters_underflow_isReported() {
            k = Kernel.boot(MachineSpec.defaults());
            k.check(k.memremap("pmem", MemoryType.FS_DAX, DEV, Sz.SZ_1G, 2, k.autoAltmapFree(Sz.SZ_1G >>> 12, 2), 0));
            k.memremap.pgmaps().get("pmem").altmap.alloc = -512;

            List<Violation> v = Invariants.check(k);
            // as unsigned counters, alloc + align also wraps past free
            assertThat(v).extracting(Violation::invariant).containsOnly(AltmapCounters.NAME);
            assertThat(v.get(0).message()).startsWith("pmem: vmem_altmap{pmem base_pfn=0x2000000").endsWith("alloc underflowed "
                    + "(memmap freed to the wrong altmap, H2)");
        }

        @Test
        void pgtableReachable_unlinkedTable_isALeakInTheFullCheckOnly() {
            withDevice();
            long pte = k.mm.pgtable.tableAt(MEMMAP_VA, k.g.leafLevel());
            long pmd = k.mm.pgtable.tableAt(MEMMAP_VA, k.g.pmdLevel());
            k.mm.pgtable.table(pmd).set(k.g.index(MEMMAP_VA, k.g.pmdLevel()), 0);

            List<Violation> v = Invariants.check(k);

            assertThat(v).extracting(Violation::invariant).contains(PgtableReachable.NAME, MemmapMapped.NAME);
            assertThat(v).filteredOn(x -> x.invariant().equals(PgtableReachable.NAME)).extracting(Violation::pfn)
                    .containsExactly(pte);
        }

        @Test
        void scopedCheck_seesTheDeviceSectionButNotOthers() {
            withDevice();
            long va = MEMMAP_VA;
            long pte = k.mm.pgtable.tableAt(va, k.g.leafLevel());
            k.mm.pgtable.table(pte).set(k.g.index(va, k.g.leafLevel()), 0);
            long devPfn = DEV >>> 12;
            long elsewhere = (DEV + Sz.SZ_1G) >>> 12;

            assertThat(Invariants.check(CheckContext.scoped(k, List.of(), devPfn, devPfn + 1), Invariants.all()))
                    .extracting(Violation::invariant).containsExactly(MemmapMapped.NAME);
            assertThat(Invariants.check(CheckContext.scoped(k, List.of(), elsewhere, elsewhere + 1), Invariants.all()))
                    .isEmpty();
        }
    }
}
