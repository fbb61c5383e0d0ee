package org.vmemsim.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vmemsim.util.Sz.SZ_1G;
import static org.vmemsim.util.Sz.SZ_2M;
import static org.vmemsim.util.Sz.SZ_4K;
import static org.vmemsim.util.Sz.SZ_512M;
import static org.vmemsim.util.Sz.SZ_64G;
import static org.vmemsim.util.Sz.SZ_64K;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The built-in story: arm64 mainline, 4 GiB of RAM, a 64 GiB fsdax device at 128 GiB without and
 * with an altmap, on 4K and on 64K pages. Every number is derived here from the geometry:
 *
 * <pre>
 *   device [0x20_0000_0000 ................................................ 0x30_0000_0000)
 *          [reserve][ memmap pool: alloc + align ][ data ........................... ]
 * </pre>
 */
class DefaultScenarioTest {
    static final long DEVICE = SZ_64G;
    static final long STRUCT_PAGE = 64;
    static ScenarioResult result;

    @BeforeAll
    static void runDefault() {
        result = new ScenarioRunner().run(ScenarioParser.standard().parseDefault());
    }

    /** The steps of run {@code run} (0 = 4K, 1 = 64K); in each: add, expect, remove, expect, add+altmap, expect, remove, expect. */
    static List<StepRecord> steps(int run) {
        return result.steps.stream().filter(s -> s.runIndex == run).toList();
    }

    static long num(Map<String, Object> m, String path) {
        return ((Number) ExpectStep.lookup(m, path)).longValue();
    }

    @Test
    void run_allExpectationsOfTheBuiltInFileHold() {
        assertThat(result.failures()).isEmpty();
        assertThat(result.steps).hasSize(16);
        assertThat(result.steps).allSatisfy(s -> assertThat(s.outcome.result()).isEqualTo("ok"));
    }

    @Test
    void json_everyStepHasResultAndTheRequiredAccountingKeys() {
        Map<String, Object> json = result.json();
        assertThat(json).containsKeys("scenario", "runs", "steps", "summary");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> steps = (List<Map<String, Object>>) json.get("steps");
        assertThat(steps).hasSize(16).allSatisfy(s -> {
            assertThat(s).containsKeys("result", "accounting", "warnings", "step", "path");
            @SuppressWarnings("unchecked")
            Map<String, Object> acc = (Map<String, Object>) s.get("accounting");
            assertThat(acc).containsKeys("ram_total_bytes", "ram_free_bytes", "memmap_ram_bytes", "memmap_altmap_bytes",
                    "pgtable_pages", "altmaps");
            @SuppressWarnings("unchecked")
            Map<String, Object> pt = (Map<String, Object>) acc.get("pgtable_pages");
            assertThat(pt).containsKeys("vmemmap", "linear");
        });
        @SuppressWarnings("unchecked")
        Map<String, Object> altmap = (Map<String, Object>) ((List<?>) ((Map<?, ?>) steps.get(4).get("accounting"))
                .get("altmaps")).get(0);
        assertThat(altmap).containsOnlyKeys("id", "base_pfn", "end_pfn", "reserve", "free", "alloc", "align");
    }

    @Nested
    class FourK {
        static final long PAGE = SZ_4K;
        static final long NR_PAGES = DEVICE / PAGE; // 16,777,216
        static final long MEMMAP = NR_PAGES * STRUCT_PAGE; // 1 GiB

        @Test
        void memremap_withoutAltmap_takesTheMemmapFromRam() {
            StepRecord add = steps(0).get(0);
            assertThat(num(add.delta, "memmap_ram_bytes")).isEqualTo(MEMMAP).isEqualTo(SZ_1G);
            assertThat(num(add.delta, "memmap_altmap_bytes")).isZero();
            // linear map (rodata_full): one PTE table per 2 MiB, one PMD table per 1 GiB
            long linear = DEVICE / SZ_2M + DEVICE / SZ_1G;
            assertThat(num(add.delta, "pgtable_pages.linear")).isEqualTo(linear).isEqualTo(32_832);
            // vmemmap (v6.9+ layout, VMEMMAP_START 0xfffffdffc0000000, memstart pfn 0x40000): the memmap
            // VA [0xfffffe003f000000, 0xfffffe007f000000) lies in PGD 508 (empty at boot) and PUDs 0..1:
            // 1 PUD table + 2 PMD tables; the memmap itself uses PMD blocks.
            long vaStart = 0xfffffdffc0000000L + (0x2000000L - 0x40000L) * STRUCT_PAGE;
            assertThat(vaStart).isEqualTo(0xfffffe003f000000L);
            long pmdTables = ((vaStart + MEMMAP - 1 - 0xfffffe0000000000L) >>> 30) - ((vaStart - 0xfffffe0000000000L) >>> 30) + 1;
            assertThat(num(add.delta, "pgtable_pages.vmemmap")).isEqualTo(1 + pmdTables).isEqualTo(3);
            assertThat(-num(add.delta, "ram_free_bytes")).isEqualTo(MEMMAP + (linear + 1 + pmdTables) * PAGE);
        }

