package org.vmemsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * {@code vmemsim plan} on x86_64 devdax namespaces: with map=mem and 2 MiB alignment the memmap is
 * deduplicated (vmemmap_populate_compound_pages), with map=dev it lives on the device.
 */
class PlanCommandTest {
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
}
