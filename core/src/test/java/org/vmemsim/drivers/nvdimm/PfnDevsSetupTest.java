package org.vmemsim.drivers.nvdimm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vmemsim.drivers.nvdimm.PfnDevsTest.NS_START;
import static org.vmemsim.drivers.nvdimm.PfnDevsTest.geo;
import static org.vmemsim.util.Sz.SZ_16G;
import static org.vmemsim.util.Sz.SZ_16K;
import static org.vmemsim.util.Sz.SZ_1G;
import static org.vmemsim.util.Sz.SZ_1M;
import static org.vmemsim.util.Sz.SZ_2M;
import static org.vmemsim.util.Sz.SZ_32M;
import static org.vmemsim.util.Sz.SZ_4K;
import static org.vmemsim.util.Sz.SZ_512M;
import static org.vmemsim.util.Sz.SZ_64K;
import static org.vmemsim.util.Sz.SZ_64M;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.vmemsim.arch.Geometry;
import org.vmemsim.arch.Granule;
import org.vmemsim.arch.KernelProfile;
import org.vmemsim.mm.vmemmap.VmemAltmap;
import org.vmemsim.util.Dmesg;

/** {@code nvdimm_setup_pfn} / {@code __nvdimm_setup_pfn} (spec 8.2): the pgmap range and the altmap. */
class PfnDevsSetupTest {

    static PfnSetup setup(Geometry g, NdPfn nd) {
        PfnSetup out = new PfnSetup();
        Dmesg log = new Dmesg();
        assertThat(PfnDevs.nvdimmSetupPfn(g, nd, out, log)).as(log.lastError()).isZero();
        return out;
    }

    static void assertAltmap(VmemAltmap a, long basePfn, long endPfn, long reserve, long free) {
        assertThat(a).isNotNull();
        assertThat(a.basePfn).as("base_pfn").isEqualTo(basePfn);
        assertThat(a.endPfn).as("end_pfn").isEqualTo(endPfn);
        assertThat(a.reserve).as("reserve").isEqualTo(reserve);
        assertThat(a.free).as("free").isEqualTo(free);
        assertThat(a.alloc).as("alloc").isZero();
        assertThat(a.align).as("align").isZero();
    }

    @Nested
    class WorkedExamples {
        @Test
        void nvdimmSetupPfn_spec10_1() {
            /*
             * [0x20_0000_0000 ........................................ 0x20_3fff_ffff]
             * [2 pfns][ 4,606 pfn pool ][ 257,536 data pages                       ]
             */
            NdPfn nd = NdPfn.fsdax(0, 0, NS_START, SZ_1G, PfnMode.PMEM, SZ_2M);
            PfnSetup out = setup(geo(Granule.G4K), nd);
            assertAltmap(out.altmap, 0x2000000L, 0x203FFFFL, 2, 4_606);
            assertThat(VmemAltmap.vmemAltmapOffset(out.altmap)).isEqualTo(4_608L);
            assertThat(out.altmap.owner).isEqualTo("pfn0.0");
            assertThat(out.rangeStart).isEqualTo(NS_START);
            assertThat(out.rangeEndInclusive).isEqualTo(NS_START + SZ_1G - 1);
            assertThat(out.rangeLen()).isEqualTo(SZ_1G);
            assertThat(out.npfns).isEqualTo(257_536L);
            assertThat(nd.npfns).isEqualTo(257_536L);
            assertThat(out.altmapValid()).isTrue();
        }

        @Test
        void nvdimmSetupPfn_spec10_2() {
            PfnSetup out = setup(geo(Granule.G4K), NdPfn.fsdax(0, 0, NS_START, SZ_16G, PfnMode.PMEM, SZ_2M));
            assertAltmap(out.altmap, 0x2000000L, 0x23FFFFFL, 2, 66_046);
            assertThat(VmemAltmap.vmemAltmapOffset(out.altmap)).isEqualTo(66_048L);
            assertThat(out.npfns).isEqualTo(4_128_256L);
        }

        @Test
        void nvdimmSetupPfn_spec10_3_mapMemHasNoAltmap() {
            PfnSetup out = setup(geo(Granule.G4K), NdPfn.fsdax(0, 0, NS_START, SZ_1G, PfnMode.RAM, SZ_2M));
            assertThat(out.altmap).isNull();
            assertThat(out.altmapValid()).isFalse();
            assertThat(out.npfns).isEqualTo(261_632L);
            // the pgmap still covers the whole namespace
            assertThat(out.rangeStart).isEqualTo(NS_START);
            assertThat(out.rangeLen()).isEqualTo(SZ_1G);
        }

