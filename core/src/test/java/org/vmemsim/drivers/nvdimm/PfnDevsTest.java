package org.vmemsim.drivers.nvdimm;

import static org.assertj.core.api.Assertions.assertThat;
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
import static org.vmemsim.util.Sz.SZ_8K;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.vmemsim.arch.Geometry;
import org.vmemsim.arch.Granule;
import org.vmemsim.arch.KernelProfile;
import org.vmemsim.arch.arm64.Arm64Geometry;
import org.vmemsim.mm.vmemmap.VmemAltmap;
import org.vmemsim.util.Dmesg;

/** Constants, alignments and the sysfs align rule of {@code drivers/nvdimm/pfn_devs.c}. */
class PfnDevsTest {
    static final long NS_START = 0x20_0000_0000L; // 128 GiB, spec 10.0

    static Geometry geo(Granule g, KernelProfile p) {
        return Arm64Geometry.of(g, Arm64Geometry.defaultVaBits(g), p);
    }

    static Geometry geo(Granule g) {
        return geo(g, KernelProfile.V5_9);
    }

    @Nested
    class NdInfoBlockReserve {
        @Test
        void ndInfoBlockReserve_isEightKiBRoundedUpToAPage() {
            // 8 KiB label + info block area, rounded up to PAGE_SIZE (spec 8)
            assertThat(PfnDevs.ndInfoBlockReserve(geo(Granule.G4K))).isEqualTo(SZ_8K);
            assertThat(PfnDevs.ndInfoBlockReserve(geo(Granule.G16K))).isEqualTo(SZ_16K);
            assertThat(PfnDevs.ndInfoBlockReserve(geo(Granule.G64K))).isEqualTo(SZ_64K);
        }

        @ParameterizedTest
        @EnumSource(Granule.class)
        void ndInfoBlockReserve_isAtLeastOnePageAndCoversEightKiB(Granule gr) {
            long r = PfnDevs.ndInfoBlockReserve(geo(gr));
            assertThat(r).isEqualTo(Math.max(SZ_8K, gr.pageSize()));
            assertThat(r % gr.pageSize()).isZero();
        }
    }

    @Nested
    class NdPfnDefaultAlignment {
        @Test
        void ndPfnDefaultAlignment_isHpagePmdSize() {
            // HPAGE_PMD_SIZE with THP: 2M / 32M / 512M
            assertThat(PfnDevs.ndPfnDefaultAlignment(geo(Granule.G4K))).isEqualTo(SZ_2M);
            assertThat(PfnDevs.ndPfnDefaultAlignment(geo(Granule.G16K))).isEqualTo(SZ_32M);
            assertThat(PfnDevs.ndPfnDefaultAlignment(geo(Granule.G64K))).isEqualTo(SZ_512M);
        }

        @ParameterizedTest
        @EnumSource(Granule.class)
        void ndPfnDevinit_startsInModeNoneWithTheDefault(Granule gr) {
            Geometry g = geo(gr);
            NdPfn nd = PfnDevs.ndPfnDevinit(g, "pfn0.0", false, "namespace0.0", NS_START, SZ_1G);
            assertThat(nd.mode).isEqualTo(PfnMode.NONE);
            // PMD_SIZE = PAGE_SIZE * (PAGE_SIZE / 8)
            assertThat(nd.align).isEqualTo(gr.pageSize() * (gr.pageSize() / 8));
            assertThat(nd.sb).isNull();
        }
    }

    @Nested
    class NdPfnSupportedAlignments {
        @Test
        void ndPfnSupportedAlignments_arm64HasNoPudSize() {
            // arm64 does not select HAVE_ARCH_TRANSPARENT_HUGEPAGE_PUD: no 1 GiB entry on 4K
            assertThat(PfnDevs.ndPfnSupportedAlignments(geo(Granule.G4K))).containsExactly(SZ_4K, SZ_2M);
            assertThat(PfnDevs.ndPfnSupportedAlignments(geo(Granule.G16K))).containsExactly(SZ_16K, SZ_32M);
            assertThat(PfnDevs.ndPfnSupportedAlignments(geo(Granule.G64K))).containsExactly(SZ_64K, SZ_512M);
        }

        @ParameterizedTest
        @EnumSource(Granule.class)
        void ndSupportedAlignment_rejectsZeroAndOneGiB(Granule gr) {
            Geometry g = geo(gr);
            assertThat(PfnDevs.ndSupportedAlignment(g, 0)).isFalse();
            assertThat(PfnDevs.ndSupportedAlignment(g, SZ_1G)).isFalse();
            assertThat(PfnDevs.ndSupportedAlignment(g, gr.pageSize())).isTrue();
        }
    }

