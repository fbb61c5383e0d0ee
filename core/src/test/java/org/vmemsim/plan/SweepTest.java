package org.vmemsim.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.vmemsim.arch.Arch;
import org.vmemsim.arch.Granule;
import org.vmemsim.arch.KernelProfile;
import org.vmemsim.kernel.MachineSpec;
import org.vmemsim.util.Sz;

/**
 * The sweep grid: size ranges, the order points are numbered in, the RAM rule, the combinations
 * left out, and results that do not depend on how many threads ran them.
 */
class SweepTest {
    private static final long G = Sz.SZ_1G;
    private static final long T = 1024 * G;

    private static Sweep.Grid grid(List<Long> sizes, List<Granule> granules, List<String> maps, List<KernelProfile> kernels) {
        return new Sweep.Grid(sizes, granules, maps, kernels, List.of(false), Arrays.asList((Integer) null),
                List.of("devdax"), 0, 0);
    }

    @Nested
    class ParseSizes {
        @Test
        void parseSizes_geometricRange_doublesFromFirstToLast() {
            // 1G, 2G, 4G, ..., 64T: 2^30 .. 2^46, 17 sizes
            List<Long> s = Sweep.parseSizes("1G..64T");
            assertThat(s).hasSize(17);
            for (int i = 0; i < 17; i++) {
                assertThat(s.get(i)).isEqualTo(1L << (30 + i));
            }
        }

        @Test
        void parseSizes_factorAndCommaList_keepGivenOrder() {
            assertThat(Sweep.parseSizes("1G..1Tx4")).containsExactly(G, 4 * G, 16 * G, 64 * G, 256 * G, T);
            assertThat(Sweep.parseSizes("512M, 1G..4G")).containsExactly(G / 2, G, 2 * G, 4 * G);
            // the end is included only when the steps reach it
            assertThat(Sweep.parseSizes("3G..20G")).containsExactly(3 * G, 6 * G, 12 * G);
        }

        @Test
        void parseSizes_badInput_namesIt() {
            assertThatThrownBy(() -> Sweep.parseSizes("8G..1G")).hasMessageContaining("backwards");
            assertThatThrownBy(() -> Sweep.parseSizes("0")).hasMessageContaining("positive");
            assertThatThrownBy(() -> Sweep.parseSizes("1G..8Gx1")).hasMessageContaining("at least 2");
            assertThatThrownBy(() -> Sweep.parseSizes("1G..8Gxz")).hasMessageContaining("whole number");
        }
    }

    @Test
    void defaultRamBytes_isMax4GOrSixteenthRoundedUpToPowerOfTwo() {
        assertThat(Plan.defaultRamBytes(G)).isEqualTo(4 * G);
        assertThat(Plan.defaultRamBytes(64 * G)).isEqualTo(4 * G);
        assertThat(Plan.defaultRamBytes(128 * G)).isEqualTo(8 * G);
        assertThat(Plan.defaultRamBytes(100 * G)).isEqualTo(8 * G); // 6.25 GiB -> 8 GiB
        assertThat(Plan.defaultRamBytes(64 * T)).isEqualTo(4 * T);
    }

