package org.vmemsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * {@code vmemsim ndctl create-namespace}: the public pmem figures. A 4 GiB devdax namespace with
 * map=dev and 2 MiB alignment reports 4225761280 bytes: the memmap of 4 GiB of 4K pages is 64 MiB,
 * plus the 8 KiB info block rounded up to 2 MiB gives a 66 MiB data offset; 4096 - 66 = 4030 MiB.
 */
class NdctlCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode run(String... args) throws Exception {
        CliRun r = CliRun.of(args);
        assertThat(r.code()).as(r.err()).isZero();
        return JSON.readTree(r.out());
    }

    @Test
    void createNamespace_devdaxMapDev4G_reportsPublicSize() throws Exception {
        JsonNode j = run("ndctl", "create-namespace", "--size", "4G", "--mode", "devdax", "--map", "dev", "--align", "2M");
        long memmap = (4L << 30) / 4096 * 64; // 64 MiB
        long dataoff = ((8192 + memmap - 128 + (2L << 20) - 1) / (2L << 20)) * (2L << 20); // ALIGN(8K + 64*npfns, 2M)
        assertThat(dataoff).isEqualTo(66L << 20);
        assertThat(j.get("size").asLong()).isEqualTo(4225761280L).isEqualTo((4L << 30) - dataoff);
        assertThat(j.get("mode").asText()).isEqualTo("devdax");
        assertThat(j.get("map").asText()).isEqualTo("dev");
        JsonNode v = j.get("vmemsim");
        assertThat(v.get("memmap_on_device_bytes").asLong()).isEqualTo(memmap);
        // reserve 2 pfns (8 KiB info block), free = dataoff/4K - 2; alloc = memmap pages; align = 512 - 2
        assertThat(v.get("altmap").get("reserve").asLong()).isEqualTo(2);
        assertThat(v.get("altmap").get("free").asLong()).isEqualTo(dataoff / 4096 - 2);
        assertThat(v.get("altmap").get("alloc").asLong()).isEqualTo(memmap / 4096);
        assertThat(v.get("altmap").get("align").asLong()).isEqualTo(510);
    }

    @Test
    void createNamespace_mapMem_costs64MiBOfRamPlusTables() throws Exception {
        JsonNode j = run("ndctl", "create-namespace", "--size", "4G", "--mode", "devdax", "--map", "mem", "--align", "2M");
        assertThat(j.get("size").asLong()).isEqualTo((4L << 30) - (2L << 20));
        JsonNode v = j.get("vmemsim");
        long tables = v.get("pgtable_pages_vmemmap").asLong() + v.get("pgtable_pages_linear").asLong();
        // mainline 4K: vmemmap VA of pfn 0x2000000 lands in an empty PGD slot: PUD + PMD table, plus the PMD
        // table of the second PUD entry (4 GiB = 32 sections = 32 blocks from PMD 504: 8 + 24); linear map
        // (rodata_full): one PMD table per GiB + 512 PTE tables per GiB.
        assertThat(v.get("pgtable_pages_vmemmap").asLong()).isEqualTo(3);
        assertThat(v.get("pgtable_pages_linear").asLong()).isEqualTo(4 + 4 * 512);
        assertThat(v.get("ram_cost_bytes").asLong()).isEqualTo((64L << 20) + tables * 4096);
    }

    @Test
    void createNamespace_badMap_isOneLineExit2() {
        CliRun r = CliRun.of("ndctl", "create-namespace", "--size", "4G", "--map", "disk");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.errLines()).hasSize(1).first().asString().contains("disk");
    }
}
