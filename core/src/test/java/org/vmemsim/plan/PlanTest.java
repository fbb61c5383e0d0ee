package org.vmemsim.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.vmemsim.arch.Granule;
import org.vmemsim.kernel.MachineSpec;
import org.vmemsim.kernel.RamRange;
import org.vmemsim.util.Sz;

/**
 * The capacity answer for one 64 GiB device at 128 GiB on a 16 GiB machine, with rodata=on (block
 * linear map): memmap = 64 bytes per page, on the device for map=dev, in RAM for map=mem.
 */
class PlanTest {
    @SuppressWarnings("unchecked")
    private static Map<String, Object> device(Granule g, String map) {
        MachineSpec spec = MachineSpec.defaults();
        spec.granule = g;
        spec.rodataFull = false;
        spec.ram.clear();
        spec.ram.add(new RamRange(0x4000_0000L, 16 * Sz.SZ_1G, 0));
        Map<String, Object> r = Plan.evaluate(new Plan.Config("t", spec,
                List.of(new Plan.Device(64 * Sz.SZ_1G, -1, map, "devdax", 0))));
        return ((List<Map<String, Object>>) r.get("devices")).get(0);
    }

    @ParameterizedTest
    @CsvSource({"G4K, 4096, 2097152", "G16K, 16384, 33554432", "G64K, 65536, 536870912"})
    void planMapDevVsMem_memmapLocationAndUsableSize(Granule g, long page, long pmdAlign) {
        long size = 64 * Sz.SZ_1G;
        long memmap = size / page * 64;
        Map<String, Object> dev = device(g, "dev");
        Map<String, Object> mem = device(g, "mem");
        assertThat(dev.get("result")).isEqualTo("ok");
        assertThat(mem.get("result")).isEqualTo("ok");
        assertThat(dev.get("memmap_device_bytes")).isEqualTo(memmap);
        assertThat(dev.get("memmap_ram_bytes")).isEqualTo(0L);
        assertThat(mem.get("memmap_ram_bytes")).isEqualTo(memmap);
        assertThat(mem.get("memmap_device_bytes")).isEqualTo(0L);
        // the driver's default alignment is the PMD size: dataoff = ALIGN(8 KiB + 64 * (size - 8K)/page, PMD)
        long upperNpfns = (size - 8192) / page;
        long dataoffDev = ((8192 + 64 * upperNpfns + pmdAlign - 1) / pmdAlign) * pmdAlign;
        long dataoffMem = ((8192 + pmdAlign - 1) / pmdAlign) * pmdAlign;
        assertThat(dev.get("usable_bytes")).isEqualTo(size - dataoffDev);
        assertThat(mem.get("usable_bytes")).isEqualTo(size - dataoffMem);
        // map=mem costs exactly the memmap more RAM than map=dev (same page tables)
        assertThat((long) mem.get("ram_cost_bytes") - (long) dev.get("ram_cost_bytes")).isEqualTo(memmap);
        Map<String, Object> altmap = (Map<String, Object>) dev.get("altmap");
        assertThat(altmap.get("alloc")).isEqualTo(memmap / page);
    }
}
