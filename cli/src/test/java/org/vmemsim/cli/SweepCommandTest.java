package org.vmemsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vmemsim sweep}: a 24-point grid (1, 2, 4, 8 GiB x 4K/16K/64K x map=dev/mem) whose CSV
 * figures follow the closed forms of the pfn device layout, byte-identical output from run to run,
 * the progress bar only on a terminal, and charts that are real PNG and SVG files; a grid over
 * arm64, x86_64 and ppc64, each on its own page sizes.
 */
class SweepCommandTest {
    private static final String[] SMALL = {"sweep", "--sizes", "1G..8G", "--granules", "4K,16K,64K", "--maps", "dev,mem"};

    private static String[] args(String... more) {
        List<String> a = new ArrayList<>(List.of(SMALL));
        a.addAll(List.of(more));
        return a.toArray(new String[0]);
    }

    /** The CSV as rows of column name to cell. */
    private static List<Map<String, String>> parseCsv(String csv) {
        List<String> lines = csv.lines().toList();
        String[] head = lines.get(0).split(",", -1);
        List<Map<String, String>> rows = new ArrayList<>();
        for (String l : lines.subList(1, lines.size())) {
            String[] cells = l.split(",", -1);
            assertThat(cells).hasSameSizeAs(head);
            Map<String, String> m = new HashMap<>();
            for (int i = 0; i < head.length; i++) {
                m.put(head[i], cells[i]);
            }
            rows.add(m);
        }
        return rows;
    }

    @Test
    void sweep_smallGrid_csvMatchesClosedForms() {
        CliRun r = CliRun.of(args("--csv"));
        assertThat(r.code()).as(r.err()).isZero();
        List<Map<String, String>> rows = parseCsv(r.out());
        assertThat(rows).hasSize(24);
        int i = 0;
        for (String granule : List.of("4K", "16K", "64K")) {
            long page = Long.parseLong(granule.replace("K", "")) * 1024;
            long pmd = page * (page / 8); // the driver's default alignment: 2M, 32M, 512M
            for (String map : List.of("dev", "mem")) {
                for (int gib = 1; gib <= 8; gib *= 2) {
                    Map<String, String> row = rows.get(i);
                    long size = (long) gib << 30;
                    assertThat(row.get("index")).isEqualTo(Integer.toString(i));
                    assertThat(row.get("granule")).isEqualTo(granule);
                    assertThat(row.get("map")).isEqualTo(map);
                    assertThat(Long.parseLong(row.get("size_bytes"))).isEqualTo(size);
                    assertThat(Long.parseLong(row.get("ram_bytes"))).isEqualTo(4L << 30); // max(4G, size/16)
                    assertThat(row.get("result")).isEqualTo("ok");
                    long memmap = size / page * 64;
                    // info block 8 KiB; with map=dev the memmap of the pages above it follows, then ALIGN to the PMD
                    long dataoff = map.equals("dev")
                            ? (8192 + 64 * ((size - 8192) / page) + pmd - 1) / pmd * pmd
                            : (8192 + pmd - 1) / pmd * pmd;
                    assertThat(Long.parseLong(row.get("data_offset_bytes"))).isEqualTo(dataoff);
                    assertThat(Long.parseLong(row.get("usable_bytes"))).isEqualTo(size - dataoff);
                    assertThat(Long.parseLong(row.get("memmap_device_bytes"))).isEqualTo(map.equals("dev") ? memmap : 0);
                    assertThat(Long.parseLong(row.get("memmap_ram_bytes"))).isEqualTo(map.equals("mem") ? memmap : 0);
                    if (map.equals("dev")) {
                        assertThat(Long.parseLong(row.get("altmap_alloc_pages"))).isEqualTo(memmap / page);
                    } else {
                        assertThat(row.get("altmap_alloc_pages")).isEmpty();
                    }
                    // RAM cost = page tables (+ the memmap with map=mem)
                    long ramCost = Long.parseLong(row.get("ram_cost_bytes"));
                    long tables = Long.parseLong(row.get("pgtable_bytes"));
                    assertThat(ramCost).isEqualTo(tables + (map.equals("mem") ? memmap : 0));
                    i++;
                }
            }
        }
    }

    @Test
    void sweep_twoRuns_identicalCsvJsonAndStdout(@TempDir Path tmp) throws Exception {
        CliRun a = CliRun.of(args("--out", tmp.resolve("a").toString(), "--no-charts"));
        CliRun b = CliRun.of(args("--out", tmp.resolve("b").toString(), "--no-charts", "--threads", "1"));
        assertThat(a.code()).as(a.err()).isZero();
        assertThat(b.code()).as(b.err()).isZero();
        for (String f : List.of("sweep.csv", "sweep.json")) {
            assertThat(Files.readAllBytes(tmp.resolve("a").resolve(f))).as(f)
                    .isEqualTo(Files.readAllBytes(tmp.resolve("b").resolve(f)));
        }
        assertThat(a.out().replace(tmp.resolve("a").toString(), "DIR"))
                .isEqualTo(b.out().replace(tmp.resolve("b").toString(), "DIR"));
        JsonNode j = new ObjectMapper().readTree(tmp.resolve("a").resolve("sweep.json").toFile());
        assertThat(j.get("points")).hasSize(24);
        assertThat(j.get("grid").get("granules").toString()).isEqualTo("[\"4K\",\"16K\",\"64K\"]");
        assertThat(j.get("points").get(0).get("pgtable_pages_by_level").get("total").asLong())
                .isEqualTo(j.get("points").get(0).get("pgtable_pages").asLong());
    }

