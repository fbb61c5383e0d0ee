package org.vmemsim.scenario;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.vmemsim.arch.Arch;
import org.vmemsim.arch.Granule;
import org.vmemsim.arch.KernelProfile;
import org.vmemsim.kernel.MachineSpec;
import org.vmemsim.kernel.RamRange;
import org.vmemsim.scenario.YamlTree.MapNode;
import org.vmemsim.scenario.YamlTree.Node;
import org.vmemsim.scenario.YamlTree.ScalarNode;
import org.vmemsim.scenario.YamlTree.SeqNode;

/**
 * Reads scenario files (format: docs/scenario-format.md) into a {@link Scenario}. Validation is
 * strict and complete before anything runs: the first problem is reported as one line naming the
 * file, the line, the path of the value and the reason ({@link ScenarioException}); machines are
 * checked with {@link MachineSpec#validate()}.
 */
public final class ScenarioParser {
    public static final int MAX_RUNS = 16;
    public static final int MAX_STEPS = 10_000;
    /** The built-in default scenario (classpath resource). */
    public static final String DEFAULT_RESOURCE = "default.yaml";
    public static final String DEFAULT_NAME = "default.yaml (built-in)";

    private final StepRegistry registry;

    public ScenarioParser(StepRegistry registry) {
        this.registry = registry;
    }

    /** A parser for vmemsim's standard steps. */
    public static ScenarioParser standard() {
        return new ScenarioParser(StepRegistry.standard());
    }

    /** Reads and parses a file (at most 1 MiB of UTF-8). */
    public Scenario parseFile(Path file) {
        String name = file.toString();
        byte[] bytes;
        try {
            if (Files.isDirectory(file)) {
                throw new ScenarioException(name, 0, "", "is a directory, not a scenario file");
            }
            if (Files.exists(file) && Files.isRegularFile(file) && Files.size(file) > YamlTree.MAX_BYTES) {
                throw new ScenarioException(name, 0, "", "the file is larger than 1 MiB");
            }
            try (InputStream in = Files.newInputStream(file)) {
                bytes = in.readNBytes(YamlTree.MAX_BYTES + 1);
            }
        } catch (NoSuchFileException e) {
            throw new ScenarioException(name, 0, "", "no such file");
        } catch (IOException e) {
            throw new ScenarioException(name, 0, "", "cannot read the file: " + e.getMessage());
        }
        return parseBytes(name, bytes);
    }

    /** Parses raw bytes read from {@code source} (size limit and UTF-8 checked). */
    public Scenario parseBytes(String source, byte[] bytes) {
        if (bytes.length > YamlTree.MAX_BYTES) {
            throw new ScenarioException(source, 0, "", "the file is larger than 1 MiB");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ScenarioException(source, 0, "", "the file is not UTF-8 text");
        }
        if (text.indexOf('\0') >= 0) {
            throw new ScenarioException(source, 0, "", "the file contains NUL bytes; it is not a YAML text file");
        }
        return parse(source, text);
    }