    @Nested
    class MemremapCompatAlign {
        @ParameterizedTest
        @EnumSource(Granule.class)
        void memremapCompatAlign_isSubsectionSize(Granule gr) {
            assertThat(PfnDevs.memremapCompatAlign(geo(gr))).isEqualTo(SZ_2M);
        }
    }

    @Nested
    class AlignStore {
        @Test
        void alignStore_acceptsPageSize() {
            Geometry g = geo(Granule.G64K);
            NdPfn nd = NdPfn.fsdax(0, 0, NS_START, SZ_1G, PfnMode.PMEM, SZ_512M);
            assertThat(PfnDevs.alignStore(g, nd, SZ_64K, new Dmesg())).isZero();
            assertThat(nd.align).isEqualTo(SZ_64K);
        }

        @Test
        void alignStore_rejectsTwoMiBOn64K() {
            // 2 MiB is neither PAGE_SIZE nor HPAGE_PMD_SIZE with 64K pages: nd_size_select_store -> -EINVAL
            Geometry g = geo(Granule.G64K);
            Dmesg log = new Dmesg();
            NdPfn nd = NdPfn.fsdax(0, 0, NS_START, SZ_1G, PfnMode.PMEM, SZ_512M);
            assertThat(PfnDevs.alignStore(g, nd, SZ_2M, log)).isEqualTo(-22);
            assertThat(nd.align).isEqualTo(SZ_512M);
            assertThat(log.lastErrorFunction()).isEqualTo("align_store");
            assertThat(log.lastError()).contains("2097152").contains("65536 536870912");
        }

        @Test
        void alignStore_rejectsOneGiBOn4K() {
            Dmesg log = new Dmesg();
            NdPfn nd = NdPfn.devdax(0, 0, NS_START, SZ_16G, PfnMode.PMEM, SZ_2M);
            assertThat(PfnDevs.alignStore(geo(Granule.G4K), nd, SZ_1G, log)).isEqualTo(-22);
            assertThat(nd.align).isEqualTo(SZ_2M);
        }
    }

    @Nested
    class NdPfnSbAttributes {
        @Test
        void sizeAndResourceShow_followDataoff() {
            // spec 10.1: dataoff 18 MiB of a 1 GiB namespace
            Geometry g = geo(Granule.G4K);
            NdPfn nd = NdPfn.fsdax(0, 0, NS_START, SZ_1G, PfnMode.PMEM, SZ_2M);
            assertThat(PfnDevs.ndPfnInit(g, nd, new Dmesg())).isZero();
            assertThat(nd.sb.dataSize(nd.nsSize)).isEqualTo(SZ_1G - 18 * SZ_1M);
            assertThat(nd.sb.dataStart(nd.nsStart)).isEqualTo(NS_START + 18 * SZ_1M);
            assertThat(nd.sb.signature()).isEqualTo("NVDIMM_PFN_INFO");
            assertThat(nd.sb.versionMajor()).isEqualTo(1);
            assertThat(nd.sb.versionMinor()).isEqualTo(4);
            assertThat(nd.sb.pageStructSize()).isEqualTo(64);
            assertThat(nd.sb.pageSize()).isEqualTo(SZ_4K);
            assertThat(nd.sb.startPad()).isZero();
        }

        @Test
        void devdax_writesTheDaxSignature() {
            NdPfn nd = NdPfn.devdax(0, 0, NS_START, SZ_64M, PfnMode.PMEM, SZ_2M);
            assertThat(PfnDevs.ndPfnInit(geo(Granule.G4K), nd, new Dmesg())).isZero();
            assertThat(nd.sb.signature()).isEqualTo("NVDIMM_DAX_INFO");
            assertThat(nd.uuid).isEqualTo(NdPfn.devdax(0, 0, NS_START, SZ_64M, PfnMode.PMEM, SZ_2M).uuid);
        }

        @Test
        void altmapOffset_isDataoffInPages() {
            Geometry g = geo(Granule.G4K);
            NdPfn nd = NdPfn.fsdax(0, 0, NS_START, SZ_16G, PfnMode.PMEM, SZ_2M);
            PfnSetup out = new PfnSetup();
            assertThat(PfnDevs.nvdimmSetupPfn(g, nd, out, new Dmesg())).isZero();
            assertThat(VmemAltmap.vmemAltmapOffset(out.altmap)).isEqualTo(nd.sb.dataoff() / SZ_4K);
        }
    }
}
