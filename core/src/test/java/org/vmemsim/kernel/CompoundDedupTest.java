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
import org.vmemsim.check.Invariants;
import org.vmemsim.drivers.nvdimm.Nvdimm;
import org.vmemsim.drivers.nvdimm.PfnMode;
import org.vmemsim.mm.vmemmap.VmemAltmap;
import org.vmemsim.mm.vmemmap.VmemmapCompound;
import org.vmemsim.mm.vmemmap.VmemmapPgmap;
import org.vmemsim.view.Accounting;

/**
 * Device-dax vmemmap deduplication ({@code vmemmap_populate_compound_pages}) end to end: x86_64
 * devdax namespaces with map=mem keep two memmap pages per compound page in RAM, the rest of the
 * compound page's memmap maps the second one; arm64 never deduplicates. Figures are read off the
 * accounting view and compared with the rule computed here:
 * <pre>
 *   memmap VA of N bytes of device  = N / 4 KiB * 64 B          (16 GiB per TiB)
 *   memmap RAM with compound size C = N / C * 2 pages * 4 KiB    (C = 2 MiB: 1/4 of the VA; 1 GiB: 8 MiB per TiB)
 *   PTE tables                      = memmap VA / (512 * 4 KiB)  (8192 = 32 MiB per TiB)
 * </pre>
 */
class CompoundDedupTest {
    static final long MIB = 1L << 20;
    static final long GIB = 1L << 30;
    static final long TIB = 1L << 40;
    static final long PAGE = 4096;

    static Kernel machine(Arch arch, KernelProfile p, long ramBytes, long pmemStart, long pmemSize) {
        MachineSpec m = new MachineSpec();
        m.arch = arch;
        m.granule = Granule.G4K;
        m.profile = p;
        m.ram.add(new RamRange(arch == Arch.ARM64 ? 0x4000_0000L : 0, ramBytes, 0));
        m.pmem.add(new RamRange(pmemStart, pmemSize, 0));
        return Kernel.boot(m);
    }

    static Nvdimm.Namespace devdax(Kernel k, PfnMode map, long align) {
        Nvdimm.Namespace[] out = new Nvdimm.Namespace[1];
        k.check(k.nvdimm.createNamespace(0, 0, true, map, align, out));
        return out[0];
    }

    static long memmapRam(Kernel k) {
        return memmapRam(Accounting.of(k));
    }

    static long memmapRam(Map<String, Object> acct) {
        return (Long) acct.get("memmap_ram_bytes");
    }

    @SuppressWarnings("unchecked")
    static long tables(Map<String, Object> acct, String purpose, String level) {
        Map<String, Object> pt = (Map<String, Object>) acct.get("pgtable_pages");
        Map<String, Long> byLevel = (Map<String, Long>) pt.get(purpose + "_by_level");
        return byLevel.getOrDefault(level, 0L);
    }

    /** Memmap bytes (VA) of {@code bytes} of device memory: one 64-byte struct page per 4 KiB page. */
    static long memmapVa(long bytes) {
        return bytes / PAGE * 64;
    }

    @Nested
    class PublicFigures {
        @ParameterizedTest(name = "{0}")
        @EnumSource(value = KernelProfile.class, names = {"V6_1", "V6_12", "MAINLINE"})
        void vmemmapPopulateCompoundPages_1TiBAt2MiB_16GiBBecomes4GiB(KernelProfile p) {
            Kernel k = machine(Arch.X86_64, p, 16 * GIB, TIB, TIB);
            String pte = k.g.tableName(k.g.leafLevel());
            String pmd = k.g.tableName(k.g.pmdLevel());
            Map<String, Object> a0 = Accounting.of(k);
            long free0 = k.mm.buddy.nrFreePages();

            Nvdimm.Namespace ns = devdax(k, PfnMode.RAM, 2 * MIB);
            Map<String, Object> a1 = Accounting.of(k);

            long va = memmapVa(TIB);
            assertThat(va).isEqualTo(16 * GIB);
            long perCompound = memmapVa(2 * MIB) / PAGE; // 8 memmap pages per 2 MiB compound page
            long unique = TIB / (2 * MIB) * 2 * PAGE;
            assertThat(unique).isEqualTo(va * 2 / perCompound).isEqualTo(4 * GIB);
            assertThat(memmapRam(a1) - memmapRam(a0)).isEqualTo(unique);
            long pteTables = va / (512 * PAGE);
            assertThat(pteTables).isEqualTo(8192);
            assertThat(tables(a1, "vmemmap", pte) - tables(a0, "vmemmap", pte)).isEqualTo(pteTables);
            assertThat(tables(a1, "vmemmap", pmd) - tables(a0, "vmemmap", pmd)).isEqualTo(va / GIB); // one PMD table per GiB of VA
            assertThat(k.log.warnCount()).isZero();

            k.check(k.nvdimm.destroyNamespace(ns.name()));
            Map<String, Object> a2 = Accounting.of(k);
            assertThat(memmapRam(a2)).isEqualTo(memmapRam(a0));
            assertThat(tables(a2, "vmemmap", pte)).isEqualTo(tables(a0, "vmemmap", pte));
            assertThat(k.mm.buddy.extraRefs()).isEmpty();
            // x86 never frees PUD tables with 4-level paging: the direct map of [1 TiB, 2 TiB) keeps
            // one per 512 GiB; everything else is back
            String pud = k.g.tableName(k.g.pudLevel());
            long keptPud = tables(a2, "linear", pud) - tables(a0, "linear", pud);
            assertThat(keptPud).isEqualTo(TIB / (512 * GIB));
            assertThat(free0 - k.mm.buddy.nrFreePages()).isEqualTo(keptPud);
        }

