package org.vmemsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.vmemsim.arch.Granule;

/**
 * {@code vmemsim bench}: what it runs and how it reports. No assertion here depends on how fast
 * the machine is (budgets are checked by the command itself, not by tests).
 */
class BenchCommandTest {
    @Nested
    class Scenarios {
        @Test
        void perEntryDeviceSize_needsTheRequestedEntries() {
            // 4K: a 2 MiB PMD block holds 32768 struct pages = 128 MiB of device memory.
            assertThat(BenchScenarios.perEntryDeviceSize(Granule.G4K, 1 << 17)).isEqualTo(16L << 40);
            // 64K: a 64 KiB page holds 1024 struct pages = 64 MiB of device memory.
            assertThat(BenchScenarios.perEntryDeviceSize(Granule.G64K, 1 << 17)).isEqualTo(8L << 40);
        }

        @Test
        void bareLoop_writesOneDescriptorPerEntry() {
            long[][] t = BenchScenarios.bareLoop(Granule.G4K, 1024);
            assertThat(t).hasNumberOfRows(2);
            assertThat(t[0]).hasSize(512);
            assertThat(t[0][0]).isEqualTo(BenchScenarios.DEVICE_BASE | 0x0060_0000_0000_0701L);
            assertThat(t[1][511]).isEqualTo((BenchScenarios.DEVICE_BASE + 1023L * (2 << 20)) | 0x0060_0000_0000_0701L);
            long[][] u = BenchScenarios.bareLoop(Granule.G64K, 8192);
            assertThat(u).hasNumberOfRows(1);
            assertThat(u[0][8191]).isEqualTo((BenchScenarios.DEVICE_BASE + 8191L * 65536) | 0x0060_0000_0000_0703L);
        }

        @Test
        void budgeted_quickAndFull_runTheSameScenariosAtTwoSizes() {
            assertThat(BenchScenarios.budgeted(false)).extracting(BenchScenarios.Scenario::name).containsExactly(
                    "boot 1T 4K rodata_full=1", "boot 1T 4K rodata_full=0",
                    "hotplug 64T 4K add+remove", "hotplug 64T 64K add+remove");
            assertThat(BenchScenarios.budgeted(true)).extracting(BenchScenarios.Scenario::name).containsExactly(
                    "boot 64G 4K rodata_full=1", "boot 64G 4K rodata_full=0",
                    "hotplug 4T 4K add+remove", "hotplug 4T 64K add+remove");
        }
    }

    @Nested
    class Report {
        @Test
        void bench_quick_printsEveryScenarioAndExitsZero() {
            CliRun r = CliRun.of("bench", "--quick", "--runs", "1", "--warmup", "0");
            assertThat(r.code()).isZero();
            assertThat(r.err()).isEmpty();
            assertThat(r.out()).contains("boot 64G 4K rodata_full=1", "boot 64G 4K rodata_full=0",
                    "hotplug 4T 4K add+remove", "hotplug 4T 64K add+remove", "per-entry 4K model (8192 entries)",
                    "per-entry 64K model (8192 entries)", "4K (PMD blocks)", "64K (PTEs)");
        }

        @Test
        void bench_strict_exitsOneWhenABudgetIsExceeded() {
            // a 4 TiB hot-add + hot-remove cannot take less than a nanosecond
            CliRun r = CliRun.of("bench", "--quick", "--runs", "1", "--warmup", "0", "--strict", "--hotplug-budget", "0.000001");
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.out()).contains("FAIL").contains("budget exceeded");
            CliRun lax = CliRun.of("bench", "--quick", "--runs", "1", "--warmup", "0", "--hotplug-budget", "0.000001");
            assertThat(lax.code()).isZero();
            assertThat(lax.out()).contains("budget exceeded (exit 0 without --strict)");
        }

        @Test
        void bench_badRuns_isAUsageError() {
            CliRun r = CliRun.of("bench", "--runs", "0");
            assertThat(r.code()).isEqualTo(2);
            assertThat(r.errLines()).hasSize(1);
            assertThat(r.errLines().get(0)).startsWith("vmemsim: ").contains("--runs 0");
            assertThat(r.out()).isEmpty();
        }
    }
}