    @Test
    void sweep_notATerminal_noProgressAnywhere() {
        PrintStream realErr = System.err;
        ByteArrayOutputStream direct = new ByteArrayOutputStream();
        BooleanSupplier saved = SweepCommand.terminal;
        try {
            System.setErr(new PrintStream(direct, true, StandardCharsets.UTF_8));
            SweepCommand.terminal = () -> false;
            CliRun r = CliRun.of(args());
            assertThat(r.code()).as(r.err()).isZero();
            // stdout: the summary only; stderr: the one timing line; nothing on the process's stderr
            assertThat(r.out()).startsWith("vmemsim sweep: 24 points in 6 series").doesNotContain("%");
            assertThat(r.errLines()).singleElement().asString().matches("vmemsim sweep: 24 points in [0-9.]+ s on \\d threads?");
            assertThat(direct.toString(StandardCharsets.UTF_8)).isEmpty();
        } finally {
            SweepCommand.terminal = saved;
            System.setErr(realErr);
        }
    }

    @Test
    void sweep_onATerminal_drawsTheProgressBar() {
        PrintStream realErr = System.err;
        ByteArrayOutputStream direct = new ByteArrayOutputStream();
        BooleanSupplier saved = SweepCommand.terminal;
        try {
            System.setErr(new PrintStream(direct, true, StandardCharsets.UTF_8));
            SweepCommand.terminal = () -> true;
            CliRun r = CliRun.of("sweep", "--sizes", "1G,2G", "--granules", "4K", "--maps", "dev");
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(direct.toString(StandardCharsets.UTF_8)).contains("sweep").contains("100%").contains("2/2");
            assertThat(r.out()).doesNotContain("100%");
        } finally {
            SweepCommand.terminal = saved;
            System.setErr(realErr);
        }
    }

    @Test
    void sweep_charts_validPngAndSvg(@TempDir Path tmp) throws Exception {
        CliRun r = CliRun.of(args("--out", tmp.toString()));
        assertThat(r.code()).as(r.err()).isZero();
        for (String chart : List.of("ram-cost", "memmap")) {
            Path png = tmp.resolve(chart + ".png");
            byte[] bytes = Files.readAllBytes(png);
            assertThat(bytes).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G', (byte) 0x0d, (byte) 0x0a);
            BufferedImage img = ImageIO.read(png.toFile());
            assertThat(img.getWidth()).isEqualTo(960);
            assertThat(img.getHeight()).isEqualTo(640);
            Path svg = tmp.resolve(chart + ".svg");
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            var doc = f.newDocumentBuilder().parse(svg.toFile());
            assertThat(doc.getDocumentElement().getNodeName()).isEqualTo("svg");
            // XChart's SVG writer draws text as glyph outlines: check the canvas and the drawing
            assertThat(doc.getDocumentElement().getAttribute("width")).isEqualTo("960px");
            assertThat(doc.getElementsByTagName("path").getLength()).isGreaterThan(10);
            assertThat(r.out()).contains("wrote " + png).contains("wrote " + svg);
        }
    }

