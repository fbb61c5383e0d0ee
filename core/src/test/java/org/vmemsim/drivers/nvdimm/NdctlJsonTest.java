package org.vmemsim.drivers.nvdimm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vmemsim.drivers.nvdimm.PfnDevsTest.NS_START;
import static org.vmemsim.drivers.nvdimm.PfnDevsTest.geo;
import static org.vmemsim.util.Sz.SZ_1M;
import static org.vmemsim.util.Sz.SZ_2M;
import static org.vmemsim.util.Sz.SZ_4G;
import static org.vmemsim.util.Sz.SZ_512M;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vmemsim.arch.Geometry;
import org.vmemsim.arch.Granule;
import org.vmemsim.arch.KernelProfile;
import org.vmemsim.util.Dmesg;

/** ndctl's JSON for fsdax/devdax namespaces ({@code util_namespace_to_json}, {@code display_size}). */
class NdctlJsonTest {
    static final long PUBLIC_DEVDAX_SIZE = 4_225_761_280L; // 4 GiB devdax, map=dev, align 2M

    static NdPfn enabled(Geometry g, NdPfn nd) {
        assertThat(PfnDevs.ndPfnInit(g, nd, new Dmesg())).isZero();
        return nd;
    }

    /** Two decimals, half up: what ndctl's centi-unit integer arithmetic amounts to. */
    static String twoDecimals(long bytes, long unit) {
        return new BigDecimal(bytes).divide(new BigDecimal(unit), 2, RoundingMode.HALF_UP).toPlainString();
    }

    @Nested
    class DisplaySize {
        @Test
        void displaySize_publicExamples() {
            // "ndctl create-namespace" outputs quoted in pmem/ndctl issues #28 and #76
            assertThat(NdctlJson.displaySize(62 * SZ_1M)).isEqualTo("62.00 MiB (65.01 MB)");
            assertThat(NdctlJson.displaySize(248L << 30)).isEqualTo("248.00 GiB (266.29 GB)");
            assertThat(NdctlJson.displaySize(SZ_4G)).isEqualTo("4.00 GiB (4.29 GB)");
        }

        @ParameterizedTest
        @ValueSource(longs = {5_120_000L, 18_874_368L, 2_145_386_496L, 2_147_483_648L, 4_225_761_280L,
                              4_292_870_144L, 17_179_869_184L, 1_099_511_627_776L})
        void displaySize_roundsHalfUpInBothUnits(long bytes) {
            boolean mib = bytes < (2L << 30);
            String want = twoDecimals(bytes, mib ? 1L << 20 : 1L << 30) + (mib ? " MiB (" : " GiB (")
                    + twoDecimals(bytes, mib ? 1_000_000L : 1_000_000_000L) + (mib ? " MB)" : " GB)");
            assertThat(NdctlJson.displaySize(bytes)).isEqualTo(want);
        }

        @Test
        void utilJsonObjectSize_smallSizesStayNumbers() {
            assertThat(NdctlJson.utilJsonObjectSize(SZ_2M, true)).isEqualTo(SZ_2M);
            assertThat(NdctlJson.utilJsonObjectSize(5000L * 1024 - 1, true)).isEqualTo(5000L * 1024 - 1);
            assertThat(NdctlJson.utilJsonObjectSize(5000L * 1024, true)).isEqualTo("4.88 MiB (5.12 MB)"); // 5,120,000 B
            assertThat(NdctlJson.utilJsonObjectSize(SZ_4G, false)).isEqualTo(SZ_4G);
        }
    }

