package org.vmemsim.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
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
import org.vmemsim.mm.memremap.DevPagemap;
import org.vmemsim.util.Errno;
import org.vmemsim.view.Accounting;

/**
 * powerpc radix's own device-dax vmemmap deduplication ({@code vmemmap_populate_compound_pages} of
 * {@code arch/powerpc/mm/book3s64/radix_pgtable.c}, v6.6+) on 64K pages. The rule, computed here:
 * <pre>
 *   struct pages per compound page C = C / 64 KiB;    memmap = that * 64 B
 *   C = 2 MiB:  32 struct pages = 2 KiB  (not more than 2 pages: no dedup, the whole memmap in RAM)
 *   C = 1 GiB:  16384 struct pages = 1 MiB = 16 memmap pages; 2 keep RAM (head, first tail),
 *               the other 14 PTEs map the first tail page (its page count 1 + 14)
 *   8 GiB devdax map=mem align 1G: 8 * 2 * 64 KiB = 1 MiB of memmap instead of 8 MiB
 *   PTE tables: one per 2 MiB of vmemmap (32 entries of 64 KiB)
 * </pre>
 */
class Ppc64CompoundDedupTest {
    static final long KIB = 1L << 10;
    static final long MIB = 1L << 20;
    static final long GIB = 1L << 30;
    static final long PAGE = 64 * KIB;
    static final long PMEM = 0x20_0000_0000L;

    static MachineSpec spec(KernelProfile p, long ramBytes, long pmemStart, long pmemSize) {
        MachineSpec m = new MachineSpec();
        m.arch = Arch.PPC64;
        m.granule = Granule.G64K;
        m.profile = p;
        m.ram.add(new RamRange(0, ramBytes, 0));
        m.pmem.add(new RamRange(pmemStart, pmemSize, 0));
        return m;
    }

    static Kernel machine(KernelProfile p) {
        return Kernel.boot(spec(p, 4 * GIB, PMEM, 8 * GIB));
    }

    static Nvdimm.Namespace devdax(Kernel k, long align) {
        Nvdimm.Namespace[] out = new Nvdimm.Namespace[1];
        k.check(k.nvdimm.createNamespace(0, 0, true, PfnMode.RAM, align, out));
        return out[0];
    }

    static long memmapRam(Kernel k) {
        return (Long) Accounting.of(k).get("memmap_ram_bytes");
    }

    @SuppressWarnings("unchecked")
    static long vmemmapPte(Kernel k) {
        Map<String, Object> pt = (Map<String, Object>) Accounting.of(k).get("pgtable_pages");
        Map<String, Long> byLevel = (Map<String, Long>) pt.get("vmemmap_by_level");
        return byLevel.getOrDefault(k.g.tableName(k.g.leafLevel()), 0L);
    }

    /** Memmap bytes (VA) of {@code bytes} of memory: a 64-byte struct page per 64 KiB page. */
    static long memmapVa(long bytes) {
        return bytes / PAGE * 64;
    }

    /**
     * RAM memmap of a deduplicated pgmap range {@code [start, end)} with compound pages of
     * {@code c} bytes: 2 pages per whole compound page, plus the plain memmap of whatever lies
     * outside whole compound pages.
     */
    static long dedupRule(long start, long end, long c) {
        long whole = end / c - (start + c - 1) / c;
        long outside = (end - start) - whole * c;
        return whole * 2 * PAGE + memmapVa(outside);
    }