    @Test
    void sweep_threeArches_memmapFollowsEachArchsPageSize() {
        CliRun r = CliRun.of("sweep", "--archs", "arm64,x86_64,ppc64", "--sizes", "1G..4G", "--maps", "dev,mem",
                "--kernels", "mainline", "--csv");
        assertThat(r.code()).as(r.err()).isZero();
        List<Map<String, String>> rows = parseCsv(r.out());
        // arm64 4K/16K/64K, x86_64 4K only, ppc64 64K only; x 2 maps x 3 sizes; arch outermost
        String[][] archGranules = {{"arm64", "4K"}, {"arm64", "16K"}, {"arm64", "64K"}, {"x86_64", "4K"}, {"ppc64", "64K"}};
        assertThat(rows).hasSize(archGranules.length * 2 * 3);
        int i = 0;
        for (String[] ag : archGranules) {
            String arch = ag[0];
            long page = Long.parseLong(ag[1].replace("K", "")) * 1024;
            for (String map : List.of("dev", "mem")) {
                for (int gib = 1; gib <= 4; gib *= 2) {
                    Map<String, String> row = rows.get(i);
                    long size = (long) gib << 30;
                    assertThat(row.get("index")).isEqualTo(Integer.toString(i));
                    assertThat(row.get("arch")).isEqualTo(arch);
                    assertThat(row.get("granule")).isEqualTo(ag[1]);
                    assertThat(row.get("series")).isEqualTo(arch + " " + ag[1] + " map=" + map);
                    assertThat(row.get("map")).isEqualTo(map);
                    assertThat(Long.parseLong(row.get("size_bytes"))).isEqualTo(size);
                    assertThat(row.get("result")).as(row.toString()).isEqualTo("ok");
                    // one 64-byte struct page per page: 4K 16 MiB per GiB, 16K 4 MiB, 64K 1 MiB
                    long memmap = size / page * 64;
                    long ram = Long.parseLong(row.get("memmap_ram_bytes"));
                    long dev = Long.parseLong(row.get("memmap_device_bytes"));
                    if (map.equals("mem") && arch.equals("x86_64")) {
                        // devdax at the 2 MiB default alignment: compound pages of 512 pages whose memmap
                        // (8 pages) x86 folds to VMEMMAP_RESERVE_NR = 2 pages (vmemmap_populate_compound_pages)
                        assertThat(ram).isEqualTo(size / (2L << 20) * 2 * 4096);
                        assertThat(dev).isZero();
                    } else if (map.equals("mem") && arch.equals("ppc64")) {
                        // ppc64's 2 MiB compound page needs 32 x 64 B = 2 KiB of memmap, less than one page,
                        // so nothing folds; but radix maps the vmemmap without an altmap in whole 2 MiB PMD
                        // blocks (radix__vmemmap_populate): 1 MiB of memmap per GiB, rounded up to 2 MiB
                        // (the device at 128 GiB starts a block: 2 MiB of vmemmap covers 2 GiB at 64K)
                        long pmd = 2L << 20;
                        assertThat(memmap).isEqualTo((long) gib << 20);
                        assertThat(ram).isEqualTo((memmap + pmd - 1) / pmd * pmd);
                        assertThat(dev).isZero();
                    } else if (map.equals("mem")) {
                        // arm64: no DAX vmemmap optimisation, every memmap page in RAM
                        assertThat(ram).isEqualTo(memmap);
                        assertThat(dev).isZero();
                    } else {
                        // map=dev: the altmap gets the memmap (no folding with an altmap)
                        assertThat(ram + dev).isEqualTo(memmap);
                        assertThat(dev).isPositive();
                    }
                    i++;
                }
            }
        }
        assertThat(rows.get(18).get("va_bits")).isEqualTo("48"); // x86_64 4-level paging
        assertThat(rows.get(24).get("va_bits")).isEqualTo("52"); // ppc64 radix 64K
    }

    @Test
    void sweep_ia64OnMainline_listedAsSkippedWithTheReason() throws Exception {
        CliRun r = CliRun.of("sweep", "--archs", "ia64,arm64", "--sizes", "1G", "--granules", "16K", "--maps", "mem",
                "--kernels", "mainline", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("points")).hasSize(1);
        assertThat(j.get("points").get(0).get("arch").asText()).isEqualTo("arm64");
        assertThat(j.get("points").get(0).get("machine").asText()).contains("RAM 4G@0x40000000 pmem 1G@0x2000000000");
        assertThat(j.get("skipped")).hasSize(1);
        assertThat(j.get("skipped").get(0).asText()).startsWith("ia64 16K map=mem: kernel mainline has no ia64")
                .contains("removed in v6.7");
        assertThat(j.get("grid").get("archs").toString()).isEqualTo("[\"ia64\",\"arm64\"]");
        // ia64 alone on mainline: nothing to run is a usage error naming the reason
        CliRun alone = CliRun.of("sweep", "--archs", "ia64", "--sizes", "1G", "--kernels", "mainline");
        assertThat(alone.code()).isEqualTo(ExitCode.USAGE.code);
        assertThat(alone.err()).contains("no valid point").contains("kernel mainline has no ia64");
        CliRun bad = CliRun.of("sweep", "--archs", "arm64,sparc");
        assertThat(bad.code()).isEqualTo(ExitCode.USAGE.code);
        assertThat(bad.err()).contains("unknown arch 'sparc'");
    }

    @Test
    void sweep_severalArches_chartsShareOneChartWithALinePerArch(@TempDir Path tmp) throws Exception {
        CliRun r = CliRun.of("sweep", "--archs", "arm64,x86_64", "--sizes", "1G,2G", "--granules", "4K", "--maps",
                "mem", "--out", tmp.toString());
        assertThat(r.code()).as(r.err()).isZero();
        // no per-arch chart files: one ram-cost and one memmap chart, each with both arches
        try (var files = Files.list(tmp)) {
            assertThat(files.map(f -> f.getFileName().toString()).sorted().toList()).containsExactly(
                    "memmap.png", "memmap.svg", "ram-cost.png", "ram-cost.svg", "sweep.csv", "sweep.json");
        }
    }

    @Test
    void sweep_badList_isAUsageError() {
        CliRun r = CliRun.of("sweep", "--maps", "dev,disk");
        assertThat(r.code()).isEqualTo(ExitCode.USAGE.code);
        assertThat(r.err()).contains("map 'disk' must be dev or mem");
    }
}
