package org.vmemsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code vmemsim plan}: on x86_64 devdax namespaces with map=mem and 2 MiB alignment the memmap is
 * deduplicated (vmemmap_populate_compound_pages), with map=dev it lives on the device; and one
 * device compared across architectures ({@code --compare arch=...}), each with its own granule, VA
 * size and default RAM base.
 */
class PlanCommandTest {
    static final long KIB = 1L << 10;
    static final long MIB = 1L << 20;
    static final long GIB = 1L << 30;
    static final long TIB = 1L << 40;

    @Test
    void plan_x86Devdax1TAlign2M_mapMemShowsTheDeduplicatedMemmap() throws Exception {
        CliRun r = CliRun.of("plan", "--arch", "x86_64", "--device", "1T", "--mode", "devdax", "--align", "2M",
                "--compare", "map=dev,mem", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode configs = new ObjectMapper().readTree(r.out()).get("configs");
        assertThat(configs).hasSize(2);
        JsonNode dev = configs.get(0).get("devices").get(0);
        JsonNode mem = configs.get(1).get("devices").get(0);
        assertThat(configs.get(0).get("config").asText()).isEqualTo("map=dev");
        assertThat(configs.get(1).get("config").asText()).isEqualTo("map=mem");

        long memmapVa = TIB / 4096 * 64; // 16 GiB of struct pages
        assertThat(dev.get("memmap_ram_bytes").asLong()).isZero();
        assertThat(dev.get("memmap_device_bytes").asLong()).isEqualTo(memmapVa);
        // 2 of the 8 memmap pages of each 2 MiB compound page stay in RAM
        long dedup = TIB / (2 * MIB) * 2 * 4096;
        assertThat(dedup).isEqualTo(memmapVa / 4).isEqualTo(4 * GIB);
        assertThat(mem.get("memmap_ram_bytes").asLong()).isEqualTo(dedup);
        assertThat(mem.get("memmap_device_bytes").asLong()).isZero();
        // all of it in base pages: one PTE table per 2 MiB of memmap VA
        assertThat(mem.get("pgtable_pages").get("vmemmap").get("PTE").asLong()).isEqualTo(memmapVa / (2 * MIB));
        assertThat(dev.get("pgtable_pages").get("vmemmap").has("PTE")).isFalse();
        assertThat(mem.get("ram_cost_bytes").asLong()).isGreaterThanOrEqualTo(dedup + memmapVa / (2 * MIB) * 4096);
    }

    static JsonNode configs(CliRun r) throws Exception {
        assertThat(r.code()).as(r.err()).isZero();
        return new ObjectMapper().readTree(r.out()).get("configs");
    }

    static Map<String, JsonNode> byLabel(JsonNode configs) {
        Map<String, JsonNode> m = new HashMap<>();
        configs.forEach(c -> m.put(c.get("config").asText(), c));
        return m;
    }

    static JsonNode dev0(JsonNode config) {
        return config.get("devices").get(0);
    }

    /**
     * The namespace's data offset with the driver's default alignment (the 2 MiB PMD on every arch
     * here): ALIGN(8 KiB info block + (map=dev: 64 B per pfn of the space after it), 2 MiB).
     */
    static long dataOffset(long size, long page, boolean mapDev) {
        long memmap = mapDev ? (size - 8192) / page * 64 : 0;
        return (8192 + memmap + 2 * MIB - 1) / (2 * MIB) * (2 * MIB);
    }

    /**
     * One 1 TiB fsdax device on arm64, x86_64, ppc64 (radix) and riscv64, map=dev and map=mem.
     *
     * <pre>
     *   memmap = 1 TiB / page size * 64 B:  4K pages 16 GiB,  ppc64 64K pages 1 GiB
     *   map=mem: all of it in RAM;  map=dev: on the device, except ppc64's last 64 KiB memmap page
     *   (altmap_cross_boundary with the inclusive end_pfn, see Ppc64KernelTest)
     *   riscv64 Sv39 (its default): the linear map reaches 132 GiB from the DRAM base, so 1 TiB is
     *   refused; riscv64:48 (Sv48) takes it
     * </pre>
     */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class CompareArch1T {
        static final long SIZE = TIB;
        Map<String, JsonNode> c;

        @BeforeAll
        void run() throws Exception {
            c = byLabel(configs(CliRun.of("plan", "--device", "1T", "--mode", "fsdax",
                    "--compare", "arch=arm64,x86_64,ppc64,riscv64,riscv64:48", "map=dev,mem", "--json")));
            assertThat(c).hasSize(10);
        }

        @Test
        void plan_eachArchHasItsDefaultsAndTheSameDevice() {
            Object[][] want = {
                {"arm64", "4K", 48, "64G@0x40000000"}, {"x86_64", "4K", 48, "64G@0x0"},
                {"ppc64", "64K", 52, "64G@0x0"}, {"riscv64", "4K", 39, "64G@0x80000000"},
                {"riscv64:48", "4K", 48, "64G@0x80000000"}};
            // max(4 GiB, 1 TiB / 16) = 64 GiB of RAM; the device at 128 GiB, above RAM on every arch
            assertThat(Math.max(4 * GIB, SIZE / 16)).isEqualTo(64 * GIB);
            for (Object[] w : want) {
                for (String map : new String[] {"dev", "mem"}) {
                    JsonNode cfg = c.get("arch=" + w[0] + " map=" + map);
                    assertThat(cfg.get("arch").asText()).isEqualTo(((String) w[0]).replace(":48", ""));
                    assertThat(cfg.get("granule").asText()).isEqualTo(w[1]);
                    assertThat(cfg.get("va_bits").asInt()).isEqualTo(w[2]);
                    assertThat(cfg.get("ram").asText()).isEqualTo(w[3]);
                    assertThat(cfg.get("ram_default").asBoolean()).isTrue();
                    assertThat(dev0(cfg).get("start").asText()).isEqualTo("0x" + Long.toHexString(128 * GIB));
                }
            }
        }

        @Test
        void plan_4kArches_memmapOfSixteenGibibytesInRamOrOnTheDevice() {
            long memmap = SIZE / 4096 * 64;
            assertThat(memmap).isEqualTo(16 * GIB);
            for (String arch : new String[] {"arm64", "x86_64", "riscv64:48"}) {
                JsonNode dev = dev0(c.get("arch=" + arch + " map=dev"));
                JsonNode mem = dev0(c.get("arch=" + arch + " map=mem"));
                assertThat(dev.get("result").asText()).as(arch).isEqualTo("ok");
                assertThat(mem.get("result").asText()).as(arch).isEqualTo("ok");
                assertThat(dev.get("memmap_device_bytes").asLong()).as(arch).isEqualTo(memmap);
                assertThat(dev.get("memmap_ram_bytes").asLong()).as(arch).isZero();
                assertThat(dev.get("memmap_location").asText()).as(arch).isEqualTo("device (altmap)");
                assertThat(mem.get("memmap_ram_bytes").asLong()).as(arch).isEqualTo(memmap);
                assertThat(mem.get("memmap_device_bytes").asLong()).as(arch).isZero();
                assertThat(mem.get("memmap_location").asText()).as(arch).isEqualTo("RAM");
                // 1 TiB - ALIGN(8 KiB + 16 GiB - 128 B, 2 MiB) = 1008 GiB - 2 MiB; map=mem: 1 TiB - 2 MiB
                assertThat(dev.get("usable_bytes").asLong()).as(arch)
                        .isEqualTo(SIZE - dataOffset(SIZE, 4096, true)).isEqualTo(1008 * GIB - 2 * MIB);
                assertThat(mem.get("usable_bytes").asLong()).as(arch).isEqualTo(SIZE - 2 * MIB);
                // the same page tables either way: map=mem costs exactly the memmap more RAM
                assertThat(mem.get("ram_cost_bytes").asLong() - dev.get("ram_cost_bytes").asLong()).as(arch)
                        .isEqualTo(memmap);
                // map=dev: every struct page in one altmap pfn: 16 GiB / 4 KiB
                assertThat(dev.get("altmap").get("alloc").asLong()).as(arch).isEqualTo(memmap / 4096);
            }
        }

        @Test
        void plan_vmemmapInPmdLeaves_oneTablePerGibibyteOfMemmap() {
            // 16 GiB of memmap in 2 MiB PMD leaves: one PMD table per GiB of vmemmap VA it touches.
            // x86_64 indexes the vmemmap from pfn 0: the device's memmap is [2 GiB, 18 GiB) in, 16 tables;
            // riscv64 from phys_ram_base (2 GiB): (128 - 2) GiB / 4 KiB * 64 B = 2016 MiB in, 17 tables
            long[] startMiB = {128L * 1024 / 4 * 64 / 1024, 126L * 1024 / 4 * 64 / 1024};
            String[] arches = {"x86_64", "riscv64:48"};
            for (int i = 0; i < 2; i++) {
                long s = startMiB[i];
                long e = s + 16 * 1024;
                long tables = (e + 1023) / 1024 - s / 1024;
                JsonNode pt = dev0(c.get("arch=" + arches[i] + " map=dev")).get("pgtable_pages").get("vmemmap");
                assertThat(pt.has("PTE")).as(arches[i]).isFalse();
                assertThat(pt.get("PMD").asLong()).as(arches[i]).isEqualTo(tables).isEqualTo(16L + i);
            }
            // arm64 rodata_full=1 maps the device linearly at page granularity: 1 TiB / 2 MiB PTE tables
            JsonNode lin = dev0(c.get("arch=arm64 map=dev")).get("pgtable_pages").get("linear");
            assertThat(lin.get("PTE").asLong()).isEqualTo(SIZE / (2 * MIB));
        }

        @Test
        void plan_ppc64_oneGibibyteOfMemmap_lastPageInRam() {
            long page = 64 * KIB;
            long memmap = SIZE / page * 64;
            assertThat(memmap).isEqualTo(GIB);
            JsonNode dev = dev0(c.get("arch=ppc64 map=dev"));
            JsonNode mem = dev0(c.get("arch=ppc64 map=mem"));
            assertThat(dev.get("memmap_device_bytes").asLong()).isEqualTo(memmap - page);
            assertThat(dev.get("memmap_ram_bytes").asLong()).isEqualTo(page);
            assertThat(dev.get("memmap_location").asText()).isEqualTo("device + 64.00 KiB in RAM");
            assertThat(mem.get("memmap_ram_bytes").asLong()).isEqualTo(memmap);
            assertThat(mem.get("memmap_device_bytes").asLong()).isZero();
            // 1 TiB - ALIGN(8 KiB + 64 B * (16 Mi - 1) pfns, 2 MiB) = 1023 GiB - 2 MiB
            assertThat(dev.get("usable_bytes").asLong()).isEqualTo(SIZE - dataOffset(SIZE, page, true))
                    .isEqualTo(1023 * GIB - 2 * MIB);
            assertThat(mem.get("usable_bytes").asLong()).isEqualTo(SIZE - 2 * MIB);
        }

        @Test
        void plan_riscv64Sv39_deviceBeyondTheLinearMapIsRefused() {
            // [phys_ram_base, + (KASAN_SHADOW_START - PAGE_OFFSET_L3)) = 2 GiB + 132 GiB
            long end = 0x8000_0000L + (0xfffffff700000000L - 0xffffffd600000000L);
            assertThat(end).isEqualTo(134 * GIB);
            for (String map : new String[] {"dev", "mem"}) {
                JsonNode cfg = c.get("arch=riscv64 map=" + map);
                assertThat(cfg.get("pluggable_range").asText()).isEqualTo("[0x80000000-0x" + Long.toHexString(end - 1) + "]");
                assertThat(dev0(cfg).get("result").asText()).isEqualTo("-EINVAL");
                assertThat(dev0(cfg).get("reason").asText()).startsWith("pagemap_range: ").contains("hot-pluggable range");
                assertThat(dev0(cfg).get("memmap_ram_bytes").asLong()).isZero();
                assertThat(cfg.get("ram_cost_bytes").asLong()).isZero();
            }
        }
    }

    @Test
    void plan_riscv64Sv39_deviceThatFitsIsPlacedJustAboveRam() throws Exception {
        Map<String, JsonNode> c = byLabel(configs(CliRun.of("plan", "--device", "64G", "--compare",
                "arch=riscv64,arm64", "--json")));
        // RAM 4G@2G ends at 6 GiB; from 128 GiB the device would end past the 134 GiB linear-map end
        JsonNode rv = c.get("arch=riscv64");
        assertThat(rv.get("ram").asText()).isEqualTo("4G@0x80000000");
        assertThat(dev0(rv).get("start").asText()).isEqualTo("0x" + Long.toHexString(6 * GIB));
        assertThat(dev0(rv).get("result").asText()).isEqualTo("ok");
        assertThat(dev0(rv).get("memmap_device_bytes").asLong()).isEqualTo(64 * GIB / 4096 * 64);
        // arm64's linear map reaches far past 128 GiB: the usual place
        assertThat(dev0(c.get("arch=arm64")).get("start").asText()).isEqualTo("0x" + Long.toHexString(128 * GIB));
    }

    @Test
    void plan_kernel59_riscvWithoutZoneDevice_x86AndPpc64NotModelled() throws Exception {
        Map<String, JsonNode> c = byLabel(configs(CliRun.of("plan", "--kernel", "5.9", "--device", "64G",
                "--compare", "arch=arm64,x86_64,ppc64,riscv64", "--json")));
        JsonNode rv = dev0(c.get("arch=riscv64"));
        assertThat(rv.get("result").asText()).isEqualTo("-ENXIO");
        assertThat(rv.get("reason").asText()).isEqualTo(
                "devm_memremap_pages: CONFIG_ZONE_DEVICE not available on riscv64 before 6.11 (kernel 5.9)");
        assertThat(rv.get("memmap_ram_bytes").asLong()).isZero();
        assertThat(dev0(c.get("arch=arm64")).get("result").asText()).isEqualTo("ok");
        assertThat(dev0(c.get("arch=arm64")).get("memmap_device_bytes").asLong()).isEqualTo(64 * GIB / 4096 * 64);
        for (String arch : new String[] {"x86_64", "ppc64"}) {
            assertThat(dev0(c.get("arch=" + arch)).get("result").asText()).isEqualTo("invalid");
            assertThat(dev0(c.get("arch=" + arch)).get("reason").asText()).contains("kernel 5.9 is not modelled for " + arch);
        }
    }

    @Test
    void plan_ia64_noZoneDevice_and_removedFromMainline() throws Exception {
        Map<String, JsonNode> c = byLabel(configs(CliRun.of("plan", "--device", "64G",
                "--compare", "arch=ia64,x86_64", "kernel=6.1,mainline", "--json")));
        JsonNode ia = c.get("arch=ia64 kernel=6.1");
        assertThat(ia.get("granule").asText()).isEqualTo("16K");
        assertThat(ia.get("ram").asText()).isEqualTo("4G@0x0");
        assertThat(dev0(ia).get("result").asText()).isEqualTo("-ENXIO");
        assertThat(dev0(ia).get("reason").asText()).isEqualTo(
                "devm_memremap_pages: CONFIG_ZONE_DEVICE not available on ia64 (no ARCH_HAS_PTE_DEVMAP)");
        assertThat(dev0(c.get("arch=ia64 kernel=mainline")).get("result").asText()).isEqualTo("invalid");
        assertThat(dev0(c.get("arch=ia64 kernel=mainline")).get("reason").asText()).contains("removed in v6.7");
        assertThat(dev0(c.get("arch=x86_64 kernel=6.1")).get("result").asText()).isEqualTo("ok");
    }

    @Test
    void plan_arm64Kernel58_altmapIgnoredMemmapInRam() throws Exception {
        Map<String, JsonNode> c = byLabel(configs(CliRun.of("plan", "--kernel", "5.8", "--device", "64G",
                "--mode", "fsdax", "--compare", "arch=arm64", "map=dev", "--json")));
        JsonNode d = dev0(c.get("arch=arm64 map=dev"));
        // arm64 vmemmap_populate takes the altmap from 5.9: on 5.8 all 1 GiB of memmap comes from RAM
        assertThat(d.get("memmap_ram_bytes").asLong()).isEqualTo(64 * GIB / 4096 * 64);
        assertThat(d.get("memmap_device_bytes").asLong()).isZero();
        assertThat(d.get("memmap_location").asText()).isEqualTo("RAM (altmap not used)");
        // the driver still reserves the memmap space on the device
        assertThat(d.get("usable_bytes").asLong()).isEqualTo(64 * GIB - dataOffset(64 * GIB, 4096, true));
    }

    @Test
    void plan_granuleInvalidForOneArch_rowShowsTheReason() {
        CliRun r = CliRun.of("plan", "--device", "64G", "--compare", "arch=arm64,x86_64", "granule=16K");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("granule 16K").contains("invalid").contains("memmap lives in");
        // every configuration impossible: a user mistake
        CliRun all = CliRun.of("plan", "--device", "64G", "--compare", "arch=x86_64,riscv64", "granule=16K");
        assertThat(all.code()).isEqualTo(2);
        assertThat(all.errLines()).hasSize(1);
    }

    @Test
    void plan_csvAndTextCarryTheArch() {
        CliRun csv = CliRun.of("plan", "--device", "64G", "--compare", "arch=x86_64,ppc64", "--csv");
        assertThat(csv.code()).as(csv.err()).isZero();
        var lines = csv.out().lines().toList();
        assertThat(lines.get(0)).startsWith("config,arch,granule,va_bits,kernel,ram,device,");
        assertThat(lines.get(1)).startsWith("arch=x86_64,x86_64,4K,48,mainline,4G@0x0,0,");
        assertThat(lines.get(2)).startsWith("arch=ppc64,ppc64,64K,52,mainline,4G@0x0,0,");
        CliRun text = CliRun.of("plan", "--device", "64G", "--compare", "arch=riscv64");
        assertThat(text.out()).contains("4G@0x80000000 (default for riscv64)").contains("hot-pluggable range")
                .contains("device (altmap)");
    }
}