        @Test
        void vmemmapPopulateCompoundPages_1TiBAt1GiB_about40MB() {
            Kernel k = machine(Arch.X86_64, KernelProfile.MAINLINE, 4 * GIB, TIB, TIB);
            String pte = k.g.tableName(k.g.leafLevel());
            Map<String, Object> a0 = Accounting.of(k);

            Nvdimm.Namespace ns = devdax(k, PfnMode.RAM, GIB);
            Map<String, Object> a1 = Accounting.of(k);

            long unique = TIB / GIB * 2 * PAGE;
            assertThat(unique).isEqualTo(8 * MIB);
            long pteTables = memmapVa(TIB) / (512 * PAGE);
            assertThat(pteTables * PAGE).isEqualTo(32 * MIB);
            long memmap = memmapRam(a1) - memmapRam(a0);
            long ptes = tables(a1, "vmemmap", pte) - tables(a0, "vmemmap", pte);
            assertThat(memmap).isEqualTo(unique);
            assertThat(ptes).isEqualTo(pteTables);
            assertThat(memmap + ptes * PAGE).isEqualTo(40 * MIB); // "about 40 MB" per TiB

            k.check(k.nvdimm.destroyNamespace(ns.name()));
            assertThat(memmapRam(k)).isEqualTo(memmapRam(a0));
            assertThat(k.mm.buddy.extraRefs()).isEmpty();
        }

        @Test
        void compoundSectionTailPage_1GiBCompoundPagesSpanEightSections() {
            Kernel k = machine(Arch.X86_64, KernelProfile.V6_1, 2 * GIB, 0x1_0000_0000L, 2 * GIB);
            long ram0 = memmapRam(k);
            long free0 = k.mm.buddy.nrFreePages();
            Nvdimm.Namespace ns = devdax(k, PfnMode.RAM, GIB);
            assertThat(k.memremap.pgmaps().get(ns.pfn.name).vmemmapShift).isEqualTo(18);
            // two 1 GiB compound pages, two RAM memmap pages each
            assertThat(memmapRam(k) - ram0).isEqualTo(2 * 2 * PAGE);
            // the 4095 memmap pages after the head, over all eight 128 MiB sections, share one page
            long head = k.mm.pfnToPage(0x1_0000_0000L >>> 12);
            long tail = k.mm.pgtable.translate(head + PAGE).pa() >>> 12;
            long perSection = memmapVa(k.g.pagesPerSection * PAGE);
            for (long off = perSection; off < memmapVa(GIB); off += perSection) {
                assertThat(k.mm.pgtable.translate(head + off).pa() >>> 12).isEqualTo(tail);
            }
            assertThat(k.mm.pgtable.translate(head + memmapVa(GIB)).pa() >>> 12).isNotEqualTo(tail); // next head
            assertThat(k.mm.buddy.pageCount(tail)).isEqualTo(memmapVa(GIB) / PAGE - 1);
            assertThat(Invariants.check(k)).isEmpty();

            k.check(k.nvdimm.destroyNamespace(ns.name()));
            assertThat(memmapRam(k)).isEqualTo(ram0);
            assertThat(k.mm.buddy.nrFreePages()).isEqualTo(free0);
            assertThat(k.mm.buddy.extraRefs()).isEmpty();
            assertThat(Invariants.check(k)).isEmpty();
            assertThat(k.log.warnCount()).isZero();
        }
    }

    @Nested
    class SharingInvariant {
        @Test
        void vmemmapBacking_sharedPageNeedsOneReferencePerMapping() {
            Kernel k = machine(Arch.X86_64, KernelProfile.V6_12, 2 * GIB, 0x1_0000_0000L, 2 * GIB);
            devdax(k, PfnMode.RAM, 2 * MIB);
            assertThat(Invariants.check(k)).isEmpty();
            long head = k.mm.pfnToPage(0x1_0000_0000L >>> 12);
            long tail = k.mm.pgtable.translate(head + PAGE).pa() >>> 12;
            k.mm.buddy.getPage(tail); // a reference nobody maps
            assertThat(Invariants.check(k)).extracting(v -> v.message())
                    .anySatisfy(m -> assertThat(m).contains("page_count 8 but 7 vmemmap leaves map it"));
            k.mm.buddy.putExtraRef(tail);
            long headPage = k.mm.pgtable.translate(head).pa() >>> 12;
            k.mm.buddy.getPage(headPage); // the head memmap page is never shared
            assertThat(Invariants.check(k)).extracting(v -> v.message())
                    .anySatisfy(m -> assertThat(m).contains("holds the head struct page"));
        }
    }