        @Test
        void nvdimmSetupPfn_spec10_5_64K() {
            Geometry g = geo(Granule.G64K);
            // 1 GiB = 16,384 = 0x4000 pfns of 64 KiB, so end_pfn = 0x200000 + 0x3FFF. (The 10.5 table
            // prints 0x20FFFF, which would be a 4 GiB device; its 16 GiB figure 0x23FFFF is right.)
            assertThat(SZ_1G / SZ_64K).isEqualTo(0x4000L);
            PfnSetup a = setup(g, NdPfn.fsdax(0, 0, NS_START, SZ_1G, PfnMode.PMEM, SZ_64K));
            assertAltmap(a.altmap, 0x200000L, 0x203FFFL, 1, 31);
            assertThat(a.npfns).isEqualTo(16_352L);
            PfnSetup b = setup(g, NdPfn.fsdax(0, 0, NS_START, SZ_1G, PfnMode.PMEM, SZ_512M));
            assertAltmap(b.altmap, 0x200000L, 0x203FFFL, 1, 8_191);
            assertThat(b.npfns).isEqualTo(8_192L);
            PfnSetup c = setup(g, NdPfn.fsdax(0, 0, NS_START, SZ_16G, PfnMode.PMEM, SZ_64K));
            assertAltmap(c.altmap, 0x200000L, 0x23FFFFL, 1, 287);
            assertThat(c.npfns).isEqualTo(261_856L);
        }

        @Test
        void nvdimmSetupPfn_spec10_6_16K() {
            Geometry g = geo(Granule.G16K);
            long basePfn = NS_START / SZ_16K; // 0x800000
            long endPfn = basePfn + SZ_1G / SZ_16K - 1;
            PfnSetup def = setup(g, NdPfn.fsdax(0, 0, NS_START, SZ_1G, PfnMode.PMEM, SZ_32M));
            assertAltmap(def.altmap, 0x800000L, endPfn, 1, 2_047);
            PfnSetup small = setup(g, NdPfn.fsdax(0, 0, NS_START, SZ_1G, PfnMode.PMEM, SZ_16K));
            assertAltmap(small.altmap, basePfn, endPfn, 1, 383);
        }

        @Test
        void nvdimmSetupPfn_spec10_10_subSectionDevice() {
            PfnSetup out = setup(geo(Granule.G4K), NdPfn.fsdax(0, 0, NS_START, SZ_64M, PfnMode.PMEM, SZ_2M));
            assertAltmap(out.altmap, 0x2000000L, 0x2000000L + 16_384 - 1, 2, 510);
            assertThat(out.npfns).isEqualTo(15_872L);
        }

        @Test
        void nvdimmSetupPfn_spec10_11_unalignedTo128MiB() {
            // 2 MiB aligned but 64 MiB into a 128 MiB block: same driver numbers, base_pfn 0x2004000
            PfnSetup out = setup(geo(Granule.G4K, KernelProfile.MAINLINE),
                    NdPfn.fsdax(0, 0, NS_START + SZ_64M, SZ_1G, PfnMode.PMEM, SZ_2M));
            assertAltmap(out.altmap, 0x2004000L, 0x2004000L + 262_144 - 1, 2, 4_606);
        }
    }

    @ParameterizedTest
    @EnumSource(Granule.class)
    void nvdimmSetupPfn_layoutInvariants(Granule gr) {
        Geometry g = geo(gr);
        long pmd = gr.pageSize() * (gr.pageSize() / 8);
        for (long size : new long[] {SZ_1G, SZ_1G + SZ_2M, 5 * SZ_1G + 3 * SZ_2M, SZ_16G}) {
            for (long align : new long[] {gr.pageSize(), pmd}) {
                SpecLayout want = SpecLayout.of(gr.pageSize(), NS_START, size, align, true);
                PfnSetup out = setup(g, NdPfn.devdax(1, 0, NS_START, size, PfnMode.PMEM, align));
                assertAltmap(out.altmap, want.basePfn(), want.endPfn(), want.reserve(), want.free());
                // data starts exactly at dataoff: vmem_altmap_offset == PFN(dataoff)
                assertThat(VmemAltmap.vmemAltmapOffset(out.altmap)).isEqualTo(want.dataoff() / gr.pageSize());
                // the altmap spans the whole (truncated) range: offset + data pages == range pages
                assertThat(out.altmap.endPfn - out.altmap.basePfn + 1)
                        .isEqualTo(VmemAltmap.vmemAltmapOffset(out.altmap) + out.npfns);
                assertThat(out.rangeLen()).isEqualTo(size - want.endTrunc());
                assertThat(out.npfns).isEqualTo(want.npfns());
            }
        }
    }

