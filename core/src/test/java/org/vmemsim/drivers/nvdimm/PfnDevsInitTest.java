package org.vmemsim.drivers.nvdimm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vmemsim.drivers.nvdimm.PfnDevsTest.NS_START;
import static org.vmemsim.drivers.nvdimm.PfnDevsTest.geo;
import static org.vmemsim.util.Sz.SZ_16G;
import static org.vmemsim.util.Sz.SZ_16K;
import static org.vmemsim.util.Sz.SZ_1G;
import static org.vmemsim.util.Sz.SZ_1M;
import static org.vmemsim.util.Sz.SZ_2G;
import static org.vmemsim.util.Sz.SZ_2M;
import static org.vmemsim.util.Sz.SZ_32M;
import static org.vmemsim.util.Sz.SZ_4G;
import static org.vmemsim.util.Sz.SZ_4K;
import static org.vmemsim.util.Sz.SZ_4M;
import static org.vmemsim.util.Sz.SZ_512M;
import static org.vmemsim.util.Sz.SZ_64K;
import static org.vmemsim.util.Sz.SZ_64M;

import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.vmemsim.arch.Geometry;
import org.vmemsim.arch.Granule;
import org.vmemsim.arch.KernelProfile;
import org.vmemsim.util.Dmesg;

/** {@code nd_pfn_init} (spec 8.1) and {@code nd_pfn_validate}: the info block a namespace gets. */
class PfnDevsInitTest {

    static NdPfn initOk(Geometry g, NdPfn nd) {
        Dmesg log = new Dmesg();
        assertThat(PfnDevs.ndPfnInit(g, nd, log)).as(log.lastError()).isZero();
        return nd;
    }

    @Nested
    class WorkedExamples {
        @Test
        void ndPfnInit_spec10_1_4K1GiBMapDev() {
            // [0x20_0000_0000 +1 GiB): 8 KiB + 64 x 262,142 = 16,785,280 B -> 9 x 2 MiB = 18 MiB
            NdPfn nd = initOk(geo(Granule.G4K), NdPfn.fsdax(0, 0, NS_START, SZ_1G, PfnMode.PMEM, SZ_2M));
            assertThat(8192 + 64L * ((SZ_1G - 8192) / 4096)).isEqualTo(16_785_280L);
            assertThat(nd.sb.dataoff()).isEqualTo(18_874_368L).isEqualTo(18 * SZ_1M);
            assertThat(nd.sb.npfns()).isEqualTo(257_536L);
            assertThat(nd.npfns).isEqualTo(257_536L);
            assertThat(nd.sb.endTrunc()).isZero();
            assertThat(nd.sb.align()).isEqualTo(SZ_2M);
            assertThat(nd.sb.mode()).isEqualTo(PfnMode.PMEM);
        }

        @Test
        void ndPfnInit_spec10_2_4K16GiBMapDev() {
            NdPfn nd = initOk(geo(Granule.G4K), NdPfn.fsdax(0, 0, NS_START, SZ_16G, PfnMode.PMEM, SZ_2M));
            assertThat(nd.sb.dataoff()).isEqualTo(258 * SZ_1M);
            assertThat(nd.sb.npfns()).isEqualTo(4_128_256L).isEqualTo((16_384L - 258) * 256);
        }

        @Test
        void ndPfnInit_spec10_3_4K1GiBMapMem() {
            NdPfn nd = initOk(geo(Granule.G4K), NdPfn.fsdax(0, 0, NS_START, SZ_1G, PfnMode.RAM, SZ_2M));
            assertThat(nd.sb.dataoff()).isEqualTo(SZ_2M);
            assertThat(nd.sb.npfns()).isEqualTo(261_632L);
        }