    @Nested
    class Expand {
        @Test
        void expand_order_kernelThenGranuleThenMapThenSize() {
            Sweep.Grid g = grid(List.of(G, 2 * G), List.of(Granule.G4K, Granule.G64K), List.of("dev", "mem"),
                    List.of(KernelProfile.V6_1, KernelProfile.MAINLINE));
            List<Sweep.Point> pts = Sweep.expand(g).points();
            assertThat(pts).hasSize(2 * 2 * 2 * 2);
            List<String> seen = new ArrayList<>();
            for (Sweep.Point p : pts) {
                seen.add(p.kernel().label + " " + p.granule().label() + " " + p.map() + " " + Sz.human(p.size()));
            }
            assertThat(seen).containsExactly(
                    "6.1 4K dev 1G", "6.1 4K dev 2G", "6.1 4K mem 1G", "6.1 4K mem 2G",
                    "6.1 64K dev 1G", "6.1 64K dev 2G", "6.1 64K mem 1G", "6.1 64K mem 2G",
                    "mainline 4K dev 1G", "mainline 4K dev 2G", "mainline 4K mem 1G", "mainline 4K mem 2G",
                    "mainline 64K dev 1G", "mainline 64K dev 2G", "mainline 64K mem 1G", "mainline 64K mem 2G");
            for (int i = 0; i < pts.size(); i++) {
                assertThat(pts.get(i).index()).isEqualTo(i);
            }
            // series names carry the dimensions that vary besides granule and map
            assertThat(pts.get(0).series()).isEqualTo("4K map=dev kernel=6.1");
        }

        @Test
        void expand_ramRule_perPointUnlessFixed() {
            Sweep.Grid g = grid(List.of(G, 64 * T), List.of(Granule.G64K), List.of("dev"), List.of(KernelProfile.MAINLINE));
            List<Sweep.Point> pts = Sweep.expand(g).points();
            assertThat(pts.get(0).ramBytes()).isEqualTo(4 * G);
            assertThat(pts.get(1).ramBytes()).isEqualTo(4 * T);
            Sweep.Grid fixed = new Sweep.Grid(g.sizes(), g.granules(), g.maps(), g.kernels(), g.rodataFull(), g.vaBits(),
                    g.modes(), 16 * G, 0);
            assertThat(Sweep.expand(fixed).points()).allMatch(p -> p.ramBytes() == 16 * G);
        }

        @Test
        void expand_invalidVaSize_leftOutWithReason() {
            // 4K pages offer 39 and 48 bits without LPA2 (5.8); 52 is not a 4K VA size there
            Sweep.Grid g = new Sweep.Grid(List.of(G), List.of(Granule.G4K), List.of("dev"), List.of(KernelProfile.V5_8),
                    List.of(false), List.of(48, 52), List.of("devdax"), 0, 0);
            Sweep.Expansion ex = Sweep.expand(g);
            assertThat(ex.points()).hasSize(1);
            assertThat(ex.points().get(0).vaBits()).isEqualTo(48);
            assertThat(ex.skipped()).singleElement().asString().contains("va=52").contains("VA size 52");
        }

        @Test
        void linearPteTables_pageGranularLinearMap_boundsThePoint() {
            // rodata_full at 4K: one PTE table per 2 MiB of device and of RAM. 2 TiB + 128 GiB RAM
            // = (2^41 + 2^37) / 2^21 = 1114112 tables, over the 2^19 default: left out.
            Sweep.Grid g = new Sweep.Grid(List.of(G, 2 * T), List.of(Granule.G4K), List.of("dev"),
                    List.of(KernelProfile.MAINLINE), List.of(true), Arrays.asList((Integer) null), List.of("devdax"), 0, 0);
            Sweep.Expansion ex = Sweep.expand(g);
            assertThat(ex.points()).hasSize(1);
            assertThat(Sweep.linearPteTables(ex.points().get(0))).isEqualTo((G + 4 * G) / (2L << 20));
            assertThat(ex.skipped()).singleElement().asString().contains("1114112 PTE tables");
            // Debian 6.12 (KFENCE) maps hot-added memory page by page: the device counts, boot RAM does not
            Sweep.Point p = new Sweep.Point(0, "s", KernelProfile.V6_12, Granule.G16K, null, false, "dev", "devdax",
                    T, 64 * G);
            assertThat(Sweep.linearPteTables(p)).isEqualTo(T / (32L << 20)); // 16K PMD = 32 MiB
        }
    }