    @Nested
    class Errors {
        @Test
        void nvdimmSetupPfn_initFailure_leavesOutputUntouched() {
            NdPfn nd = NdPfn.fsdax(0, 0, NS_START, SZ_1G, PfnMode.PMEM, SZ_2M);
            nd.readOnly = true;
            PfnSetup out = new PfnSetup();
            assertThat(PfnDevs.nvdimmSetupPfn(geo(Granule.G4K), nd, out, new Dmesg())).isEqualTo(-6);
            assertThat(out.altmap).isNull();
            assertThat(out.rangeStart).isZero();
            assertThat(out.rangeEndInclusive).isZero();
            assertThat(out.npfns).isZero();
            assertThat(nd.npfns).isZero();
        }

        @Test
        void nvdimmSetupPfn_ramModeDataoffInsideReserve_isEinval() {
            // an info block (written by someone else) whose data starts at 4 KiB, inside the 8 KiB reserve
            Geometry g = geo(Granule.G4K);
            NdPfn nd = NdPfn.fsdax(0, 0, NS_START, SZ_1G, PfnMode.RAM, SZ_4K);
            nd.sb = new NdPfnSb(NdPfnSb.PFN_SIG, nd.uuid, nd.parentUuid, 0, 1, 4, SZ_4K, (SZ_1G - SZ_4K) / SZ_4K,
                    PfnMode.RAM, 0, 0, SZ_4K, SZ_4K, 64);
            PfnSetup out = new PfnSetup();
            Dmesg log = new Dmesg();
            assertThat(PfnDevs.nvdimmSetupPfn(g, nd, out, log)).isEqualTo(-22);
            assertThat(log.lastErrorFunction()).isEqualTo("__nvdimm_setup_pfn");
            assertThat(log.lastError()).contains("0x1000").contains("0x2000");
            assertThat(out.rangeLen()).isEqualTo(1); // untouched: [0, 0]
        }
    }

    @Nested
    class ExistingInfoBlock {
        @Test
        void ndPfnInit_reusesAValidInfoBlock() {
            Geometry g = geo(Granule.G4K);
            NdPfn nd = NdPfn.fsdax(0, 0, NS_START, SZ_1G, PfnMode.PMEM, SZ_2M);
            PfnDevsInitTest.initOk(g, nd);
            NdPfnSb first = nd.sb;
            nd.readOnly = true; // re-enabling needs no write
            PfnDevsInitTest.initOk(g, nd);
            assertThat(nd.sb).isSameAs(first);
            assertThat(nd.sb.dataoff()).isEqualTo(18 * SZ_1M);
        }

        @Test
        void ndPfnInit_settingsChangedUnderTheSameUuid_isEopnotsupp() {
            Geometry g = geo(Granule.G4K);
            NdPfn nd = NdPfn.fsdax(0, 0, NS_START, SZ_1G, PfnMode.PMEM, SZ_2M);
            PfnDevsInitTest.initOk(g, nd);
            nd.align = SZ_4K;
            NdPfn before = nd.copy();
            Dmesg log = new Dmesg();
            assertThat(PfnDevs.ndPfnInit(g, nd, log)).isEqualTo(-95);
            assertThat(log.lastErrorFunction()).isEqualTo("nd_pfn_validate");
            assertThat(log.lastError()).contains("settings mismatch");
            assertThat(nd.sameState(before)).isTrue();
        }

        @Test
        void ndPfnInit_foreignInfoBlock_isReplaced() {
            // an fsdax block under a devdax device has the wrong signature: -ENODEV, a new block is written
            Geometry g = geo(Granule.G64K);
            NdPfn pfn = NdPfn.fsdax(0, 0, NS_START, SZ_1G, PfnMode.PMEM, SZ_512M);
            PfnDevsInitTest.initOk(g, pfn);
            NdPfn dax = NdPfn.devdax(0, 0, NS_START, SZ_1G, PfnMode.RAM, SZ_64K);
            dax.sb = pfn.sb;
            PfnDevsInitTest.initOk(g, dax);
            assertThat(dax.sb.signature()).isEqualTo(NdPfnSb.DAX_SIG);
            assertThat(dax.sb.mode()).isEqualTo(PfnMode.RAM);
            assertThat(dax.sb.dataoff()).isEqualTo(SZ_2M);
        }

        @Test
        void ndPfnInit_validateRejectsAZeroSizedBlockSince66() {
            // the block a 6.1 kernel wrote (0 data pages) no longer validates on mainline
            NdPfn nd = NdPfn.devdax(0, 0, NS_START, 600 * SZ_1M, PfnMode.PMEM, SZ_512M);
            PfnDevsInitTest.initOk(geo(Granule.G64K, KernelProfile.V6_1), nd);
            Dmesg log = new Dmesg();
            assertThat(PfnDevs.ndPfnInit(geo(Granule.G64K, KernelProfile.MAINLINE), nd, log)).isEqualTo(-95);
            assertThat(log.lastError()).contains("bad offset with small namespace");
        }
    }
}
