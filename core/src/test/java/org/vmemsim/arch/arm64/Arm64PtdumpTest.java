package org.vmemsim.arch.arm64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.vmemsim.arch.Geometry;
import org.vmemsim.arch.Granule;
import org.vmemsim.arch.KernelProfile;
import org.vmemsim.arch.arm64.Arm64Ptdump.Leaf;
import org.vmemsim.arch.arm64.Arm64Ptdump.Marker;

/**
 * arch/arm64/mm/ptdump.c + mm/ptdump.c. Expected lines are written out by hand from the kernel's
 * formats: {@code "0x%016lx-0x%016lx   "}, {@code "%9lu%c %s"}, then the pte_bits[] columns.
 */
class Arm64PtdumpTest {
    static final long SZ_64K = 1L << 16;
    static final long SZ_2M = 1L << 21;
    static final long SZ_512M = 1L << 29;
    static final long SZ_1G = 1L << 30;
    static final long PA = 0x8000_0000L;

    /** 4K/48 mainline: VMEMMAP_END = -1G, VMEMMAP_SIZE = 2^47 / 4K * 64 = 2T, so START = -1G - 2T. */
    static final long VMEMMAP_4K48 = 0xfffffdffc0000000L;
    /** 64K/48 mainline: VMEMMAP_SIZE = 2^47 / 64K * 64 = 128G, START = -1G - 128G. */
    static final long VMEMMAP_64K48 = 0xffffffdfc0000000L;

    /**
     * PROT_SECT_NORMAL columns: " "+" " valid, " "+"   " no USR, " RW", " NX", " SHD", " AF",
     * " "+"  " no NG, " "+"   " no CON, " BLK" (table bit clear), " UXN", " "+"  " no GP, " MEM/NORMAL".
     */
    static final String SECT = "  " + "    " + " RW" + " NX" + " SHD" + " AF" + "   " + "    " + " BLK" + " UXN"
            + "   " + " MEM/NORMAL";
    /** As SECT with AP[2] set: "ro" instead of "RW". */
    static final String SECT_RO = SECT.replace(" RW ", " ro ");
    /** PAGE_KERNEL on a PTE: the table bit is set, so its column prints "   " instead of "BLK". */
    static final String PAGE = "  " + "    " + " RW" + " NX" + " SHD" + " AF" + "   " + "    " + "    " + " UXN"
            + "   " + " MEM/NORMAL";

    static Geometry geo(Granule gr, int va, KernelProfile p) {
        return Arm64Geometry.of(gr, va, p);
    }

    static Arm64Pte fmt(Geometry g) {
        return new Arm64Pte(g.pageShift, g.maxPhysmemBits, g.profile);
    }