        @Test
        void memremap_withAltmap_putsTheMemmapOnTheDevice() {
            StepRecord add = steps(0).get(4);
            long reserve = 2;
            // free = auto: PFN(ALIGN(reserve * PAGE + memmap, 2 MiB)) - reserve
            long free = (((reserve * PAGE + MEMMAP) + SZ_2M - 1) / SZ_2M * SZ_2M) / PAGE - reserve;
            assertThat(free).isEqualTo(262_654);
            Map<?, ?> altmap = (Map<?, ?>) ExpectStep.lookup(add.accounting, "altmaps.pmem0");
            assertThat(altmap.get("base_pfn")).isEqualTo("0x" + Long.toHexString(0x20_0000_0000L / PAGE));
            assertThat(altmap.get("end_pfn")).isEqualTo("0x" + Long.toHexString(0x30_0000_0000L / PAGE - 1));
            assertThat(((Number) altmap.get("reserve")).longValue()).isEqualTo(reserve);
            assertThat(((Number) altmap.get("free")).longValue()).isEqualTo(free);
            // 64 GiB / 4 KiB x 64 B / 4 KiB = 262,144 pfns of memmap, in 2 MiB (512-pfn) blocks
            assertThat(((Number) altmap.get("alloc")).longValue()).isEqualTo(DEVICE / PAGE * STRUCT_PAGE / PAGE).isEqualTo(262_144);
            // the first block must start 512-aligned: base + 2 -> base + 512
            assertThat(((Number) altmap.get("align")).longValue()).isEqualTo(512 - reserve);
            assertThat(num(add.delta, "memmap_ram_bytes")).isZero();
            assertThat(num(add.delta, "memmap_altmap_bytes")).isEqualTo(MEMMAP);
            assertThat(-num(add.delta, "ram_free_bytes")).isEqualTo((32_832 + 3) * PAGE);
            assertThat(add.outcome.details().get("data_bytes")).isEqualTo(DEVICE - (reserve + free) * PAGE);
        }

        @Test
        void memunmap_keepsOnlyTheMemSectionRoots() {
            // sections of 128 MiB: pfn 0x2000000 >> 15 = section 1024 .. 1535; 256 sections per root
            // (4 KiB / 16 B) -> roots 4 and 5; boot RAM (sections 8..39) only has root 0.
            StepRecord remove = steps(0).get(2);
            assertThat(remove.kept).isNotNull();
            assertThat(remove.kept.get("ram_bytes")).isEqualTo(0L);
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> items = (List<Map<String, Object>>) remove.kept.get("items");
            assertThat(items).extracting(i -> i.get("what")).containsExactly("mem_section root 4", "mem_section root 5");
            assertThat(items).allSatisfy(i -> {
                assertThat(i.get("bytes")).isEqualTo(SZ_4K);
                assertThat((String) i.get("why")).contains("sparse_index_init", "L1");
            });
            assertThat(remove.kept.get("ram_free_bytes_now")).isEqualTo(remove.kept.get("ram_free_bytes_before_add"));
        }
    }

    @Nested
    class SixtyFourK {
        static final long PAGE = SZ_64K;
        static final long MEMMAP = DEVICE / PAGE * STRUCT_PAGE; // 64 MiB

        @Test
        void memremap_withoutAltmap() {
            StepRecord add = steps(1).get(0);
            assertThat(num(add.delta, "memmap_ram_bytes")).isEqualTo(MEMMAP);
            // one PTE table maps 8,192 x 64 KiB = 512 MiB; the PMD table of PGD 0 exists at boot
            assertThat(num(add.delta, "pgtable_pages.linear")).isEqualTo(DEVICE / SZ_512M).isEqualTo(128);
            // the memmap shares the boot memmap's PTE table (spec 10.8)
            assertThat(num(add.delta, "pgtable_pages.vmemmap")).isZero();
            assertThat(-num(add.delta, "ram_free_bytes")).isEqualTo(MEMMAP + 128 * PAGE);
        }

        @Test
        void memremap_withAltmap() {
            StepRecord add = steps(1).get(4);
            Map<?, ?> altmap = (Map<?, ?>) ExpectStep.lookup(add.accounting, "altmaps.pmem0");
            assertThat(((Number) altmap.get("alloc")).longValue()).isEqualTo(MEMMAP / PAGE).isEqualTo(1024);
            assertThat(((Number) altmap.get("align")).longValue()).isZero();
            assertThat(-num(add.delta, "ram_free_bytes")).isEqualTo(128 * PAGE);
        }
    }

    @Test
    void memunmap_everythingReturnsRamFreeToTheBootFigure() {
        for (ScenarioResult.RunResult run : result.runs) {
            assertThat(num(run.endAccounting(), "ram_free_bytes")).as(run.name())
                    .isEqualTo(num(run.bootAccounting(), "ram_free_bytes"));
            assertThat((List<?>) run.endAccounting().get("altmaps")).isEmpty();
        }
        for (StepRecord s : result.steps) {
            if (s.step.removes() != null) {
                assertThat(s.kept.get("ram_free_bytes_now")).isEqualTo(s.kept.get("ram_free_bytes_before_add"));
            }
        }
    }

    @Test
    void costs_oneColumnPerHotAdd() {
        assertThat(result.costs()).extracting(c -> c.get("label"))
                .containsExactly("4K, no altmap", "4K, altmap", "64K, no altmap", "64K, altmap");
        assertThat(result.costs().get(1).get("device_memmap_bytes")).isEqualTo(SZ_1G);
        assertThat(result.costs().get(0).get("ram_used_bytes")).isEqualTo(SZ_1G + (32_832 + 3) * SZ_4K);
    }

    @Test
    void render_isDeterministic() {
        ScenarioResult again = new ScenarioRunner().run(ScenarioParser.standard().parseDefault());
        assertThat(ScenarioText.render(again)).isEqualTo(ScenarioText.render(result));
        assertThat(again.json()).isEqualTo(result.json());
    }
}