    @Nested
    class VmemmapPopulateCompoundPages {
        @ParameterizedTest(name = "{0}")
        @EnumSource(value = KernelProfile.class, names = {"V6_12", "MAINLINE"})
        void vmemmapPopulateCompoundPages_8GiBAlign1G_twoPagesPerGiB(KernelProfile p) {
            Kernel k = machine(p);
            long ram0 = memmapRam(k);
            long pte0 = vmemmapPte(k);

            Nvdimm.Namespace ns = devdax(k, GIB);
            DevPagemap pg = k.memremap.pgmaps().get(ns.pfn.name);
            assertThat(pg.vmemmapShift).isEqualTo(14); // 1 GiB / 64 KiB = 2^14 pages
            // map=mem: the pgmap covers the whole 8 GiB namespace, 1 GiB aligned: 8 whole compound pages
            assertThat(pg.rangeStart).isEqualTo(PMEM);
            assertThat(pg.rangeEnd - pg.rangeStart + 1).isEqualTo(8 * GIB);
            long perCompound = memmapVa(GIB) / PAGE;
            assertThat(perCompound).isEqualTo(16);
            long expected = dedupRule(PMEM, PMEM + 8 * GIB, GIB);
            assertThat(expected).isEqualTo(8 * 2 * PAGE).isEqualTo(MIB);
            assertThat(memmapRam(k) - ram0).isEqualTo(expected);
            // one PTE table per 2 MiB of memmap VA
            assertThat(vmemmapPte(k) - pte0).isEqualTo(memmapVa(8 * GIB) / (2 * MIB)).isEqualTo(4);
            assertThat(Invariants.check(k)).isEmpty();
            assertThat(k.log.warnCount()).isZero();
        }

        @Test
        void vmemmapPopulateCompoundPages_fourteenPtesShareTheFirstTailPage() {
            Kernel k = machine(KernelProfile.MAINLINE);
            devdax(k, GIB);
            for (long c = 0; c < 8; c++) {
                long head = k.mm.pfnToPage((PMEM + c * GIB) / PAGE);
                long headPfn = k.mm.pgtable.translate(head).pa() / PAGE;
                long tail = k.mm.pgtable.translate(head + PAGE).pa() / PAGE;
                assertThat(tail).isNotEqualTo(headPfn);
                for (long i = 2; i < 16; i++) {
                    assertThat(k.mm.pgtable.translate(head + i * PAGE).pa() / PAGE).isEqualTo(tail);
                }
                assertThat(k.mm.buddy.pageCount(tail)).isEqualTo(1 + 14);
                assertThat(k.mm.buddy.pageCount(headPfn)).isEqualTo(1);
            }
        }

        @ParameterizedTest(name = "{0}")
        @EnumSource(value = KernelProfile.class, names = {"V6_1", "V6_12", "MAINLINE"})
        void vmemmapCanOptimize_align2M_memmapLessThanAPage_noDedup(KernelProfile p) {
            Kernel k = machine(p);
            long ram0 = memmapRam(k);
            devdax(k, 2 * MIB);
            // 32 struct pages = 2 KiB of memmap per compound page: the whole 8 GiB memmap in RAM
            assertThat(memmapVa(2 * MIB)).isEqualTo(2 * KIB);
            assertThat(memmapRam(k) - ram0).isEqualTo(memmapVa(8 * GIB)).isEqualTo(8 * MIB);
            assertThat(k.mm.buddy.extraRefs()).isEmpty();
            assertThat(Invariants.check(k)).isEmpty();
        }

        @Test
        void vmemmapCanOptimize_v61_noRadixDedup() {
            assertThat(KernelProfile.V6_1.archWantOptimizeDaxVmemmap(Arch.PPC64)).isFalse();
            assertThat(KernelProfile.V6_12.archWantOptimizeDaxVmemmap(Arch.PPC64)).isTrue();
            Kernel k = machine(KernelProfile.V6_1);
            // 6.1's device-dax offers no 1 GiB alignment on ppc64 (no PUD-mapped dax)
            assertThat(k.nvdimm.createNamespace(0, 0, true, PfnMode.RAM, GIB, new Nvdimm.Namespace[1]))
                    .isEqualTo(Errno.EINVAL.neg());
        }

