package org.vmemsim.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vmemsim.kernel.SpecMachine.DEV;
import static org.vmemsim.kernel.SpecMachine.G;
import static org.vmemsim.kernel.SpecMachine.M;
import static org.vmemsim.kernel.SpecMachine.RAM_BASE;
import static org.vmemsim.kernel.SpecMachine.RAM_SIZE;
import static org.vmemsim.kernel.SpecMachine.addWithAltmap;
import static org.vmemsim.kernel.SpecMachine.altmap;
import static org.vmemsim.kernel.SpecMachine.boot;
import static org.vmemsim.kernel.SpecMachine.freePages;
import static org.vmemsim.kernel.SpecMachine.idx;
import static org.vmemsim.kernel.SpecMachine.memmapVa;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.vmemsim.arch.Granule;
import org.vmemsim.arch.KernelProfile;
import org.vmemsim.kernel.SpecMachine.PfnLayout;
import org.vmemsim.mm.vmemmap.VmemAltmap;
import org.vmemsim.view.Accounting;

/**
 * kernel-semantics.md 10.7 and 10.8: the same devices on current mainline (128 MiB sections on
 * 4K, 512 MiB on 64K; VMEMMAP_END = -1 GiB), plus the v5.12..v6.8 vmemmap layout of 10.7 as the
 * 6.1 profile has it.
 */
class WorkedExamplesMainlineTest {
    static final KernelProfile P = KernelProfile.MAINLINE;
    /** VMEMMAP_START, v6.9+ layout (spec 1.6): 4K/48 and 64K/48. */
    static final long VMEMMAP_4K = 0xfffffdffc0000000L;
    static final long VMEMMAP_64K = 0xffffffdfc0000000L;
    /** VMEMMAP_START, v5.11..v6.8 layout, 4K/48. */
    static final long VMEMMAP_4K_V511 = 0xfffffc0000000000L;

    /**
     * 10.7: 8 / 128 sections whose memmap is exactly one PMD block each; the altmap trace is that of
     * 10.1 / 10.2. PGD 508 is empty at boot, so the vmemmap needs a PUD table and 1 / 2 PMD tables.
     * Section #1024 lies in a mem_section root that boot did not use: that root is allocated and
     * never freed (L1), as slab bytes.
     */
    @Nested
    class Example10_7 {
        @ParameterizedTest(name = "{0} GiB: {1} pages, alloc {2}")
        @CsvSource({"1, 515, 4096, 1", "16, 8211, 65536, 2"})
        void memremapPages_mainline4K(long gib, long pages, long alloc, long pmdTables) {
            PfnLayout l = PfnLayout.pmem(4096, DEV, gib * G, 2 * M);
            Kernel k = boot(P, Granule.G4K);
            long free0 = freePages(k);
            long vm0 = Accounting.tables(k).vmemmap();
            long slab0 = k.mm.slab.bytes();
            long slabObjs0 = k.mm.slab.count();
            // SECTIONS_PER_ROOT = PAGE_SIZE / sizeof(struct mem_section) = 4096 / 16 = 256
            assertThat(SpecMachine.roots(P, Granule.G4K, RAM_BASE, RAM_BASE + RAM_SIZE)).containsExactly(0L);
            assertThat(SpecMachine.roots(P, Granule.G4K, DEV, DEV + gib * G)).containsExactly(4L);
            assertThat(k.sparse.existingRoots()).containsExactly(0L);

            k.check(addWithAltmap(k, "pmem0", DEV, gib * G, l));
            assertThat(free0 - freePages(k)).isEqualTo(pages);
            assertThat(Accounting.tables(k).vmemmap() - vm0).isEqualTo(1 + pmdTables);
            VmemAltmap a = altmap(k, "pmem0");
            assertThat(a.alloc).isEqualTo(alloc);
            assertThat(a.align).isEqualTo(510);
            assertThat(k.sparse.existingRoots()).containsExactly(0L, 4L);
            assertThat(k.mm.slab.count() - slabObjs0).as("1 root array + 8 / 128 usage maps").isEqualTo(1 + 8 * gib);

            long start = memmapVa(VMEMMAP_4K, 12, l.basePfn());
            assertThat(start).isEqualTo(0xfffffe003f000000L);
            assertThat(idx(start, 39, 512)).isEqualTo(508);
            assertThat(idx(start, 30, 512)).isZero();
            assertThat(idx(start, 21, 512)).isEqualTo(504);
            long[] blocks = new long[1];
            k.mm.pgtable.walkLeaves(start, start + gib * 16 * M, (va, n, level, d, s) -> {
                assertThat(level).isEqualTo(2);
                blocks[0] += n;
            });
            assertThat(blocks[0]).isEqualTo(8 * gib);

            k.check(k.memunmap("pmem0"));
            assertThat(freePages(k)).isEqualTo(free0);
            assertThat(a.alloc).isZero();
            assertThat(k.mm.pgtable.entry(start, 0)).as("PGD 508 none again").isZero();
            assertThat(k.sparse.existingRoots()).as("the root is never freed").containsExactly(0L, 4L);
            assertThat(k.mm.slab.bytes() - slab0).as("one root array of PAGE_SIZE bytes kept").isEqualTo(4096);
        }