    /** {@code n} PMD blocks of 2M from {@code va}, one leaf per descriptor. */
    static List<Leaf> pmdBlocks(Geometry g, Arm64Pte f, long va, int n, String backing) {
        List<Leaf> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new Leaf(va + i * SZ_2M, SZ_2M, g.pmdLevel(), f.mkSectNormal(PA + i * SZ_2M), backing));
        }
        return out;
    }

    static List<String> dump(Geometry g, List<Leaf> leaves) {
        return Arm64Ptdump.format(g, fmt(g), leaves, false);
    }

    @Nested
    class NotePage {
        @Test
        void notePage_mainline4K48_32VmemmapBlocksMergeIntoOne64MLine() {
            // pgd 512G | pud 1G | pmd 2M. The vmemmap start is PUD entry 511 of the pgd entry at
            // 0xfffffd8000000000; its PMD table holds 32 blocks then 480 empty entries.
            Geometry g = geo(Granule.G4K, 48, KernelProfile.MAINLINE);
            List<String> out = dump(g, pmdBlocks(g, fmt(g), VMEMMAP_4K48, 32, null));
            assertThat(out).containsExactly(
                    "---[ Linear Mapping start ]---",
                    "0xffff000000000000-0xffff800000000000         128T PGD",
                    "---[ Linear Mapping end ]---",
                    "---[ Modules start ]---",
                    // the next note after MODULES_END is a whole pgd entry later
                    "0xffff800000000000-0xffff808000000000         512G PGD",
                    "---[ Modules end ]---",
                    "---[ vmalloc() area ]---",
                    "0xffff808000000000-0xfffffd8000000000         125T PGD",
                    "0xfffffd8000000000-0xfffffdffc0000000         511G PUD",
                    "---[ vmalloc() end ]---",
                    "---[ vmemmap start ]---",
                    "0xfffffdffc0000000-0xfffffdffc4000000          64M PMD" + SECT,
                    "0xfffffdffc4000000-0xfffffe0000000000         960M PMD",
                    // no note reaches VMEMMAP_END (-1G): the last pgd entry is one hole, closed at 0
                    "0xfffffe0000000000-0x0000000000000000           2T PGD");
        }

        @Test
        void notePage_noLeaves_markersPrintedWhenANoteReachesThem() {
            // Only pgd-level holes: "vmalloc() end" and "vmemmap start" appear after the range
            // that passes them, at the first pgd entry above them (0xfffffe0000000000).
            Geometry g = geo(Granule.G4K, 48, KernelProfile.MAINLINE);
            assertThat(dump(g, List.of())).containsExactly(
                    "---[ Linear Mapping start ]---",
                    "0xffff000000000000-0xffff800000000000         128T PGD",
                    "---[ Linear Mapping end ]---",
                    "---[ Modules start ]---",
                    "0xffff800000000000-0xffff808000000000         512G PGD",
                    "---[ Modules end ]---",
                    "---[ vmalloc() area ]---",
                    "0xffff808000000000-0xfffffe0000000000      128512G PGD",
                    "---[ vmalloc() end ]---",
                    "---[ vmemmap start ]---",
                    "0xfffffe0000000000-0x0000000000000000           2T PGD");
        }

        @Test
        void notePage_attributeChangeBreaksTheLine() {
            // block 16 of 32 read-only: 16 x 2M RW, 1 x 2M ro, 15 x 2M RW
            Geometry g = geo(Granule.G4K, 48, KernelProfile.MAINLINE);
            List<Leaf> leaves = new ArrayList<>(pmdBlocks(g, fmt(g), VMEMMAP_4K48, 32, null));
            Leaf l = leaves.get(16);
            leaves.set(16, new Leaf(l.va(), l.size(), l.level(), l.desc() | Arm64Pte.PTE_RDONLY, null));
            List<String> out = dump(g, leaves);
            int at = out.indexOf("---[ vmemmap start ]---");
            assertThat(out.subList(at + 1, at + 4)).containsExactly(
                    "0xfffffdffc0000000-0xfffffdffc2000000          32M PMD" + SECT,
                    "0xfffffdffc2000000-0xfffffdffc2200000           2M PMD" + SECT_RO,
                    "0xfffffdffc2200000-0xfffffdffc4000000          30M PMD" + SECT);
        }

        @Test
        void notePage_bitsPtdumpDoesNotShowDoNotBreakTheLine() {
            // PROT_SECT_NORMAL and the PAGE_KERNEL-derived block differ only in DBM and the software
            // dirty bit (and the output address), none of which is a ptdump column.
            Geometry g = geo(Granule.G4K, 48, KernelProfile.MAINLINE);
            Arm64Pte f = fmt(g);
            List<Leaf> leaves = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                long pa = PA + i * SZ_2M;
                long d = i % 2 == 0 ? f.mkSectNormal(pa) : f.mkBlockKernel(pa);
                leaves.add(new Leaf(VMEMMAP_4K48 + i * SZ_2M, SZ_2M, g.pmdLevel(), d, null));
            }
            assertThat(dump(g, leaves)).contains("0xfffffdffc0000000-0xfffffdffc4000000          64M PMD" + SECT)
                    .filteredOn(s -> s.contains("BLK")).hasSize(1);
        }

        @Test
        void notePage_markerReachedBreaksTheLineEvenWithEqualAttributes() {
            // 8 blocks from VMALLOC_END = VMEMMAP_START - 8M: 4 in PUD entry 510, 4 in entry 511.
            Geometry g = geo(Granule.G4K, 48, KernelProfile.MAINLINE);
            List<String> out = dump(g, pmdBlocks(g, fmt(g), VMEMMAP_4K48 - 4 * SZ_2M, 8, null));
            int at = out.indexOf("0xffff808000000000-0xfffffd8000000000         125T PGD");
            assertThat(out.subList(at + 1, out.size())).containsExactly(
                    "0xfffffd8000000000-0xfffffdff80000000         510G PUD",
                    "0xfffffdff80000000-0xfffffdffbf800000        1016M PMD",
                    "---[ vmalloc() end ]---",
                    "0xfffffdffbf800000-0xfffffdffc0000000           8M PMD" + SECT,
                    "---[ vmemmap start ]---",
                    "0xfffffdffc0000000-0xfffffdffc0800000           8M PMD" + SECT,
                    "0xfffffdffc0800000-0xfffffe0000000000        1016M PMD",
                    "0xfffffe0000000000-0x0000000000000000           2T PGD");
        }

        @Test
        void notePage_sizeColumnUsesTheLargestExactUnit() {
            // a run of 384 4K PTEs = 1.5M prints in K; the 128 empty PTEs left = 512K; then
            // 511 empty PMD entries = 1022M
            Geometry g = geo(Granule.G4K, 48, KernelProfile.MAINLINE);
            Leaf run = new Leaf(VMEMMAP_4K48, 384 * 4096L, g.leafLevel(), fmt(g).mkPageKernel(PA), null);
            List<String> out = dump(g, List.of(run));
            int at = out.indexOf("---[ vmemmap start ]---");
            assertThat(out.subList(at + 1, at + 4)).containsExactly(
                    "0xfffffdffc0000000-0xfffffdffc0180000        1536K PTE" + PAGE,
                    "0xfffffdffc0180000-0xfffffdffc0200000         512K PTE",
                    "0xfffffdffc0200000-0xfffffe0000000000        1022M PMD");
        }

        @Test
        void notePage_mainline64K48_vmemmapPtes() {
            // 3 levels: pgd 4T (64 entries) | pmd 512M | pte 64K. VMEMMAP_START is PMD entry 7934
            // of the last pgd entry; 4 PTEs (256K) are mapped there.
            Geometry g = geo(Granule.G64K, 48, KernelProfile.MAINLINE);
            Arm64Pte f = fmt(g);
            List<Leaf> leaves = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                leaves.add(new Leaf(VMEMMAP_64K48 + i * SZ_64K, SZ_64K, g.leafLevel(), f.mkPageKernel(PA + i * SZ_64K),
                        null));
            }
            assertThat(dump(g, leaves)).containsExactly(
                    "---[ Linear Mapping start ]---",
                    "0xffff000000000000-0xffff800000000000         128T PGD",
                    "---[ Linear Mapping end ]---",
                    "---[ Modules start ]---",
                    "0xffff800000000000-0xffff840000000000           4T PGD",
                    "---[ Modules end ]---",
                    "---[ vmalloc() area ]---",
                    "0xffff840000000000-0xfffffc0000000000         120T PGD",
                    "0xfffffc0000000000-0xffffffdfc0000000        3967G PMD",
                    "---[ vmalloc() end ]---",
                    "---[ vmemmap start ]---",
                    "0xffffffdfc0000000-0xffffffdfc0040000         256K PTE" + PAGE,
                    "0xffffffdfc0040000-0xffffffdfe0000000      524032K PTE",
                    "0xffffffdfe0000000-0xffffffffc0000000      130560M PMD",
                    "---[ vmemmap end ]---",
                    "0xffffffffc0000000-0xffffffffe0000000         512M PMD",
                    "---[ PCI I/O start ]---",
                    "---[ PCI I/O end ]---",
                    "0xffffffffe0000000-0x0000000000000000         512M PMD");
        }
    }

    @Nested
    class DumpProt {
        @ParameterizedTest(name = "{0}: AttrIndx {1} -> {2}")
        @CsvSource({
            "5.8, 4, MEM/NORMAL", "5.8, 0, DEVICE/nGnRnE", "5.8, 1, DEVICE/nGnRE", "5.8, 2, DEVICE/GRE",
            "5.9, 3, MEM/NORMAL-NC", "5.9, 5, ''",
            "6.1, 0, MEM/NORMAL", "6.1, 1, MEM/NORMAL-TAGGED", "6.1, 2, MEM/NORMAL-NC", "6.1, 3, DEVICE/nGnRnE",
            "6.12, 4, DEVICE/nGnRE", "mainline, 4, DEVICE/nGnRE", "mainline, 5, ''", "mainline, 6, ''"
        })
        void dumpProt_memoryTypeFollowsTheProfilesMairLayout(String profile, long attrIndx, String expected) {
            Geometry g = geo(Granule.G4K, 48, KernelProfile.parse(profile));
            long d = (fmt(g).mkSectNormal(PA) & ~Arm64Pte.ATTRINDX_MASK) | (attrIndx << 2);
            List<String> out = dump(g, List.of(new Leaf(g.vmemmapStart, SZ_2M, g.pmdLevel(), d, null)));
            String line = out.stream().filter(s -> s.contains(" BLK ")).findFirst().orElseThrow();
            // UXN then the empty GP column, then the memory type if the index has a name
            assertThat(line).endsWith(" UXN   " + (expected.isEmpty() ? "" : " " + expected));
        }

        @Test
        void dumpProt_descriptorFormatOfAnotherProfileIsRefused() {
            Geometry g = geo(Granule.G4K, 48, KernelProfile.MAINLINE);
            Arm64Pte old = new Arm64Pte(12, 48, KernelProfile.V5_9);
            assertThatThrownBy(() -> Arm64Ptdump.format(g, old, List.of(), false))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MT_NORMAL");
        }
    }

    @Nested
    class PtdumpInit {
        @Test
        void ptdumpInit_mainline4K48() {
            // MODULES_VADDR = _PAGE_END(48) = -2^47, MODULES_VSIZE = 2G, VMALLOC_END = VMEMMAP_START - 8M,
            // VMEMMAP_END = -1G, PCI_IO_START = VMEMMAP_END + 8M, PCI_IO_SIZE = 16M
            assertThat(Arm64Ptdump.markers(geo(Granule.G4K, 48, KernelProfile.MAINLINE))).containsExactly(
                    new Marker(0xffff000000000000L, "Linear Mapping start"),
                    new Marker(0xffff800000000000L, "Linear Mapping end"),
                    new Marker(0xffff800000000000L, "Modules start"),
                    new Marker(0xffff800080000000L, "Modules end"),
                    new Marker(0xffff800080000000L, "vmalloc() area"),
                    new Marker(0xfffffdffbf800000L, "vmalloc() end"),
                    new Marker(0xfffffdffc0000000L, "vmemmap start"),
                    new Marker(0xffffffffc0000000L, "vmemmap end"),
                    new Marker(0xffffffffc0800000L, "PCI I/O start"),
                    new Marker(0xffffffffc1800000L, "PCI I/O end"));
        }

        @Test
        void ptdumpInit_debian61_4K48() {
            // MODULES 128M at _PAGE_END(48); VMEMMAP_START = -2^(48-6); VMALLOC_END = VMEMMAP_START - 256M;
            // PCI_IO_END = VMEMMAP_START - 8M; vmemmap 2T long
            assertThat(Arm64Ptdump.markers(geo(Granule.G4K, 48, KernelProfile.V6_1))).containsExactly(
                    new Marker(0xffff000000000000L, "Linear Mapping start"),
                    new Marker(0xffff800000000000L, "Linear Mapping end"),
                    new Marker(0xffff800000000000L, "Modules start"),
                    new Marker(0xffff800008000000L, "Modules end"),
                    new Marker(0xffff800008000000L, "vmalloc() area"),
                    new Marker(0xfffffbfff0000000L, "vmalloc() end"),
                    new Marker(0xfffffbfffe800000L, "PCI I/O start"),
                    new Marker(0xfffffbffff800000L, "PCI I/O end"),
                    new Marker(0xfffffc0000000000L, "vmemmap start"),
                    new Marker(0xfffffe0000000000L, "vmemmap end"));
        }

        @Test
        void ptdumpInit_v58_4K48() {
            // 128M BPF region, then MODULES 128M; VMALLOC_END = -PUD_SIZE - VMEMMAP_SIZE - 64K;
            // VMEMMAP_START = -2T - 2M; PCI_IO_END = VMEMMAP_START - 2M
            assertThat(Arm64Ptdump.markers(geo(Granule.G4K, 48, KernelProfile.V5_8))).containsExactly(
                    new Marker(0xffff000000000000L, "Linear Mapping start"),
                    new Marker(0xffff800000000000L, "Linear Mapping end"),
                    new Marker(0xffff800008000000L, "Modules start"),
                    new Marker(0xffff800010000000L, "Modules end"),
                    new Marker(0xffff800010000000L, "vmalloc() area"),
                    new Marker(0xfffffdffbfff0000L, "vmalloc() end"),
                    new Marker(0xfffffdfffec00000L, "PCI I/O start"),
                    new Marker(0xfffffdffffc00000L, "PCI I/O end"),
                    new Marker(0xfffffdffffe00000L, "vmemmap start"),
                    new Marker(0xffffffffffe00000L, "vmemmap end"));
        }

        static Stream<Arguments> everyGeometry() {
            List<Arguments> out = new ArrayList<>();
            for (KernelProfile p : KernelProfile.values()) {
                for (Granule gr : Granule.values()) {
                    for (int va : Arm64Geometry.validVaBits(gr, p)) {
                        out.add(Arguments.of(p, gr, va));
                    }
                }
            }
            return out.stream();
        }

        @ParameterizedTest(name = "{0} {1}/{2}")
        @MethodSource("everyGeometry")
        void ptdumpInit_ascendingAndPlacedFromGeometry(KernelProfile p, Granule gr, int va) {
            Geometry g = geo(gr, va, p);
            List<Marker> m = Arm64Ptdump.markers(g);
            for (int i = 1; i < m.size(); i++) {
                assertThat(Long.compareUnsigned(m.get(i - 1).va(), m.get(i).va())).as(m.get(i).name()).isLessThanOrEqualTo(0);
            }
            assertThat(m.get(0)).isEqualTo(new Marker(g.pageOffset, "Linear Mapping start"));
            assertThat(m.get(1)).isEqualTo(new Marker(g.pageEnd, "Linear Mapping end"));
            assertThat(m).contains(new Marker(g.vmemmapStart, "vmemmap start"), new Marker(g.vmemmapEnd, "vmemmap end"));
            List<String> names = m.stream().map(Marker::name).toList();
            List<String> common = List.of("Linear Mapping start", "Linear Mapping end", "Modules start", "Modules end",
                    "vmalloc() area", "vmalloc() end");
            List<String> tail = p == KernelProfile.V6_12 || p == KernelProfile.MAINLINE
                    ? List.of("vmemmap start", "vmemmap end", "PCI I/O start", "PCI I/O end")
                    : List.of("PCI I/O start", "PCI I/O end", "vmemmap start", "vmemmap end");
            assertThat(names.subList(0, 6)).isEqualTo(common);
            assertThat(names.subList(6, names.size())).isEqualTo(tail);
        }
    }

    @Nested
    class PtdumpHole {
        @ParameterizedTest(name = "{0}")
        @CsvSource({"6.1", "mainline"})
        void ptdumpHole_threeLevels_topBlockAndTopHolesPrintPgd(String profile) {
            // 4K/39: pgd entries are 1G; a 1G block at PAGE_OFFSET is a pud_leaf of a folded pud
            Geometry g = geo(Granule.G4K, 39, KernelProfile.parse(profile));
            Arm64Pte f = fmt(g);
            List<String> out = dump(g, List.of(new Leaf(g.pageOffset, SZ_1G, 0, f.mkBlockKernel(0x4000_0000L), null)));
            assertThat(out.get(1)).isEqualTo("0xffffff8000000000-0xffffff8040000000           1G PGD" + SECT);
            assertThat(out.get(2)).startsWith("0xffffff8040000000-").endsWith(" PGD");
        }

        @ParameterizedTest(name = "{0}")
        @CsvSource({"6.1, PGD", "mainline, PMD"})
        void ptdumpHole_twoLevels_topBlockNameChangedInV69(String profile, String blockName) {
            // 64K/42: the top table's 512M entries are pmds; before v6.9 the pmd name is "PGD" when
            // CONFIG_PGTABLE_LEVELS == 2, after it is "PMD". Holes there collapse to depth 0: "PGD".
            Geometry g = geo(Granule.G64K, 42, KernelProfile.parse(profile));
            List<String> out = dump(g, List.of(new Leaf(g.pageOffset, SZ_512M, 0, fmt(g).mkSectNormal(PA), null)));
            assertThat(out.subList(0, 4)).containsExactly(
                    "---[ Linear Mapping start ]---",
                    "0xfffffc0000000000-0xfffffc0020000000         512M " + blockName + SECT,
                    "0xfffffc0020000000-0xfffffe0000000000     2096640M PGD",
                    "---[ Linear Mapping end ]---");
        }

        @Test
        void ptdumpHole_emptyTableGivenByCallerPrintsItsLevel() {
            // A PMD table with no entries under VMEMMAP_START: its 512 empty entries are one PMD line.
            Geometry g = geo(Granule.G4K, 48, KernelProfile.MAINLINE);
            Arm64Ptdump.Tables tables = (level, va) ->
                    (level == 0 && (va & -(1L << 39)) == 0xfffffd8000000000L)
                    || (level == 1 && (va & -SZ_1G) == VMEMMAP_4K48);
            List<String> out = Arm64Ptdump.format(g, fmt(g), List.of(), tables, false);
            int at = out.indexOf("0xffff808000000000-0xfffffd8000000000         125T PGD");
            assertThat(out.subList(at + 1, out.size())).containsExactly(
                    "0xfffffd8000000000-0xfffffdffc0000000         511G PUD",
                    "---[ vmalloc() end ]---",
                    "---[ vmemmap start ]---",
                    "0xfffffdffc0000000-0xfffffe0000000000           1G PMD",
                    "0xfffffe0000000000-0x0000000000000000           2T PGD");
        }
    }

    @Nested
    class Backing {
        @Test
        void format_backingColumnSplitsRangesByLabel() {
            // 2 blocks from RAM, 2 from a device altmap: one 8M line without the column, two 4M with it
            Geometry g = geo(Granule.G4K, 48, KernelProfile.MAINLINE);
            Arm64Pte f = fmt(g);
            List<Leaf> leaves = new ArrayList<>(pmdBlocks(g, f, VMEMMAP_4K48, 2, "RAM"));
            for (Leaf l : pmdBlocks(g, f, VMEMMAP_4K48 + 2 * SZ_2M, 2, "altmap:pmem0")) {
                leaves.add(l);
            }
            List<String> plain = Arm64Ptdump.format(g, f, leaves, false);
            List<String> shown = Arm64Ptdump.format(g, f, leaves, true);
            int p = plain.indexOf("---[ vmemmap start ]---");
            assertThat(plain.subList(p + 1, p + 3)).containsExactly(
                    "0xfffffdffc0000000-0xfffffdffc0800000           8M PMD" + SECT,
                    "0xfffffdffc0800000-0xfffffe0000000000        1016M PMD");
            int s = shown.indexOf("---[ vmemmap start ]---");
            assertThat(shown.subList(s + 1, s + 4)).containsExactly(
                    "0xfffffdffc0000000-0xfffffdffc0400000           4M PMD" + SECT + "  RAM",
                    "0xfffffdffc0400000-0xfffffdffc0800000           4M PMD" + SECT + "  altmap:pmem0",
                    "0xfffffdffc0800000-0xfffffe0000000000        1016M PMD");
            // everything outside the mapped range is unchanged by the extra column
            assertThat(shown.subList(0, s + 1)).isEqualTo(plain.subList(0, p + 1));
        }
    }

    @Nested
    class Validation {
        final Geometry g = geo(Granule.G4K, 48, KernelProfile.MAINLINE);
        final Arm64Pte f = fmt(g);

        @Test
        void format_unsortedOrOverlappingLeavesRefused() {
            List<Leaf> blocks = pmdBlocks(g, f, VMEMMAP_4K48, 2, null);
            assertThatThrownBy(() -> dump(g, List.of(blocks.get(1), blocks.get(0))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("leaf 1");
            Leaf big = new Leaf(VMEMMAP_4K48, 2 * SZ_2M, g.pmdLevel(), f.mkSectNormal(PA), null);
            assertThatThrownBy(() -> dump(g, List.of(big, blocks.get(1))))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void format_misalignedOrWrongTypeOrBelowPageOffsetRefused() {
            assertThatThrownBy(() -> dump(g, List.of(new Leaf(VMEMMAP_4K48 + 4096, SZ_2M, g.pmdLevel(),
                    f.mkSectNormal(PA), null)))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("aligned");
            assertThatThrownBy(() -> dump(g, List.of(new Leaf(VMEMMAP_4K48, 4096, g.leafLevel(),
                    f.mkSectNormal(PA), null)))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("page");
            assertThatThrownBy(() -> dump(g, List.of(new Leaf(0x0000_8000_0000_0000L, SZ_2M, g.pmdLevel(),
                    f.mkSectNormal(PA), null)))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("PAGE_OFFSET");
        }
    }
}