    /** The built-in default scenario: the story of the vmem_altmap series. */
    public Scenario parseDefault() {
        try (InputStream in = ScenarioParser.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the built-in scenario " + DEFAULT_RESOURCE + " is missing from the class path");
            }
            return parseBytes(DEFAULT_NAME, in.readAllBytes());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the built-in scenario: " + e.getMessage(), e);
        }
    }

    /** The text of the built-in default scenario. */
    public static String defaultText() {
        try (InputStream in = ScenarioParser.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("cannot read the built-in scenario " + DEFAULT_RESOURCE, e);
        }
    }

    /** Parses YAML text. */
    public Scenario parse(String source, String text) {
        Node root = YamlTree.parse(source, text);
        Args top = Args.open(source, "", root, "name", "description", "machine", "steps", "runs");
        String name = top.optString("name", source);
        String description = top.optString("description", "");
        List<Scenario.Run> runs = new ArrayList<>();
        if (top.has("runs")) {
            if (top.has("steps") || top.has("machine")) {
                throw top.error(top.has("steps") ? "steps" : "machine",
                        "a file has either 'machine' + 'steps' (one run) or 'runs' (several), not both");
            }
            SeqNode list = top.list("runs");
            if (list.items().isEmpty()) {
                throw top.error("runs", "must list at least one run");
            }
            if (list.items().size() > MAX_RUNS) {
                throw top.error("runs", "more than " + MAX_RUNS + " runs");
            }
            Set<String> names = new HashSet<>();
            for (int i = 0; i < list.items().size(); i++) {
                String path = "runs[" + i + "]";
                Args r = Args.open(source, path, list.items().get(i), "name", "machine", "steps");
                String runName = r.optString("name", "run" + i);
                if (!names.add(runName)) {
                    throw r.error("name", "run name '" + runName + "' is used twice");
                }
                runs.add(run(r, runName, path));
            }
        } else {
            if (!top.has("steps")) {
                throw top.error("missing field 'steps' (or 'runs' for several machines)");
            }
            runs.add(run(top, "main", ""));
        }
        return new Scenario(source, name, description, List.copyOf(runs));
    }

    private Scenario.Run run(Args r, String runName, String path) {
        MachineSpec spec = r.has("machine") ? machine(r.sub("machine", MACHINE_KEYS)) : MachineSpec.defaults();
        int machineLine = r.has("machine") ? r.node("machine").line() : r.line();
        SeqNode list = r.list("steps");
        if (list.items().size() > MAX_STEPS) {
            throw r.error("steps", "more than " + MAX_STEPS + " steps");
        }
        List<ParsedStep<?>> steps = new ArrayList<>();
        for (int i = 0; i < list.items().size(); i++) {
            steps.add(step(r.source(), Args.join(path, "steps[" + i + "]"), list.items().get(i)));
        }
        return new Scenario.Run(runName, path, spec, machineLine, List.copyOf(steps));
    }

    static final String[] MACHINE_KEYS = {"arch", "granule", "va_bits", "kernel", "ram", "rodata_full", "memmap_on_memory", "pmem"};

    /** The machine block: the boot command's options, by their option names with underscores. */
    static MachineSpec machine(Args m) {
        MachineSpec spec = MachineSpec.defaults();
        spec.arch = m.has("arch") ? convert(m, "arch", Arch::parse) : spec.arch;
        spec.granule = m.has("granule") ? convert(m, "granule", Granule::parse)
                : spec.arch == Arch.IA64 ? Granule.G16K : spec.granule; // ia64's default page size is 16K
        if (m.has("va_bits")) {
            spec.vaBits = (int) m.count("va_bits", 64);
        }
        spec.profile = m.has("kernel") ? convert(m, "kernel", KernelProfile::parse) : spec.profile;
        spec.rodataFull = m.optBool("rodata_full", spec.rodataFull);
        if (m.has("memmap_on_memory")) {
            spec.memmapOnMemory = m.scalarText("memmap_on_memory").trim();
        }
        if (m.has("ram")) {
            spec.ram.clear();
            Node n = m.node("ram");
            if (n instanceof SeqNode s) {
                if (s.items().isEmpty()) {
                    throw m.error("ram", "must list at least one range");
                }
                for (int i = 0; i < s.items().size(); i++) {
                    spec.ram.add(ramRange(m, "ram[" + i + "]", s.items().get(i)));
                }
            } else {
                spec.ram.add(ramRange(m, "ram", n));
            }
        }
        if (m.has("pmem")) {
            Node n = m.node("pmem");
            if (n instanceof SeqNode s) {
                if (s.items().isEmpty()) {
                    throw m.error("pmem", "must list at least one region (or leave 'pmem' out)");
                }
                for (int i = 0; i < s.items().size(); i++) {
                    spec.pmem.add(ramRange(m, "pmem[" + i + "]", s.items().get(i)));
                }
            } else {
                spec.pmem.add(ramRange(m, "pmem", n));
            }
        }
        try {
            spec.validate();
        } catch (IllegalArgumentException e) {
            throw m.error(e.getMessage());
        }
        return spec;
    }

    /** {@code 4G@0x40000000[:NODE]}, or {size, start, node}. */
    private static RamRange ramRange(Args m, String key, Node n) {
        String path = m.path(key);
        if (n instanceof MapNode) {
            Args r = Args.open(m.source(), path, n, "size", "start", "node");
            long size = r.size("size");
            long start = r.address("start");
            int node = (int) r.optCount("node", 0, MachineSpec.MAX_NUMNODES - 1);
            return new RamRange(start, size, node);
        }
        if (n instanceof ScalarNode s && s.kind() == YamlTree.ScalarKind.STRING) {
            try {
                return RamRange.parse(s.text());
            } catch (IllegalArgumentException e) {
                throw new ScenarioException(m.source(), n.line(), path, e.getMessage());
            }
        }
        throw new ScenarioException(m.source(), n.line(), path,
                "expected SIZE@ADDR[:NODE] or {size, start, node}, got " + Args.describe(n));
    }

    private static <T> T convert(Args m, String key, Function<String, T> parser) {
        String text = m.scalarText(key).trim();
        try {
            return parser.apply(text);
        } catch (IllegalArgumentException e) {
            throw m.error(key, e.getMessage());
        }
    }

    /** One list item: a mapping with exactly one step key and an optional label. */
    private ParsedStep<?> step(String source, String path, Node item) {
        if (!(item instanceof MapNode m)) {
            throw new ScenarioException(source, item.line(), path,
                    "expected a step such as {memunmap: {id: dev0}}, got " + Args.describe(item));
        }
        String label = null;
        String stepKey = null;
        for (String key : m.entries().keySet()) {
            if (key.equals("label")) {
                continue;
            }
            if (registry.get(key) == null) {
                throw new ScenarioException(source, m.keyLines().get(key), Args.join(path, key),
                        "unknown step '" + key + "' (valid: " + String.join(", ", registry.names()) + ", and 'label')");
            }
            if (stepKey != null) {
                throw new ScenarioException(source, m.keyLines().get(key), path,
                        "one step per list item: found both '" + stepKey + "' and '" + key + "'");
            }
            stepKey = key;
        }
        if (stepKey == null) {
            throw new ScenarioException(source, m.line(), path,
                    "no step in this item (valid: " + String.join(", ", registry.names()) + ")");
        }
        if (m.entries().containsKey("label")) {
            Args a = Args.open(source, path, m, "label", stepKey);
            label = a.string("label");
        }
        return parsed(registry.get(stepKey), source, Args.join(path, stepKey), m.entries().get(stepKey), path, m.line(), label);
    }

    private static <A> ParsedStep<A> parsed(StepType<A> type, String source, String bodyPath, Node body,
                                            String path, int line, String label) {
        return new ParsedStep<>(type, type.parse(source, bodyPath, body), path, line, label);
    }
}