        /** v5.12..v6.8 layout (profile 6.1): PGD 504 already holds the boot memmap -> 514 / 8,210 pages. */
        @ParameterizedTest(name = "{0} GiB: {1} pages")
        @CsvSource({"1, 514, 1", "16, 8210, 2"})
        void memremapPages_v511Layout(long gib, long pages, long pmdTables) {
            Kernel k = boot(KernelProfile.V6_1, Granule.G4K);
            long free0 = freePages(k);
            long vm0 = Accounting.tables(k).vmemmap();
            k.check(addWithAltmap(k, "pmem0", DEV, gib * G, PfnLayout.pmem(4096, DEV, gib * G, 2 * M)));
            assertThat(free0 - freePages(k)).isEqualTo(pages);
            assertThat(Accounting.tables(k).vmemmap() - vm0).isEqualTo(pmdTables);
            long start = memmapVa(VMEMMAP_4K_V511, 12, DEV >>> 12);
            assertThat(start).isEqualTo(0xfffffc007f000000L);
            assertThat(idx(start, 39, 512)).isEqualTo(504);
            assertThat(idx(start, 30, 512)).isEqualTo(1);
            assertThat(k.mm.pgtable.translate(start).level()).isEqualTo(2);
            k.check(k.memunmap("pmem0"));
            assertThat(freePages(k)).isEqualTo(free0);
        }
    }

    /**
     * 10.8: 64K, 512 MiB sections: 2 / 32 sections of 8 memmap pages each, taken one pfn at a time
     * into the boot memmap's PTE table; the linear map needs 2 / 32 PTE tables.
     */
    @Nested
    class Example10_8 {
        @ParameterizedTest(name = "{0} GiB: alloc {1}")
        @CsvSource({"1, 16, 2", "16, 256, 32"})
        void memremapPages_mainline64K(long gib, long alloc, long pteTables) {
            PfnLayout l = PfnLayout.pmem(64 * 1024, DEV, gib * G, 2 * M);
            Kernel k = boot(P, Granule.G64K);
            long free0 = freePages(k);
            long vm0 = Accounting.tables(k).vmemmap();
            long lin0 = Accounting.tables(k).linear();
            k.check(addWithAltmap(k, "pmem0", DEV, gib * G, l));
            VmemAltmap a = altmap(k, "pmem0");
            assertThat(a.alloc).isEqualTo(alloc);
            assertThat(a.align).isZero();
            assertThat(Accounting.tables(k).vmemmap()).as("no new vmemmap tables").isEqualTo(vm0);
            assertThat(Accounting.tables(k).linear() - lin0).isEqualTo(pteTables);
            assertThat(free0 - freePages(k)).isEqualTo(pteTables);

            long start = memmapVa(VMEMMAP_64K, 16, l.basePfn());
            assertThat(start).isEqualTo(0xffffffdfc7f00000L);
            assertThat(idx(start, 29, 8192)).isEqualTo(7934);
            assertThat(idx(start, 16, 8192)).isEqualTo(2032);
            // the boot memmap (64 pages, PTE 0..63) shares this PTE table
            assertThat(idx(VMEMMAP_64K, 29, 8192)).isEqualTo(7934);
            for (long i = 0; i < alloc; i++) {
                var t = k.mm.pgtable.translate(start + i * 64 * 1024);
                assertThat(t.level()).isEqualTo(2);
                assertThat(t.pa() >>> 16).isEqualTo(l.basePfn() + 1 + i);
            }
            k.check(k.memunmap("pmem0"));
            assertThat(freePages(k)).isEqualTo(free0);
            assertThat(a.alloc).isZero();
            assertThat(k.mm.pgtable.entry(start, 1)).as("boot-shared PTE table kept").isNotZero();
        }
    }
}