        @Test
        void vmemmapPopulateCompoundPages_memmapInARamPmdLeaf_isSkipped() {
            // RAM [0, 3 GiB): its boot memmap is two 2 MiB PMD leaves covering pfns of [0, 4 GiB).
            // pmem [3 GiB, 6 GiB): the compound page [3 GiB, 4 GiB) has its memmap inside the second
            // leaf (already backed, nothing new); [4 GiB, 5 GiB) and [5 GiB, 6 GiB) are deduplicated
            Kernel k = Kernel.boot(spec(KernelProfile.MAINLINE, 3 * GIB, 3 * GIB, 3 * GIB));
            long ram0 = memmapRam(k);
            k.check(k.nvdimm.destroyNamespace(devdax(k, GIB).name())); // warm-up: ZONE_DEVICE span, L1
            ModelState before = ModelState.capture(k);
            Nvdimm.Namespace ns = devdax(k, GIB);
            long head3 = k.mm.pfnToPage(3 * GIB / PAGE);
            assertThat(k.mm.pgtable.translate(head3).level()).isEqualTo(k.g.pmdLevel());
            assertThat(memmapRam(k) - ram0).isEqualTo(2 * 2 * PAGE);
            assertThat(Invariants.check(k)).isEmpty();
            k.check(k.nvdimm.destroyNamespace(ns.name()));
            assertThat(memmapRam(k)).isEqualTo(ram0);
            assertThat(k.mm.buddy.extraRefs()).isEmpty();
            assertThat(Invariants.check(k)).isEmpty();
            // the RAM leaf stays: the boot memmap of [2 GiB, 3 GiB) still needs it
            assertThat(k.mm.pgtable.translate(head3).level()).isEqualTo(k.g.pmdLevel());
            assertThat(ModelState.diff(before, ModelState.capture(k))).isNull();
        }
    }

    @Nested
    class Teardown {
        @ParameterizedTest(name = "{0}")
        @EnumSource(value = KernelProfile.class, names = {"V6_12", "MAINLINE"})
        void destroyNamespace_align1G_identicalStateNoLeakedReference(KernelProfile p) {
            Kernel k = machine(p);
            long free0 = k.mm.buddy.nrFreePages();
            long ram0 = memmapRam(k);
            cycle(k); // first time: a mem_section root (L1) and the ZONE_DEVICE span stay by design
            assertThat(k.mm.buddy.nrFreePages()).isEqualTo(free0);
            assertThat(memmapRam(k)).isEqualTo(ram0);

            ModelState before = ModelState.capture(k);
            cycle(k);
            assertThat(ModelState.diff(before, ModelState.capture(k))).isNull();
            assertThat(k.log.warnCount()).isZero();
        }

        private void cycle(Kernel k) {
            Nvdimm.Namespace ns = devdax(k, GIB);
            assertThat(k.mm.buddy.extraRefs()).hasSize(8) // one shared first-tail page per GiB
                    .allSatisfy((pfn, refs) -> assertThat(refs).isEqualTo(14L));
            assertThat(Invariants.check(k)).isEmpty();
            k.check(k.nvdimm.destroyNamespace(ns.name()));
            assertThat(k.mm.buddy.extraRefs()).isEmpty();
            assertThat(Invariants.check(k)).isEmpty();
        }
    }

    @Nested
    class FaultInjection {
        @ParameterizedTest(name = "{0}")
        @EnumSource(value = KernelProfile.class, names = {"V6_12", "MAINLINE"})
        void createNamespace_align1G_everyAllocationFailure_noModelFailure(KernelProfile p) {
            MachineSpec s = spec(p, 4 * GIB, PMEM, 8 * GIB);
            FaultSweep.Report r = FaultSweep.sweep(() -> Kernel.boot(s),
                    FaultSweep.createNamespace(0, 8 * GIB, true, PfnMode.RAM, GIB));
            assertThat(r.allocations()).isPositive();
            assertThat(r.attempts()).hasSize((int) r.allocations());
            assertThat(r.failures()).isEmpty();
            // a failure after the first section of a compound page leaves the sections before it
            // (H7), including the first-tail memmap page radix populated for later sections
            assertThat(r.attempts()).anySatisfy(a -> {
                assertThat(a.finding()).isEqualTo("H7");
                assertThat(a.detail()).contains("first-tail page");
            });
            // the first-tail page's own allocation failing is ignored by radix__vmemmap_populate_address:
            // a later section of the compound page maps it again and the namespace is created, once
            // per 1 GiB compound page
            assertThat(r.counts().get(FaultSweep.Verdict.SURVIVED)).isEqualTo((int) (8 * GIB / GIB));
            assertThat(r.attempts()).filteredOn(a -> a.verdict() == FaultSweep.Verdict.SURVIVED)
                    .extracting(FaultSweep.Attempt::site).containsOnly("vmemmap_alloc_block_buf");
        }
    }
}
