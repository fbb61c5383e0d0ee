package org.vmemsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RunCommandTest {
    private static final long GIB = 1L << 30;
    private static CliRun defaultJson;

    @TempDir
    static Path dir;

    @BeforeAll
    static void runDefaultOnce() {
        defaultJson = CliRun.of("run", "--json");
    }

    static Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    /** A user mistake: exit 2, exactly one stderr line naming the file and the value, no trace, no stdout. */
    static void assertOneLineUsageError(CliRun r, String... named) {
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.errLines().get(0)).startsWith("vmemsim: ").contains(named).doesNotContain("Exception");
        assertThat(r.err()).doesNotContain("\tat ");
        assertThat(r.out()).isEmpty();
    }

    @Nested
    class DefaultScenario {
        @Test
        void run_jsonIsOneObjectWithSteps() throws Exception {
            assertThat(defaultJson.code()).as(defaultJson.err()).isZero();
            assertThat(defaultJson.err()).isEmpty();
            JsonNode tree = new ObjectMapper().readTree(defaultJson.out());
            assertThat(tree.isObject()).isTrue();
            JsonNode steps = tree.get("steps");
            assertThat(steps.isArray()).isTrue();
            assertThat(steps.size()).isEqualTo(16);
            for (JsonNode s : steps) {
                assertThat(s.get("result").asText()).isEqualTo("ok");
                JsonNode acc = s.get("accounting");
                for (String key : new String[] {"ram_total_bytes", "ram_free_bytes", "memmap_ram_bytes", "memmap_altmap_bytes"}) {
                    assertThat(acc.get(key).isIntegralNumber()).as(key).isTrue();
                }
                assertThat(acc.at("/pgtable_pages/vmemmap").isIntegralNumber()).isTrue();
                assertThat(acc.at("/pgtable_pages/linear").isIntegralNumber()).isTrue();
                assertThat(s.get("warnings").isArray()).isTrue();
            }
            // 4K with an altmap: 64 GiB / 4 KiB x 64 B of memmap / 4 KiB = 262,144 pfns
            JsonNode altmap = steps.get(4).at("/accounting/altmaps/0");
            assertThat(altmap.get("id").asText()).isEqualTo("pmem0");
            assertThat(altmap.get("alloc").asLong()).isEqualTo(64 * GIB / 4096 * 64 / 4096);
            for (String key : new String[] {"base_pfn", "end_pfn", "reserve", "free", "align"}) {
                assertThat(altmap.has(key)).as(key).isTrue();
            }
            // removing everything returns RAM free to the boot figure, in each run
            for (JsonNode run : tree.get("summary").get("ends")) {
                assertThat(run.get("ram_free_bytes_end").asLong()).isEqualTo(run.get("ram_free_bytes_boot").asLong());
            }
            long boot4k = tree.at("/runs/0/boot/accounting/ram_free_bytes").asLong();
            assertThat(steps.get(7).at("/accounting/ram_free_bytes").asLong()).isEqualTo(boot4k);
            // kept after the first removal: the two mem_section roots (roots 4 and 5), named and explained
            JsonNode kept = steps.get(2).at("/kept/items");
            assertThat(kept.size()).isEqualTo(2);
            assertThat(kept.get(0).get("what").asText()).isEqualTo("mem_section root 4");
            assertThat(kept.get(0).get("why").asText()).contains("never frees");
        }

        @Test
        void run_textShowsStepsAndTheSideBySideTable() {
            CliRun r = CliRun.of("run");
            assertThat(r.code()).isZero();
            assertThat(r.out()).contains("## run 4K", "## run 64K", "what each hot-add cost", "4K, no altmap",
                    "64K, altmap", "device memory used as memmap", "back to the boot figure", "all expectations held");
        }

        @Test
        void run_isDeterministic() {
            assertThat(CliRun.of("run", "--json").out()).isEqualTo(defaultJson.out());
            assertThat(CliRun.of("run").out()).isEqualTo(CliRun.of("run").out());
        }

        @Test
        void run_viewsAddMeminfoAndPtdump() throws Exception {
            Path f = write("views.yaml", "steps: [{memremap: {id: d, start: 0x20_0000_0000, size: 1G}}]\n");
            CliRun r = CliRun.of("run", f.toString(), "--json", "--view", "meminfo,ptdump");
            assertThat(r.code()).isZero();
            JsonNode step = new ObjectMapper().readTree(r.out()).get("steps").get(0);
            assertThat(step.has("meminfo")).isTrue();
            assertThat(step.get("ptdump").isArray()).isTrue();
            CliRun text = CliRun.of("run", f.toString(), "--view", "accounting");
            assertThat(text.out()).contains("memmap in RAM");
        }

        @Test
        void run_viewsAddUserSpaceViews() throws Exception {
            Path f = write("uviews.yaml", """
                    machine: {granule: 4K, ram: 4G@0x4000_0000, pmem: [4G@0x20_0000_0000]}
                    steps:
                      - ndctl: {create-namespace: {size: 4G, mode: devdax, map: dev, align: 2M}}
                      - add_memory: {id: d, start: 0x1_4000_0000, size: 128M}
                      - online: {id: d, zone: movable}
                    """);
            CliRun r = CliRun.of("run", f.toString(), "--json", "--view", "iomem,lsmem,memory,vmstat,ndctl,daxctl");
            assertThat(r.code()).isZero();
            JsonNode step = new ObjectMapper().readTree(r.out()).get("steps").get(2);
            long usable = (4L << 30) - (66L << 20); // 4 GiB - ALIGN(8 KiB + 64 MiB memmap, 2 MiB)
            assertThat(step.get("ndctl").get(0).get("size").asLong()).isEqualTo(usable);
            assertThat(step.get("daxctl").get(0).get("chardev").asText()).isEqualTo("dax0.0");
            assertThat(step.get("daxctl").get(0).get("mode").asText()).isEqualTo("devdax");
            assertThat(step.get("memory").get("memory" + (0x1_4000_0000L >> 27)).get("state").asText()).isEqualTo("online");
            assertThat(step.get("vmstat").get("nr_memmap_boot_pages").asLong()).isEqualTo((4L << 30) / 4096 * 64 / 4096);
            assertThat(step.get("iomem").toString()).contains("Persistent Memory");
            assertThat(step.get("lsmem").toString()).contains("Memory block size:");
            CliRun text = CliRun.of("run", f.toString(), "--view", "daxctl,lsmem");
            assertThat(text.code()).isZero();
            assertThat(text.out()).contains("daxctl:", "\"chardev\":\"dax0.0\"", "lsmem:");
        }

        @Test
        void run_printDefault() {
            CliRun r = CliRun.of("run", "--print-default");
            assertThat(r.code()).isZero();
            assertThat(r.out()).contains("runs:", "memremap:", "altmap:");
        }

        @Test
        void run_unknownView() {
            assertOneLineUsageError(CliRun.of("run", "--view", "pagemap"), "pagemap");
        }

        @Test
        void run_examplesUnderScenariosAllPass() throws IOException {
            Path scenarios = Path.of("..", "scenarios");
            assertThat(scenarios).isDirectory();
            try (Stream<Path> files = Files.list(scenarios)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                    CliRun r = CliRun.of("run", f.toString());
                    assertThat(r.code()).as(f + ": " + r.err()).isZero();
                }
            }
        }
    }

    @Nested
    class Expectations {
        @Test
        void run_failedExpectationExitsOneNamingExpectedAndActual() throws IOException {
            // 1 GiB with an altmap on 4K: 16 MiB of memmap / 4 KiB = 4,096 pfns
            Path f = write("fail.yaml", """
                    steps:
                      - memremap: {id: d, start: 0x20_0000_0000, size: 1G, altmap: {reserve: 2, free: auto}}
                      - expect: {altmaps.d.alloc: 4000}
                    """);
            CliRun r = CliRun.of("run", f.toString());
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.errLines()).containsExactly(
                    "vmemsim: expectation failed: " + f + ":3: steps[1].expect: altmaps.d.alloc: expected 4000, actual 4096");
            assertThat(r.out()).contains("1 expectation(s) failed");
        }

        @Test
        void run_kernelErrorIsAnOutcomeNotAFailure() throws IOException {
            Path f = write("enodev.yaml", "steps: [{memunmap: {id: nosuch}}, {expect: {result: -ENODEV}}]\n");
            CliRun r = CliRun.of("run", f.toString());
            assertThat(r.code()).isZero();
            assertThat(r.out()).contains("-ENODEV", "memunmap_pages: no pgmap named 'nosuch' (model unchanged)");
        }
    }

    /** name, file content, text the error line must contain. */
    static Stream<Arguments> hostile() {
        String dev = "{id: d, start: 0x20_0000_0000, size: 1G";
        return Stream.of(
                Arguments.of("unknown top-level key", "foo: 1\nsteps: []\n", ":1: foo: unknown key 'foo'"),
                Arguments.of("unknown step", "steps:\n  - memrmap: {id: d}\n", ":2: steps[0].memrmap: unknown step"),
                Arguments.of("unknown memremap key", "steps: [" + "{memremap: " + dev + ", sise: 1G}}]", "steps[0].memremap.sise"),
                Arguments.of("bad unit", "steps: [{memremap: {id: d, start: 0, size: 4X}}]", "steps[0].memremap.size: '4X' is not a size"),
                Arguments.of("negative size", "steps: [{memremap: {id: d, start: 0, size: -1G}}]", "'-1G' is negative"),
                Arguments.of("float size", "steps: [{memremap: {id: d, start: 0, size: 1.5}}]", "memremap.size: expected a size"),
                Arguments.of("size beyond 64 bits", "steps: [{memremap: {id: d, start: 0, size: 0x1_0000_0000_0000_0000}}]", "does not fit in 64 bits"),
                Arguments.of("decimal beyond 64 bits", "steps: [{memremap: {id: d, start: 0, size: 99999999999999999999}}]", "does not fit in 64 bits"),
                Arguments.of("suffix beyond 64 bits", "steps: [{memremap: {id: d, start: 0, size: 32E}}]", "does not fit in 64 bits"),
                Arguments.of("wrapping range", "steps: [{memremap: {id: d, start: 0xffff_ffff_ffff_f000, size: 8K}}]", "passes the end"),
                Arguments.of("missing id", "steps: [{memremap: {start: 0, size: 1G}}]", "steps[0].memremap: missing field 'id'"),
                Arguments.of("missing steps", "machine: {granule: 4K}\n", "missing field 'steps'"),
                Arguments.of("id is a number", "steps: [{memunmap: {id: 5}}]", "memunmap.id: expected a string"),
                Arguments.of("bad memory type", "steps: [{memremap: " + dev + ", type: ram}}]", "memremap.type: unknown memory type 'ram'"),
                Arguments.of("bad altmap free", "steps: [{memremap: " + dev + ", altmap: {free: lots}}}]", "altmap.free"),
                Arguments.of("negative altmap reserve", "steps: [{memremap: " + dev + ", altmap: {reserve: -2}}}]", "altmap.reserve: '-2' is negative"),
                Arguments.of("unknown altmap key", "steps: [{memremap: " + dev + ", altmap: {base: 0}}}]", "altmap.base: unknown key"),
                Arguments.of("altmap not a mapping", "steps: [{memremap: " + dev + ", altmap: yes}}]", "altmap: expected a mapping"),
                Arguments.of("huge altmap reserve", "steps: [{memremap: " + dev + ", altmap: {reserve: 0x100_0000_0000_0000}}}]", "larger than the limit"),
                Arguments.of("nid out of range", "steps: [{memremap: " + dev + ", nid: 99}}]", "memremap.nid"),
                Arguments.of("bad granule", "machine: {granule: 8K}\nsteps: []\n", "machine.granule"),
                Arguments.of("bad kernel", "machine: {kernel: 4.19}\nsteps: []\n", "machine.kernel"),
                Arguments.of("bad ram", "machine: {ram: 4G}\nsteps: []\n", "machine.ram"),
                Arguments.of("overlapping ram", "machine: {ram: [4G@0x4000_0000, 1G@0x8000_0000]}\nsteps: []\n", "overlap"),
                Arguments.of("va_bits for the wrong granule", "machine: {granule: 4K, va_bits: 47}\nsteps: []\n", "machine: "),
                Arguments.of("rodata_full not a boolean", "machine: {rodata_full: maybe}\nsteps: []\n", "machine.rodata_full: expected true or false"),
                Arguments.of("unknown machine key", "machine: {cpus: 4}\nsteps: []\n", "machine.cpus: unknown key"),
                Arguments.of("YAML syntax error", "steps: [\n  {memunmap: {id: d}\n", "YAML syntax error"),
                Arguments.of("alias bomb", "a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\nsteps: []\n", "not allowed"),
                Arguments.of("YAML tag", "steps: [{memunmap: {id: !!binary aGVsbG8=}}]", "tags"),
                Arguments.of("duplicate key", "steps: []\nsteps: []\n", "duplicate"),
                Arguments.of("two documents", "steps: []\n---\nsteps: []\n", "more than one YAML document"),
                Arguments.of("steps not a list", "steps: {memunmap: {id: d}}\n", "steps: expected a list"),
                Arguments.of("step not a mapping", "steps: [memunmap]\n", "steps[0]: expected a step"),
                Arguments.of("two steps in one item", "steps: [{memunmap: {id: a}, memremap: " + dev + "}}]", "one step per list item"),
                Arguments.of("expect unknown value", "steps: [{expect: {accountng.ram_free_bytes: 0}}]", "unknown value 'accountng'"),
                Arguments.of("expect list value", "steps: [{expect: {result: [ok]}}]", "steps[0].expect.result: expected a number"),
                Arguments.of("runs and steps", "steps: []\nruns: []\n", "either 'machine' + 'steps'"),
                Arguments.of("duplicate run names", "runs: [{name: a, steps: []}, {name: a, steps: []}]", "runs[1].name: run name 'a' is used twice"),
                Arguments.of("deep nesting", "steps: " + "[".repeat(40) + "]".repeat(40) + "\n", "nesting"),
                Arguments.of("empty file", "", "empty"),
                Arguments.of("fail_alloc without site or nth", "steps: [{fail_alloc: {}}]", "fail_alloc: give a 'site'"),
                Arguments.of("a string for a list", "runs: many\n", "runs: expected a list"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostile")
    void run_hostileFile_oneErrorLineExitTwo(String name, String yaml, String named) throws IOException {
        Path f = write(name.replace(' ', '_') + ".yaml", yaml);
        assertOneLineUsageError(CliRun.of("run", f.toString()), f.toString(), named);
    }

    @Test
    void run_fileLargerThanOneMib() throws IOException {
        Path f = write("big.yaml", "steps: []\n# " + "x".repeat(1 << 20) + "\n");
        assertOneLineUsageError(CliRun.of("run", f.toString()), "larger than 1 MiB");
    }

    @Test
    void run_notUtf8() throws IOException {
        Path f = dir.resolve("latin1.yaml");
        Files.write(f, new byte[] {'s', 't', 'e', 'p', 's', ':', ' ', '[', ']', ' ', '#', (byte) 0xe9, '\n'});
        assertOneLineUsageError(CliRun.of("run", f.toString()), "not UTF-8");
    }

    @Test
    void run_missingFile() {
        assertOneLineUsageError(CliRun.of("run", dir.resolve("nope.yaml").toString()), "nope.yaml", "no such file");
    }

    @Test
    void run_directory() {
        assertOneLineUsageError(CliRun.of("run", dir.toString()), "is a directory");
    }
}