        @Test
        void ndPfnInit_spec10_5_64K() {
            Geometry g = geo(Granule.G64K);
            // 1 GiB, --align=64K raised to the 2 MiB compat alignment
            NdPfn a = initOk(g, NdPfn.fsdax(0, 0, NS_START, SZ_1G, PfnMode.PMEM, SZ_64K));
            assertThat(8192 + 64L * 16_383).isEqualTo(1_056_704L);
            assertThat(a.sb.dataoff()).isEqualTo(SZ_2M);
            assertThat(a.sb.npfns()).isEqualTo(16_352L);
            assertThat(a.sb.align()).as("the info block records nd_pfn->align, not the effective one")
                    .isEqualTo(SZ_64K);
            // 1 GiB, default 512 MiB
            NdPfn b = initOk(g, NdPfn.fsdax(0, 0, NS_START, SZ_1G, PfnMode.PMEM, SZ_512M));
            assertThat(b.sb.dataoff()).isEqualTo(SZ_512M);
            assertThat(b.sb.npfns()).isEqualTo(8_192L);
            // 16 GiB, 2 MiB
            NdPfn c = initOk(g, NdPfn.fsdax(0, 0, NS_START, SZ_16G, PfnMode.PMEM, SZ_64K));
            assertThat(8192 + 64L * 262_143).isEqualTo(16_785_344L);
            assertThat(c.sb.dataoff()).isEqualTo(18 * SZ_1M);
            assertThat(c.sb.npfns()).isEqualTo(261_856L);
        }

        @Test
        void ndPfnInit_spec10_6_16K() {
            Geometry g = geo(Granule.G16K);
            NdPfn def = initOk(g, NdPfn.fsdax(0, 0, NS_START, SZ_1G, PfnMode.PMEM, SZ_32M));
            assertThat(8192 + 64L * 65_535).isEqualTo(4_202_432L);
            assertThat(def.sb.dataoff()).isEqualTo(SZ_32M);
            NdPfn small = initOk(g, NdPfn.fsdax(0, 0, NS_START, SZ_1G, PfnMode.PMEM, SZ_16K));
            assertThat(small.sb.dataoff()).isEqualTo(6 * SZ_1M);
            assertThat(small.sb.npfns()).isEqualTo((SZ_1G - 6 * SZ_1M) / SZ_16K);
        }

        @Test
        void ndPfnInit_spec10_10_4K64MiB() {
            NdPfn nd = initOk(geo(Granule.G4K), NdPfn.fsdax(0, 0, NS_START, SZ_64M, PfnMode.PMEM, SZ_2M));
            assertThat(8192 + 64L * 16_382).isEqualTo(1_056_640L);
            assertThat(nd.sb.dataoff()).isEqualTo(SZ_2M);
            assertThat(nd.sb.npfns()).isEqualTo(15_872L);
        }
    }

    @Nested
    class RealKernelFigures {
        /** x86_64 6.1 oracle: 2 GiB NVDIMM at 0x1_0000_0000; 4K pages make the arithmetic arch-independent. */
        static final long ORACLE_START = 0x1_0000_0000L;

        @Test
        void ndPfnInit_oracle2GiBMapMem() {
            for (long align : new long[] {SZ_2M, SZ_4K}) {
                NdPfn nd = initOk(geo(Granule.G4K, KernelProfile.V6_1),
                        NdPfn.devdax(0, 0, ORACLE_START, SZ_2G, PfnMode.RAM, align));
                assertThat(nd.sb.dataoff()).isEqualTo(2_097_152L);
                assertThat(nd.sb.dataSize(nd.nsSize)).isEqualTo(2_145_386_496L);
            }
        }

        @Test
        void ndPfnInit_oracle2GiBMapDev() {
            // both align 2M and align 4K gave data_offset 34 MiB: the 2 MiB compat alignment wins
            for (long align : new long[] {SZ_2M, SZ_4K}) {
                for (boolean dax : new boolean[] {true, false}) {
                    NdPfn nd = dax ? NdPfn.devdax(0, 0, ORACLE_START, SZ_2G, PfnMode.PMEM, align)
                            : NdPfn.fsdax(0, 0, ORACLE_START, SZ_2G, PfnMode.PMEM, align);
                    initOk(geo(Granule.G4K, KernelProfile.V6_1), nd);
                    assertThat(nd.sb.dataoff()).isEqualTo(35_651_584L);
                    assertThat(nd.sb.dataSize(nd.nsSize)).isEqualTo(2_111_832_064L);
                    // memmap_init_zone_device initialised 515,584 pages (the data pages)
                    assertThat(nd.npfns).isEqualTo(515_584L);
                }
            }
        }

