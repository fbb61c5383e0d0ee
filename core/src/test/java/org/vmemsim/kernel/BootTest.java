package org.vmemsim.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.vmemsim.arch.Granule;
import org.vmemsim.arch.KernelProfile;
import org.vmemsim.view.Accounting;
import org.vmemsim.view.Meminfo;

/**
 * Boot of a 4 GiB machine at 0x4000_0000, checked against closed forms computed here from the
 * geometry constants only: the boot memmap covers every present section (64 bytes per page), the
 * linear map uses PTEs with rodata_full and the largest aligned blocks otherwise, and one table
 * page exists per distinct window a mapped range touches at each level.
 *
 * <pre>
 *  RAM  [0x4000_0000 ........................ 0x1_4000_0000)   4 GiB, node 0
 *  MemTotal = RAM pages - boot memmap pages - page-table pages - 1 (swapper_pg_dir)
 * </pre>
 */
class BootTest {
    private static final long RAM_START = 0x4000_0000L;
    private static final long RAM = 4L << 30;

    /** Distinct windows of size 2^shift touched by [start, end) (unsigned VAs of one region). */
    private static long windows(long start, long end, int shift) {
        return ((end - 1) >>> shift) - (start >>> shift) + 1;
    }

    @ParameterizedTest(name = "{0} {1} VA{2} rodata_full={3}")
    @CsvSource({
        // granule, profile, va, rodata, pageShift, levels, sectionBits, vmemmapStart(hex), linearTablesExpected
        "G4K,  MAINLINE, 48, true,  12, 4, 27, fffffdffc0000000, 2053",
        "G4K,  MAINLINE, 48, false, 12, 4, 27, fffffdffc0000000, 1",
        "G4K,  V5_9,     48, true,  12, 4, 30, fffffdffffe00000, 2053",
        "G4K,  V6_1,     48, true,  12, 4, 27, fffffc0000000000, 2053",
        "G4K,  V5_9,     39, true,  12, 3, 30, fffffffeffe00000, 2052",
        "G16K, MAINLINE, 47, true,  14, 3, 27, ffffffbfc0000000, 129",
        "G16K, V5_9,     47, false, 14, 3, 30, ffffffbfffe00000, 1",
        "G64K, MAINLINE, 48, true,  16, 3, 29, ffffffdfc0000000, 9",
        "G64K, V5_9,     48, true,  16, 3, 30, ffffffdfffe00000, 9",
        "G64K, MAINLINE, 42, false, 16, 2, 29, ffffffff7fe00000, 0",
    })
    void boot_memTotalIsRamMinusMemmapAndTables(Granule granule, KernelProfile profile, int va, boolean rodata,
                                                int pageShift, int levels, int sectionBits, String vmemmapHex,
                                                long linearTables) {
        MachineSpec spec = MachineSpec.defaults();
        spec.granule = granule;
        spec.profile = profile;
        spec.vaBits = va;
        spec.rodataFull = rodata;
        Kernel k = Kernel.boot(spec);
        long page = 1L << pageShift;
        long vmemmapStart = Long.parseUnsignedLong(vmemmapHex, 16);
        if (granule == Granule.G64K && va == 42) {
            // mainline 64K/42 puts VMEMMAP_END at -1 GiB: recompute START = -1G - (2^41 >> 16) * 64
            vmemmapStart = -(1L << 30) - ((1L << 41) >>> 16) * 64;
        }
        assertThat(k.g.vmemmapStart).isEqualTo(vmemmapStart);

        // boot memmap: whole sections
        long sectionBytes = 1L << sectionBits;
        long sections = (RAM_START + RAM - 1) / sectionBytes - RAM_START / sectionBytes + 1;
        long memmapBytes = sections * (sectionBytes / page) * 64;
        long memmapPages = memmapBytes / page;

        // vmemmap tables: the memmap VA range [vmemmapStart + (firstSectionPfn - memstartPfn) * 64, + memmapBytes)
        long memstart = RAM_START & -(granule == Granule.G64K && profile != KernelProfile.V5_9 ? (1L << 29) : (1L << 30));
        long firstPfn = (RAM_START / sectionBytes) * sectionBytes / page;
        long vaStart = vmemmapStart + (firstPfn - memstart / page) * 64;
        long vaEnd = vaStart + memmapBytes;
        int bits = pageShift - 3;
        int[] shift = new int[levels];
        for (int l = 0; l < levels; l++) {
            shift[l] = pageShift + bits * (levels - 1 - l);
        }
        int leaf = granule == Granule.G4K ? levels - 2 : levels - 1; // 4K: PMD blocks; else PTEs
        long vmemmapTables = 0;
        for (int l = 1; l <= leaf; l++) {
            vmemmapTables += windows(vaStart, vaEnd, shift[l - 1]);
        }

        Map<String, Object> acc = Accounting.of(k);
        @SuppressWarnings("unchecked")
        Map<String, Object> pt = (Map<String, Object>) acc.get("pgtable_pages");
        assertThat(acc.get("memmap_ram_bytes")).isEqualTo(memmapBytes);
        assertThat(pt.get("vmemmap")).isEqualTo(vmemmapTables);
        assertThat(pt.get("linear")).isEqualTo(linearTables);
        long reservedPages = memmapPages + vmemmapTables + linearTables + 1;
        long totalPages = RAM / page - reservedPages;
        assertThat(Meminfo.of(k).get("MemTotal_kB")).isEqualTo(totalPages * page / 1024);
        assertThat(Meminfo.of(k).get("MemFree_kB")).isEqualTo(totalPages * page / 1024);
        assertThat(k.log.warnCount()).isZero();
    }
}