    @Nested
    class UtilNamespaceToJson {
        @Test
        void utilNamespaceToJson_devdaxMapDev_publicFigure() {
            Geometry g = geo(Granule.G4K, KernelProfile.V6_1);
            NdPfn nd = enabled(g, NdPfn.devdax(0, 0, NS_START, SZ_4G, PfnMode.PMEM, SZ_2M));
            Map<String, Object> j = NdctlJson.utilNamespaceToJson(g, nd, 0, false);
            assertThat(j.keySet()).containsExactly("dev", "mode", "map", "size", "uuid", "daxregion", "align");
            assertThat(j).containsEntry("dev", "namespace0.0").containsEntry("mode", "devdax")
                    .containsEntry("map", "dev").containsEntry("size", PUBLIC_DEVDAX_SIZE)
                    .containsEntry("align", SZ_2M);
            @SuppressWarnings("unchecked")
            Map<String, Object> region = (Map<String, Object>) j.get("daxregion");
            assertThat(region.keySet()).containsExactly("id", "size", "align", "devices");
            assertThat(region).containsEntry("id", 0).containsEntry("size", PUBLIC_DEVDAX_SIZE)
                    .containsEntry("align", SZ_2M);
            @SuppressWarnings("unchecked")
            Map<String, Object> dev = (Map<String, Object>) ((List<Object>) region.get("devices")).get(0);
            assertThat(dev.keySet()).containsExactly("chardev", "size", "target_node", "align", "mode");
            assertThat(dev).containsEntry("chardev", "dax0.0").containsEntry("size", PUBLIC_DEVDAX_SIZE)
                    .containsEntry("target_node", 0).containsEntry("align", SZ_2M).containsEntry("mode", "devdax");
        }

        @Test
        void utilNamespaceToJson_devdaxBefore510_hasNoDeviceAlign() {
            Geometry g = geo(Granule.G4K, KernelProfile.V5_9);
            NdPfn nd = enabled(g, NdPfn.devdax(0, 0, NS_START, SZ_4G, PfnMode.RAM, SZ_2M));
            @SuppressWarnings("unchecked")
            Map<String, Object> region = (Map<String, Object>) NdctlJson.utilNamespaceToJson(g, nd, -1, false)
                    .get("daxregion");
            @SuppressWarnings("unchecked")
            Map<String, Object> dev = (Map<String, Object>) ((List<Object>) region.get("devices")).get(0);
            assertThat(dev.keySet()).containsExactly("chardev", "size", "mode");
            assertThat(dev).containsEntry("size", SZ_4G - SZ_2M);
        }

        @Test
        void utilNamespaceToJson_fsdaxMapMem() {
            Geometry g = geo(Granule.G4K);
            NdPfn nd = enabled(g, NdPfn.fsdax(0, 1, NS_START, SZ_4G, PfnMode.RAM, SZ_2M));
            Map<String, Object> j = NdctlJson.utilNamespaceToJson(g, nd, 0, false);
            assertThat(j.keySet()).containsExactly("dev", "mode", "map", "size", "uuid", "sector_size", "align",
                    "blockdev");
            assertThat(j).containsEntry("dev", "namespace0.1").containsEntry("mode", "fsdax")
                    .containsEntry("map", "mem").containsEntry("size", 4_292_870_144L)
                    .containsEntry("sector_size", 512).containsEntry("blockdev", "pmem0.1");
        }

        @Test
        void utilNamespaceToJson_humanSizes() {
            Geometry g = geo(Granule.G64K, KernelProfile.MAINLINE);
            NdPfn nd = enabled(g, NdPfn.devdax(0, 0, NS_START, SZ_4G, PfnMode.PMEM, SZ_512M));
            Map<String, Object> j = NdctlJson.utilNamespaceToJson(g, nd, 0, true);
            String size = NdctlJson.displaySize(SZ_4G - SZ_512M);
            assertThat(size).isEqualTo("3.50 GiB (3.76 GB)");
            assertThat(j).containsEntry("size", size).containsEntry("align", SZ_512M);
            @SuppressWarnings("unchecked")
            Map<String, Object> region = (Map<String, Object>) j.get("daxregion");
            assertThat(region).containsEntry("size", size).containsEntry("align", SZ_512M);
            @SuppressWarnings("unchecked")
            Map<String, Object> dev = (Map<String, Object>) ((List<Object>) region.get("devices")).get(0);
            // the device align goes through util_json_object_size, the region align does not
            assertThat(dev).containsEntry("align", "512.00 MiB (536.87 MB)");
        }