        @Test
        void ndPfnInit_publicFigure4GiBDevdax() {
            // pmem documentation: a 4294967296-byte devdax namespace, map=dev, align 2M, reports 4225761280
            Geometry g = geo(Granule.G4K);
            NdPfn dev = initOk(g, NdPfn.devdax(0, 0, NS_START, SZ_4G, PfnMode.PMEM, SZ_2M));
            assertThat(dev.sb.dataSize(dev.nsSize)).isEqualTo(4_225_761_280L);
            // map=mem keeps only the 2 MiB-aligned info block area: 4 GiB - 2 MiB
            NdPfn mem = initOk(g, NdPfn.devdax(0, 0, NS_START, SZ_4G, PfnMode.RAM, SZ_2M));
            assertThat(mem.sb.dataSize(mem.nsSize)).isEqualTo(4_292_870_144L).isEqualTo(SZ_4G - SZ_2M);
        }
    }

    static Stream<Arguments> layouts() {
        Stream.Builder<Arguments> b = Stream.builder();
        for (Granule gr : Granule.values()) {
            long pmd = gr.pageSize() * (gr.pageSize() / 8);
            for (long size : new long[] {SZ_64M, SZ_1G, SZ_1G + SZ_2M, 3 * SZ_1G + 5 * SZ_2M, SZ_16G}) {
                for (long align : new long[] {gr.pageSize(), pmd}) {
                    for (PfnMode m : new PfnMode[] {PfnMode.PMEM, PfnMode.RAM}) {
                        if (align < size) {
                            b.add(Arguments.of(gr, size, align, m));
                        }
                    }
                }
            }
        }
        return b.build();
    }

    @ParameterizedTest(name = "{0} size={1} align={2} {3}")
    @MethodSource("layouts")
    void ndPfnInit_matchesTheSpecFormulas(Granule gr, long size, long align, PfnMode mode) {
        Geometry g = geo(gr);
        SpecLayout want = SpecLayout.of(gr.pageSize(), NS_START, size, align, mode == PfnMode.PMEM);
        NdPfn nd = NdPfn.fsdax(0, 0, NS_START, size, mode, align);
        int rc = PfnDevs.ndPfnInit(g, nd, new Dmesg());
        if (want.dataoff() >= size) {
            assertThat(rc).isEqualTo(-6);
            return;
        }
        assertThat(rc).isZero();
        assertThat(nd.sb.dataoff()).isEqualTo(want.dataoff());
        assertThat(nd.sb.endTrunc()).isEqualTo(want.endTrunc());
        assertThat(nd.sb.npfns()).isEqualTo(want.npfns());
        assertThat(nd.sb.dataoff() % Math.max(align, SZ_2M)).isZero();
    }

    @Nested
    class Errors {
        void assertUnchanged(NdPfn before, NdPfn after) {
            assertThat(after.sameState(before)).as("nd_pfn changed: %s -> %s", before, after).isTrue();
        }

        @Test
        void ndPfnInit_misalignedStart_isEinvalNamingTheStart() {
            long start = NS_START + SZ_1M; // 1 MiB into a 2 MiB sub-section
            NdPfn nd = NdPfn.fsdax(0, 0, start, SZ_1G, PfnMode.PMEM, SZ_2M);
            NdPfn before = nd.copy();
            Dmesg log = new Dmesg();
            assertThat(PfnDevs.ndPfnInit(geo(Granule.G4K), nd, log)).isEqualTo(-22);
            assertThat(log.lastErrorFunction()).isEqualTo("nd_pfn_init");
            assertThat(log.lastError()).contains("0x2000100000").contains("0x200000");
            assertUnchanged(before, nd);
        }