    @Nested
    class Archs {
        private Sweep.Grid archGrid(List<String> archs, List<Granule> granules, List<KernelProfile> kernels) {
            List<SweepArch> a = new ArrayList<>();
            archs.forEach(s -> a.add(SweepArch.parse(s)));
            return new Sweep.Grid(a, List.of(G, 2 * G), granules, List.of("mem"), kernels, List.of(false),
                    Arrays.asList((Integer) null), List.of("devdax"), 0, 0);
        }

        @Test
        void expand_archOutermost_eachArchWithItsOwnGranules() {
            Sweep.Expansion ex = Sweep.expand(archGrid(List.of("x86_64", "ppc64", "arm64"), null,
                    List.of(KernelProfile.V6_1, KernelProfile.MAINLINE)));
            List<String> seen = new ArrayList<>();
            for (Sweep.Point p : ex.points()) {
                seen.add(p.arch().label + " " + p.kernel().label + " " + p.granule().label() + " " + Sz.human(p.size()));
            }
            assertThat(seen).containsExactly(
                    "x86_64 6.1 4K 1G", "x86_64 6.1 4K 2G", "x86_64 mainline 4K 1G", "x86_64 mainline 4K 2G",
                    "ppc64 6.1 64K 1G", "ppc64 6.1 64K 2G", "ppc64 mainline 64K 1G", "ppc64 mainline 64K 2G",
                    "arm64 6.1 4K 1G", "arm64 6.1 4K 2G", "arm64 6.1 16K 1G", "arm64 6.1 16K 2G",
                    "arm64 6.1 64K 1G", "arm64 6.1 64K 2G", "arm64 mainline 4K 1G", "arm64 mainline 4K 2G",
                    "arm64 mainline 16K 1G", "arm64 mainline 16K 2G", "arm64 mainline 64K 1G", "arm64 mainline 64K 2G");
            for (int i = 0; i < ex.points().size(); i++) {
                assertThat(ex.points().get(i).index()).isEqualTo(i);
            }
            assertThat(ex.skipped()).isEmpty();
            // several arches: the series leads with the arch
            assertThat(ex.points().get(0).series()).isEqualTo("x86_64 4K map=mem kernel=6.1");
        }

        @Test
        void expand_givenGranuleTheArchLacks_leftOutWithTheArchsReason() {
            Sweep.Expansion ex = Sweep.expand(archGrid(List.of("arm64", "x86_64", "ppc64"),
                    List.of(Granule.G4K, Granule.G64K), List.of(KernelProfile.MAINLINE)));
            assertThat(ex.points()).extracting(p -> p.arch().label + " " + p.granule().label()).containsExactly(
                    "arm64 4K", "arm64 4K", "arm64 64K", "arm64 64K", "x86_64 4K", "x86_64 4K", "ppc64 64K", "ppc64 64K");
            assertThat(ex.skipped()).hasSize(2);
            assertThat(ex.skipped().get(0)).startsWith("x86_64 64K map=mem: granule 64K").contains("x86_64");
            assertThat(ex.skipped().get(1)).startsWith("ppc64 4K map=mem: granule 4K").contains("ppc64");
        }

        @Test
        void expand_ia64OnMainline_leftOutWithTheRemovalReason() {
            Sweep.Expansion ex = Sweep.expand(archGrid(List.of("ia64", "arm64"), null, List.of(KernelProfile.MAINLINE)));
            assertThat(ex.points()).allMatch(p -> p.arch() == Arch.ARM64).hasSize(3 * 2);
            // ia64 was removed in v6.7: both of its page sizes are left out, each with that reason
            assertThat(ex.skipped()).hasSize(2);
            assertThat(ex.skipped().get(0)).startsWith("ia64 16K map=mem: kernel mainline has no ia64").contains("v6.7");
            assertThat(ex.skipped().get(1)).startsWith("ia64 64K map=mem: kernel mainline has no ia64");
            // 6.1 still has it
            Sweep.Expansion ok = Sweep.expand(archGrid(List.of("ia64"), null, List.of(KernelProfile.V6_1)));
            assertThat(ok.skipped()).isEmpty();
            assertThat(ok.points()).extracting(p -> p.granule().label()).containsExactly("16K", "16K", "64K", "64K");
        }