        @Test
        void utilNamespaceToJson_zeroSizedDevdaxListsNoDevices() {
            // 6.1 accepts a device with 0 data pages (see PfnDevsInitTest.Profiles)
            Geometry g = geo(Granule.G64K, KernelProfile.V6_1);
            NdPfn nd = enabled(g, NdPfn.devdax(1, 0, NS_START, 600 * SZ_1M, PfnMode.PMEM, SZ_512M));
            Map<String, Object> j = NdctlJson.utilNamespaceToJson(g, nd, 0, true);
            assertThat(j).containsEntry("size", 0L);
            @SuppressWarnings("unchecked")
            Map<String, Object> region = (Map<String, Object>) j.get("daxregion");
            assertThat(region.keySet()).containsExactly("id", "size", "align");
            assertThat(region).containsEntry("id", 1);
        }

        @Test
        void utilNamespaceToJson_disabledDeviceHasNoSize() {
            Geometry g = geo(Granule.G4K);
            NdPfn nd = NdPfn.devdax(0, 0, NS_START, SZ_4G, PfnMode.PMEM, SZ_2M);
            Map<String, Object> j = NdctlJson.utilNamespaceToJson(g, nd, 0, false);
            assertThat(j.keySet()).containsExactly("dev", "mode", "map", "uuid", "align", "state");
            assertThat(j).containsEntry("state", "disabled");
        }

        @Test
        void uuid_isNameBasedAndStable() {
            NdPfn a = NdPfn.devdax(0, 0, NS_START, SZ_4G, PfnMode.PMEM, SZ_2M);
            NdPfn b = NdPfn.devdax(0, 0, NS_START + SZ_4G, SZ_4G, PfnMode.RAM, SZ_2M);
            assertThat(a.uuid).isEqualTo(b.uuid).isEqualTo(NdPfn.nameUuid("vmemsim:namespace0.0:dax0.0"));
            assertThat(a.uuid.version()).isEqualTo(3);
            assertThat(NdPfn.fsdax(0, 0, NS_START, SZ_4G, PfnMode.PMEM, SZ_2M).uuid).isNotEqualTo(a.uuid);
        }
    }

    @Test
    void render_looksLikeJsonCPretty() {
        Geometry g = geo(Granule.G4K, KernelProfile.V6_1);
        NdPfn nd = enabled(g, NdPfn.devdax(0, 0, NS_START, SZ_4G, PfnMode.PMEM, SZ_2M));
        String text = NdctlJson.render(NdctlJson.utilNamespaceToJson(g, nd, 0, true));
        assertThat(text).isEqualTo("{\n"
                + "  \"dev\":\"namespace0.0\",\n"
                + "  \"mode\":\"devdax\",\n"
                + "  \"map\":\"dev\",\n"
                + "  \"size\":\"3.94 GiB (4.23 GB)\",\n"
                + "  \"uuid\":\"" + nd.uuid + "\",\n"
                + "  \"daxregion\":{\n"
                + "    \"id\":0,\n"
                + "    \"size\":\"3.94 GiB (4.23 GB)\",\n"
                + "    \"align\":2097152,\n"
                + "    \"devices\":[\n"
                + "      {\n"
                + "        \"chardev\":\"dax0.0\",\n"
                + "        \"size\":\"3.94 GiB (4.23 GB)\",\n"
                + "        \"target_node\":0,\n"
                + "        \"align\":2097152,\n"
                + "        \"mode\":\"devdax\"\n"
                + "      }\n"
                + "    ]\n"
                + "  },\n"
                + "  \"align\":2097152\n"
                + "}");
        assertThat(NdctlJson.render(Map.of("path", "/platform/ACPI0012:00"))).isEqualTo(
                "{\n  \"path\":\"\\/platform\\/ACPI0012:00\"\n}");
    }
}