    @Nested
    class NoDedup {
        @ParameterizedTest(name = "{0}")
        @EnumSource(value = KernelProfile.class, names = {"V6_1", "V6_12", "MAINLINE"})
        void vmemmapCanOptimize_arm64NeverEvenWithCompoundPages(KernelProfile p) {
            Kernel k = machine(Arch.ARM64, p, 4 * GIB, 0x20_0000_0000L, 2 * GIB);
            long ram0 = memmapRam(k);
            Nvdimm.Namespace ns = devdax(k, PfnMode.RAM, 2 * MIB);
            // the pages are compound (dev_dax_probe), but arm64 does not opt in: the whole memmap is in RAM
            assertThat(k.memremap.pgmaps().get(ns.pfn.name).vmemmapShift).isEqualTo(9);
            assertThat(memmapRam(k) - ram0).isEqualTo(memmapVa(2 * GIB));
            assertThat(k.mm.buddy.extraRefs()).isEmpty();
        }

        @Test
        void vmemmapCanOptimize_x86MapDevKeepsTheMemmapOnTheDevice() {
            Kernel k = machine(Arch.X86_64, KernelProfile.V6_12, 4 * GIB, 0x1_0000_0000L * 8, 2 * GIB);
            long ram0 = memmapRam(k);
            Nvdimm.Namespace ns = devdax(k, PfnMode.PMEM, 2 * MIB);
            assertThat(k.memremap.pgmaps().get(ns.pfn.name).vmemmapShift).isEqualTo(9);
            assertThat(memmapRam(k)).isEqualTo(ram0);
            assertThat(Accounting.memmap(k).deviceBytes()).isEqualTo(memmapVa(2 * GIB));
            assertThat(k.mm.buddy.extraRefs()).isEmpty();
        }

        @Test
        void vmemmapCanOptimize_x86Align4KIsNotCompound() {
            Kernel k = machine(Arch.X86_64, KernelProfile.MAINLINE, 4 * GIB, 0x1_0000_0000L * 8, 2 * GIB);
            long ram0 = memmapRam(k);
            Nvdimm.Namespace ns = devdax(k, PfnMode.RAM, PAGE);
            assertThat(k.memremap.pgmaps().get(ns.pfn.name).vmemmapShift).isZero();
            assertThat(memmapRam(k) - ram0).isEqualTo(memmapVa(2 * GIB));
        }
    }

    @Nested
    class CanOptimize {
        final Kernel k = machine(Arch.X86_64, KernelProfile.V6_1, 2 * GIB, 0x1_0000_0000L, 2 * GIB);
        final VmemmapCompound c = k.sparseVmemmap.compound();

        VmemmapPgmap shift(int s) {
            return new VmemmapPgmap() {
                @Override
                public int vmemmapShift() {
                    return s;
                }

                @Override
                public long currentRangeStart() {
                    return 0x1_0000_0000L;
                }
            };
        }

        @Test
        void vmemmapCanOptimize_needsMoreThanTwoMemmapPagesPerCompoundPage() {
            // 2^s pages * 64 bytes / 4 KiB memmap pages: s=6 -> 1, s=7 -> 2, s=8 -> 4
            assertThat(c.vmemmapCanOptimize(null, shift(6))).isFalse();
            assertThat(c.vmemmapCanOptimize(null, shift(7))).isFalse();
            assertThat(c.vmemmapCanOptimize(null, shift(8))).isTrue();
            assertThat(c.vmemmapCanOptimize(null, shift(9))).isTrue();
            assertThat(c.vmemmapCanOptimize(null, null)).isFalse();
            assertThat(c.vmemmapCanOptimize(new VmemAltmap("a", 0x100000, 0x17ffff, 0, 16), shift(9))).isFalse();
        }

        @Test
        void reuseCompoundSection_onlyInsideCompoundPagesLargerThanASubsection() {
            long base = 0x1_0000_0000L >>> 12;
            long section = k.g.pagesPerSection;
            assertThat(c.reuseCompoundSection(base, shift(18))).isFalse();
            assertThat(c.reuseCompoundSection(base + section, shift(18))).isTrue();
            assertThat(c.reuseCompoundSection(base + (1L << 18), shift(18))).isFalse();
            // 2 MiB compound pages are one sub-section: never reused across sections
            assertThat(c.reuseCompoundSection(base + section, shift(9))).isFalse();
        }

        @Test
        void archWantOptimizeDaxVmemmap_x86OnlyFrom517() {
            for (KernelProfile p : KernelProfile.values()) {
                assertThat(p.archWantOptimizeDaxVmemmap(Arch.ARM64)).isFalse();
                assertThat(p.archWantOptimizeDaxVmemmap(Arch.X86_64)).isEqualTo(p.ordinal100 >= 517);
            }
        }
    }
}