        @Test
        void ndPfnInit_namespaceTooSmallForAlignment_isEnxio() {
            // 4 MiB with 512 MiB alignment on 64K: dataoff 512 MiB >= size
            NdPfn nd = NdPfn.fsdax(0, 0, NS_START, SZ_4M, PfnMode.PMEM, SZ_512M);
            NdPfn before = nd.copy();
            Dmesg log = new Dmesg();
            assertThat(PfnDevs.ndPfnInit(geo(Granule.G64K), nd, log)).isEqualTo(-6);
            assertThat(log.lastError()).contains("unable to satisfy requested alignment").contains("0x20000000");
            assertUnchanged(before, nd);
        }

        @Test
        void ndPfnInit_readOnlyRegion_isEnxio() {
            NdPfn nd = NdPfn.fsdax(0, 0, NS_START, SZ_1G, PfnMode.PMEM, SZ_2M);
            nd.readOnly = true;
            NdPfn before = nd.copy();
            Dmesg log = new Dmesg();
            assertThat(PfnDevs.ndPfnInit(geo(Granule.G4K), nd, log)).isEqualTo(-6);
            assertThat(log.lastError()).contains("region0 is read-only");
            assertUnchanged(before, nd);
        }

        @ParameterizedTest
        @EnumSource(Granule.class)
        void ndPfnInit_unsupportedAlign_isEinval(Granule gr) {
            // 1 GiB (HPAGE_PUD_SIZE on x86_64) is never supported on arm64; 8 KiB is no page size
            for (long align : new long[] {SZ_1G, 8192, 0}) {
                NdPfn nd = NdPfn.fsdax(0, 0, NS_START, SZ_16G, PfnMode.PMEM, align);
                NdPfn before = nd.copy();
                Dmesg log = new Dmesg();
                assertThat(PfnDevs.ndPfnInit(geo(gr), nd, log)).isEqualTo(-22);
                assertThat(log.lastError()).contains("align " + align);
                assertUnchanged(before, nd);
            }
        }

        @Test
        void ndPfnInit_modeNone_isEnxio() {
            NdPfn nd = NdPfn.fsdax(0, 0, NS_START, SZ_1G, PfnMode.NONE, SZ_2M);
            NdPfn before = nd.copy();
            Dmesg log = new Dmesg();
            assertThat(PfnDevs.ndPfnInit(geo(Granule.G4K), nd, log)).isEqualTo(-6);
            assertThat(log.lastError()).contains("mode none");
            assertUnchanged(before, nd);
        }
    }

    @Nested
    class Profiles {
        /** 64K, 600 MiB with 512 MiB alignment: end_trunc 88 MiB, dataoff 512 MiB = size - end_trunc. */
        NdPfn zeroSized() {
            return NdPfn.devdax(0, 0, NS_START, 600 * SZ_1M, PfnMode.PMEM, SZ_512M);
        }

        @Test
        void ndPfnInit_before66_createsAZeroSizedDevice() {
            for (KernelProfile p : new KernelProfile[] {KernelProfile.V5_9, KernelProfile.V6_1}) {
                NdPfn nd = initOk(geo(Granule.G64K, p), zeroSized());
                assertThat(nd.sb.endTrunc()).isEqualTo(88 * SZ_1M);
                assertThat(nd.sb.dataoff()).isEqualTo(SZ_512M);
                assertThat(nd.sb.npfns()).isZero();
            }
        }

        @Test
        void ndPfnInit_since66_refusesAZeroSizedDevice() {
            for (KernelProfile p : new KernelProfile[] {KernelProfile.V6_12, KernelProfile.MAINLINE}) {
                NdPfn nd = zeroSized();
                Dmesg log = new Dmesg();
                assertThat(PfnDevs.ndPfnInit(geo(Granule.G64K, p), nd, log)).isEqualTo(-6);
                assertThat(log.lastError()).contains("end_trunc 0x5800000");
                assertThat(nd.sb).isNull();
            }
        }
    }
}
