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
 * the progress bar only on a terminal, and charts that are real PNG and SVG files.
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
    void sweep_badList_isAUsageError() {
        CliRun r = CliRun.of("sweep", "--maps", "dev,disk");
        assertThat(r.code()).isEqualTo(ExitCode.USAGE.code);
        assertThat(r.err()).contains("map 'disk' must be dev or mem");
    }
}
