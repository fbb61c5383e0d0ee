package org.vmemsim.arch.arm64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.vmemsim.arch.Geometry;
import org.vmemsim.arch.Granule;
import org.vmemsim.arch.KernelProfile;

/**
 * Page-table geometry of {@link Arm64Geometry#of}: kernel-semantics.md table 1.2 (levels, shifts,
 * entries), the derived PMD/PUD sizes, the software names of each level, where block mappings may
 * be used, which VA sizes exist, and table indices of the worked VAs of section 10.
 *
 * <p>Every expected number is a literal copied from the spec (or worked out by hand in a comment),
 * never a value obtained from the code under test.
 */
class Arm64GeometryTest {

    static final String ALL = "5.8 5.9 6.1 6.12 mainline";

    /** Profiles named in a CSV cell: "5.8 5.9", "6.12 mainline", "all". */
    static List<KernelProfile> profiles(String cell) {
        String text = cell.trim().equals("all") ? ALL : cell;
        List<KernelProfile> out = new ArrayList<>();
        for (String label : text.trim().split("\\s+")) {
            out.add(KernelProfile.parse(label));
        }
        return out;
    }

    /** A size written the spec's way ("2M", "64G", "4T": number times a power of 1024) or in hex. */
    static long size(String text) {
        String t = text.trim();
        if (t.startsWith("0x")) {
            return hex(t);
        }
        int k = "KMGT".indexOf(t.charAt(t.length() - 1));
        if (k < 0) {
            return Long.parseLong(t);
        }
        return Long.parseLong(t.substring(0, t.length() - 1)) << (10 * (k + 1));
    }

    /** An unsigned 64-bit hexadecimal literal such as 0xfffffdffffe00000. */
    static long hex(String text) {
        return Long.parseUnsignedLong(text.trim().substring(2), 16);
    }