        @Test
        void expand_archVaSuffix_replacesTheGridsVaSizesForThatArchOnly() {
            Sweep.Grid g = new Sweep.Grid(List.of(SweepArch.parse("arm64"), SweepArch.parse("riscv64:48")),
                    List.of(G), null, List.of("dev"), List.of(KernelProfile.MAINLINE), List.of(false), List.of(48, 52),
                    List.of("devdax"), 0, 0);
            Sweep.Expansion ex = Sweep.expand(g);
            List<String> seen = new ArrayList<>();
            for (Sweep.Point p : ex.points()) {
                seen.add(p.series());
            }
            // arm64: 4K 48 and 52 (LPA2 on mainline), 16K 48 and 52, 64K 48 and 52; riscv64: Sv48 only
            assertThat(seen).containsExactly("arm64 4K map=dev va=48", "arm64 4K map=dev va=52",
                    "arm64 16K map=dev va=48", "arm64 16K map=dev va=52", "arm64 64K map=dev va=48",
                    "arm64 64K map=dev va=52", "riscv64:48 4K map=dev va=48");
            assertThat(ex.skipped()).isEmpty();
            assertThatThrownBy(() -> SweepArch.parse("riscv64:x")).hasMessageContaining("not a number of bits");
            assertThatThrownBy(() -> SweepArch.parse("sparc")).hasMessageContaining("unknown arch 'sparc'");
        }

        @Test
        void config_ramAtTheArchsDramBase_devicePlacedByPlanMachine() {
            Sweep.Expansion ex = Sweep.expand(archGrid(List.of("arm64", "x86_64", "ppc64", "riscv64"),
                    List.of(Granule.G4K, Granule.G64K), List.of(KernelProfile.MAINLINE)));
            for (Sweep.Point p : ex.points()) {
                Plan.Config c = p.config();
                MachineSpec spec = c.spec();
                assertThat(spec.arch).isEqualTo(p.arch());
                // QEMU virt puts DRAM at 1 GiB on arm64 and 2 GiB on riscv64; the PC and pSeries at 0
                long base = switch (p.arch()) {
                    case ARM64 -> 1L << 30;
                    case RISCV64 -> 2L << 30;
                    default -> 0;
                };
                assertThat(spec.ram).singleElement().satisfies(r -> {
                    assertThat(r.start()).isEqualTo(base);
                    assertThat(r.size()).isEqualTo(4 * G);
                });
                Plan.place(spec, c.devices());
                // 4 GiB of RAM ends below 128 GiB: the device goes to 128 GiB on every arch
                assertThat(spec.pmem).singleElement().satisfies(d -> assertThat(d.start()).isEqualTo(128 * G));
                spec.validate();
            }
        }
    }

    @Test
    void run_resultsInPointOrder_sameForOneOrTwoThreads() throws Exception {
        Sweep.Grid g = grid(Sweep.parseSizes("1G..8G"), List.of(Granule.values()), List.of("dev", "mem"),
                List.of(KernelProfile.MAINLINE));
        List<Sweep.Point> pts = Sweep.expand(g).points();
        int[] calls = new int[1];
        List<Sweep.Result> one = Sweep.run(pts, 1, (done, total) -> calls[0]++);
        List<Sweep.Result> two = Sweep.run(pts, 2, null);
        assertThat(calls[0]).isEqualTo(24);
        assertThat(one).hasSize(24);
        for (int i = 0; i < one.size(); i++) {
            assertThat(one.get(i).point()).isEqualTo(pts.get(i));
            Map<String, Object> a = Sweep.row(one.get(i));
            Map<String, Object> b = Sweep.row(two.get(i));
            assertThat(a).isEqualTo(b);
            assertThat(a.get("result")).isEqualTo("ok");
        }
    }
}