    static int[] ints(String cell) {
        String[] parts = cell.trim().split("\\s+");
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = Integer.parseInt(parts[i]);
        }
        return out;
    }

    static String[] words(String cell) {
        return cell.trim().split("\\s+");
    }

    /** Table 1.2 plus the "Derived sizes" table; PUD_SHIFT of a folded PUD level equals PGDIR_SHIFT. */
    @Nested
    class PageTableGeometry {
        @ParameterizedTest(name = "{0}/VA{1} in {2}")
        @CsvSource(delimiter = '|', textBlock = """
            # granule | VA | profiles      | levels | PGDIR | PUD | PMD | PTRS_PER_PGD | per table | shift of each level | PMD_SIZE | PUD_SIZE
              4K      | 39 | all           | 3      | 30    | 30  | 21  | 512          | 512       | 30 21 12            | 2M       | 1G
              4K      | 48 | all           | 4      | 39    | 30  | 21  | 512          | 512       | 39 30 21 12         | 2M       | 1G
              4K      | 52 | 6.12 mainline | 5      | 48    | 30  | 21  | 16           | 512       | 48 39 30 21 12      | 2M       | 1G
              16K     | 36 | all           | 2      | 25    | 25  | 25  | 2048         | 2048      | 25 14               | 32M      | 32M
              16K     | 47 | all           | 3      | 36    | 36  | 25  | 2048         | 2048      | 36 25 14            | 32M      | 64G
              16K     | 48 | all           | 4      | 47    | 36  | 25  | 2            | 2048      | 47 36 25 14         | 32M      | 64G
              16K     | 52 | 6.12 mainline | 4      | 47    | 36  | 25  | 32           | 2048      | 47 36 25 14         | 32M      | 64G
              64K     | 42 | all           | 2      | 29    | 29  | 29  | 8192         | 8192      | 29 16               | 512M     | 512M
              64K     | 48 | all           | 3      | 42    | 42  | 29  | 64           | 8192      | 42 29 16            | 512M     | 4T
              64K     | 52 | all           | 3      | 42    | 42  | 29  | 1024         | 8192      | 42 29 16            | 512M     | 4T
            """)
        void pgtableHwdef_perGranuleAndVaSize(String granule, int va, String profiles, int levels, int pgdirShift,
                                              int pudShift, int pmdShift, int ptrsPerPgd, int ptrsPerTable,
                                              String levelShifts, String pmdSize, String pudSize) {
            int[] shifts = ints(levelShifts);
            SoftAssertions soft = new SoftAssertions();
            for (KernelProfile p : profiles(profiles)) {
                Geometry g = Arm64Geometry.of(Granule.parse(granule), va, p);
                String at = g.toString();
                soft.assertThat(g.levels).as(at + " levels").isEqualTo(levels);
                soft.assertThat(g.pgdirShift).as(at + " PGDIR_SHIFT").isEqualTo(pgdirShift);
                soft.assertThat(g.pudShift).as(at + " PUD_SHIFT").isEqualTo(pudShift);
                soft.assertThat(g.pmdShift).as(at + " PMD_SHIFT").isEqualTo(pmdShift);
                soft.assertThat(g.ptrsPerPgd).as(at + " PTRS_PER_PGD").isEqualTo(ptrsPerPgd);
                soft.assertThat(g.ptrsPerTable).as(at + " entries per table").isEqualTo(ptrsPerTable);
                soft.assertThat(g.pmdSize).as(at + " PMD_SIZE").isEqualTo(size(pmdSize));
                soft.assertThat(g.pudSize).as(at + " PUD_SIZE").isEqualTo(size(pudSize));
                soft.assertThat(g.leafLevel()).as(at + " leaf level").isEqualTo(levels - 1);
                soft.assertThat(g.ptrs(0)).as(at + " entries of the top table").isEqualTo(ptrsPerPgd);
                for (int level = 0; level < shifts.length && level < g.levels; level++) {
                    soft.assertThat(g.shift(level)).as(at + " shift of level " + level).isEqualTo(shifts[level]);
                    soft.assertThat(g.entrySpan(level)).as(at + " span of level " + level)
                            .isEqualTo(1L << shifts[level]);
                    if (level > 0) {
                        soft.assertThat(g.ptrs(level)).as(at + " entries of level " + level).isEqualTo(ptrsPerTable);
                    }
                }
                soft.assertThat(g.shift(g.leafLevel())).as(at + " leaf shift = PAGE_SHIFT").isEqualTo(g.pageShift);
            }
            soft.assertAll();
        }

        @ParameterizedTest(name = "{0}")
        @CsvSource({"4K, 12, 4096", "16K, 14, 16384", "64K, 16, 65536"})
        void pageShift_perGranule(String granule, int pageShift, long pageSize) {
            Geometry g = Arm64Geometry.of(Granule.parse(granule), Arm64Geometry.defaultVaBits(Granule.parse(granule)),
                    KernelProfile.MAINLINE);
            assertThat(g.pageShift).isEqualTo(pageShift);
            assertThat(g.pageSize).isEqualTo(pageSize);
        }
    }

    /**
     * Software names: entries are named from the leaf upwards (PTE, PMD, PUD, P4D, PGD); tables take
     * the name of their entries except the top table, which is always the PGD. The PMD/PUD hardware
     * level is the one whose entries are named PMD/PUD (-1 when folded away).
     */
    @Nested
    class LevelNames {
        @ParameterizedTest(name = "{0}/VA{1}")
        @CsvSource(delimiter = '|', textBlock = """
            # granule | VA | profile  | table names         | entry names         | PMD level | PUD level
              4K      | 39 | 5.9      | PGD PMD PTE         | PUD PMD PTE         | 1         | 0
              4K      | 48 | 5.9      | PGD PUD PMD PTE     | P4D PUD PMD PTE     | 2         | 1
              4K      | 52 | mainline | PGD P4D PUD PMD PTE | PGD P4D PUD PMD PTE | 3         | 2
              16K     | 36 | 5.9      | PGD PTE             | PMD PTE             | 0         | -1
              16K     | 47 | 6.1      | PGD PMD PTE         | PUD PMD PTE         | 1         | 0
              16K     | 48 | 6.12     | PGD PUD PMD PTE     | P4D PUD PMD PTE     | 2         | 1
              16K     | 52 | mainline | PGD PUD PMD PTE     | P4D PUD PMD PTE     | 2         | 1
              64K     | 42 | 5.8      | PGD PTE             | PMD PTE             | 0         | -1
              64K     | 48 | 5.9      | PGD PMD PTE         | PUD PMD PTE         | 1         | 0
              64K     | 52 | mainline | PGD PMD PTE         | PUD PMD PTE         | 1         | 0
            """)
        void entryAndTableNames_perLevelCount(String granule, int va, String profile, String tables, String entries,
                                              int pmdLevel, int pudLevel) {
            Geometry g = Arm64Geometry.of(Granule.parse(granule), va, KernelProfile.parse(profile));
            String[] t = words(tables);
            String[] e = words(entries);
            assertThat(g.levels).isEqualTo(t.length);
            for (int level = 0; level < g.levels; level++) {
                assertThat(g.tableName(level)).as("table name of level " + level).isEqualTo(t[level]);
                assertThat(g.entryName(level)).as("entry name of level " + level).isEqualTo(e[level]);
            }
            assertThat(g.pmdLevel()).isEqualTo(pmdLevel);
            assertThat(g.pudLevel()).isEqualTo(pudLevel);
        }
    }

    /** Table 1.2 "Kernel block mappings available": PMD blocks on every granule, PUD blocks only on 4K. */
    @Nested
    class BlockAllowed {
        @ParameterizedTest(name = "{0}/VA{1} in {2}")
        @CsvSource(delimiter = '|', textBlock = """
            # granule | VA | profiles      | block allowed per level, top first
              4K      | 39 | all           | true  true  false
              4K      | 48 | all           | false true  true  false
              4K      | 52 | 6.12 mainline | false false true  true  false
              16K     | 36 | all           | true  false
              16K     | 47 | all           | false true  false
              16K     | 48 | all           | false false true  false
              16K     | 52 | 6.12 mainline | false false true  false
              64K     | 42 | all           | true  false
              64K     | 48 | all           | false true  false
              64K     | 52 | all           | false true  false
            """)
        void blockAllowed_pmdAlwaysPudOnlyOn4K(String granule, int va, String profiles, String allowed) {
            String[] expect = words(allowed);
            SoftAssertions soft = new SoftAssertions();
            for (KernelProfile p : profiles(profiles)) {
                Geometry g = Arm64Geometry.of(Granule.parse(granule), va, p);
                soft.assertThat(g.levels).as(g + " levels").isEqualTo(expect.length);
                for (int level = 0; level < Math.min(g.levels, expect.length); level++) {
                    soft.assertThat(g.blockAllowed(level)).as(g + " block at level " + level)
                            .isEqualTo(Boolean.parseBoolean(expect[level]));
                }
            }
            soft.assertAll();
        }
    }

    /** Table 1.2 "Valid in": 52-bit VA for 4K/16K only with LPA2 (v6.9+, so the 6.12 and mainline profiles). */
    @Nested
    class ValidVaBits {
        @ParameterizedTest(name = "{0}/VA{1} in {2}")
        @CsvSource(delimiter = '|', textBlock = """
              4K  | 47 | 5.9
              4K  | 47 | mainline
              16K | 39 | 5.9
              16K | 39 | mainline
              64K | 36 | 5.9
              64K | 36 | mainline
              4K  | 52 | 5.8
              4K  | 52 | 5.9
              4K  | 52 | 6.1
              16K | 52 | 5.9
              16K | 52 | 6.1
              64K | 39 | 6.12
            """)
        void of_invalidCombinationNamesTheVaSize(String granule, int va, String profile) {
            assertThatThrownBy(() -> Arm64Geometry.of(Granule.parse(granule), va, KernelProfile.parse(profile)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(Integer.toString(va))
                    .hasMessageContaining(granule);
        }

        @ParameterizedTest(name = "{0} in {1}")
        @CsvSource(delimiter = '|', textBlock = """
              4K  | 5.8      | 39 48
              4K  | 5.9      | 39 48
              4K  | 6.1      | 39 48
              4K  | 6.12     | 39 48 52
              4K  | mainline | 39 48 52
              16K | 5.9      | 36 47 48
              16K | 6.1      | 36 47 48
              16K | mainline | 36 47 48 52
              64K | 5.8      | 42 48 52
              64K | 6.1      | 42 48 52
              64K | mainline | 42 48 52
            """)
        void validVaBits_perGranuleAndProfile(String granule, String profile, String vas) {
            assertThat(Arm64Geometry.validVaBits(Granule.parse(granule), KernelProfile.parse(profile)))
                    .containsExactly(ints(vas));
        }
    }

    /** {@code idx_level(va) = (va >> SHIFT_level) & (entries_level - 1)} on the VAs of sections 10.0-10.7. */
    @Nested
    class Index {
        @ParameterizedTest(name = "{3} on {0}/VA{1} {2}")
        @CsvSource(delimiter = '|', textBlock = """
            # granule | VA | profile  | address            | index per level, top first | where in the spec
              4K      | 48 | 5.9      | 0xfffffe007ee00000 | 508 1 503 0                | 10.1 device memmap start
              4K      | 48 | 5.9      | 0xfffffe007fe00000 | 508 1 511 0                | 10.1 device memmap end
              4K      | 48 | 5.9      | 0xffff001fc0000000 | 0 127 0 0                  | 10.1 linear map of the device
              4K      | 48 | 5.9      | 0xfffffdffffe00000 | 507 511 511 0              | 10.0 boot memmap start
              4K      | 48 | 5.9      | 0xfffffe0003e00000 | 508 0 31 0                 | 10.0 boot memmap end (PMD 0..30 used)
              4K      | 48 | 5.9      | 0xfffffe008ee00000 | 508 2 119 0                | 10.2 16 GiB memmap end (PMD 0..118 used)
              4K      | 48 | mainline | 0xfffffe003f000000 | 508 0 504 0                | 10.7 ML device memmap VA
              4K      | 48 | mainline | 0xfffffdffc0000000 | 507 511 0 0                | 10.7 ML boot memmap (PGD 507 / PUD 511)
              4K      | 48 | 6.1      | 0xfffffc007f000000 | 504 1 504 0                | 10.10 v5.12..v6.8 memmap VA (PGD 504, PUD 1)
              64K     | 48 | 5.9      | 0xffffffe007d00000 | 63 7936 2000               | 10.5 device memmap start
              64K     | 48 | 5.9      | 0xffffffdfffe00000 | 63 7935 8160               | 10.0 64K boot memmap start
              64K     | 48 | 5.9      | 0xffff001fc0000000 | 0 254 0                    | 10.5 linear map of the device
              16K     | 47 | 5.9      | 0xffffffc01fa00000 | 2044 15 1664               | 10.6 device memmap start (PMD 15)
              16K     | 47 | 5.9      | 0xffff801fc0000000 | 1 2016 0                   | 10.6 linear map (PGD 1)
            """)
        void index_workedExamples(String granule, int va, String profile, String address, String indices,
                                  String where) {
            Geometry g = Arm64Geometry.of(Granule.parse(granule), va, KernelProfile.parse(profile));
            long addr = hex(address);
            int[] expect = ints(indices);
            assertThat(g.levels).isEqualTo(expect.length);
            for (int level = 0; level < g.levels; level++) {
                assertThat(g.index(addr, level)).as(where + ": " + g.tableName(level) + " index").isEqualTo(expect[level]);
            }
        }

        @Test
        void index_topLevelOf52BitVaUsesPtrsPerPgd() {
            // 64K/52: PGDIR_SHIFT 42, PTRS_PER_PGD 1024; PAGE_OFFSET 0xfff0000000000000 is the first top entry
            // and the last byte of the address space the last one.
            Geometry g = Arm64Geometry.of(Granule.G64K, 52, KernelProfile.V5_9);
            assertThat(g.index(0xfff0000000000000L, 0)).isZero();
            assertThat(g.index(0xffffffffffffffffL, 0)).isEqualTo(1023);
        }
    }
}
