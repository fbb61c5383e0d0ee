package org.vmemsim.scenario;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vmemsim.scenario.YamlTree.MapNode;
import org.vmemsim.scenario.YamlTree.Node;
import org.vmemsim.scenario.YamlTree.ScalarKind;
import org.vmemsim.scenario.YamlTree.ScalarNode;
import org.vmemsim.util.Sz;

/**
 * {@code expect}: asserts values after the previous action, named by dotted paths:
 * <pre>
 * - expect:
 *     result: -ENOMEM                          # the previous action's result
 *     accounting.pgtable_pages.vmemmap: 5
 *     altmaps.dev0.alloc: 262144               # list entries are found by their id
 *     meminfo.MemFree_kB: 4120544
 *     delta.ram_free_bytes: -1208233984        # change made by the previous action
 *     since_boot.ram_free_bytes: 0
 *     warnings: 0
 * </pre>
 * Nested mappings are read as dotted paths ({@code accounting: {ram_free_bytes: 4G}}). Numbers
 * compare as integers (sizes like {@code 16M} and hex are accepted, and a leading minus sign);
 * strings compare as text, or as numbers when both sides are numbers ({@code base_pfn: 0x2000000});
 * a list or mapping compares by its number of entries.
 */
public final class ExpectStep implements StepType<ExpectStep.Expect> {
    /** The first segment of every expectation path. */
    public static final List<String> ROOTS = List.of("result", "function", "message", "warnings", "kept",
            "accounting", "altmaps", "meminfo", "delta", "since_boot", "vmstat", "memory", "memmap_on_memory",
            "namespaces", "dangling_memmap_pages");

    public record Expectation(String path, ScalarNode expected, int line) {}

    public record Expect(String source, List<Expectation> items) {}

    @Override
    public String name() {
        return "expect";
    }

    @Override
    public Kind kind() {
        return Kind.CHECK;
    }

    @Override
    public Expect parse(String source, String path, Node body) {
        if (!(body instanceof MapNode m) || m.entries().isEmpty()) {
            throw new ScenarioException(source, body.line(), path,
                    "expected a mapping of value paths to expected values, e.g. {result: ok}");
        }
        List<Expectation> out = new ArrayList<>();
        flatten(source, path, "", m, out);
        return new Expect(source, out);
    }

    private static void flatten(String source, String yamlPath, String prefix, MapNode m, List<Expectation> out) {
        for (var e : m.entries().entrySet()) {
            String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            int line = m.keyLines().get(e.getKey());
            String root = key.contains(".") ? key.substring(0, key.indexOf('.')) : key;
            if (!ROOTS.contains(root)) {
                throw new ScenarioException(source, line, Args.join(yamlPath, key),
                        "unknown value '" + root + "' (valid: " + String.join(", ", ROOTS) + ")");
            }
            if (key.startsWith(".") || key.endsWith(".") || key.contains("..")) {
                throw new ScenarioException(source, line, Args.join(yamlPath, key), "malformed path");
            }
            Node v = e.getValue();
            if (v instanceof MapNode sub) {
                flatten(source, yamlPath, key, sub, out);
            } else if (v instanceof ScalarNode s && s.kind() != ScalarKind.NULL && s.kind() != ScalarKind.FLOAT) {
                out.add(new Expectation(key, s, line));
            } else {
                throw new ScenarioException(source, v.line(), Args.join(yamlPath, key),
                        "expected a number, a size, a string or a boolean, got " + Args.describe(v));
            }
        }
    }

    @Override
    public StepOutcome apply(Expect x, StepContext ctx) {
        Map<String, Object> values = ctx.values();
        List<Map<String, Object>> checks = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (Expectation e : x.items) {
            Object actual = lookup(values, e.path);
            String why = compare(actual, e.expected);
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("path", e.path);
            c.put("expected", e.expected.text());
            c.put("actual", actual instanceof Map<?, ?> || actual instanceof Collection<?> ? show(actual) : actual);
            c.put("ok", why == null);
            checks.add(c);
            if (why != null) {
                failures.add(x.source + ":" + e.line + ": " + ctx.path() + ".expect: " + e.path + ": expected "
                        + e.expected.text() + ", actual " + why);
            }
        }
        StepOutcome o = failures.isEmpty() ? StepOutcome.ok() : StepOutcome.failed(failures);
        return o.with("expectations", checks);
    }

    /**
     * Follows a dotted path through maps and lists (list entries by index or by their "id"). A key
     * may itself contain dots ({@code altmaps.namespace0.0.alloc}): the longest key that exists wins.
     */
    static Object lookup(Object root, String path) {
        return lookup(root, path.split("\\."), 0);
    }

    private static Object lookup(Object cur, String[] segs, int from) {
        if (cur instanceof java.util.function.Supplier<?> lazy) { // a value computed only when named
            cur = lazy.get();
        }
        if (from == segs.length) {
            return cur;
        }
        for (int to = segs.length; to > from; to--) {
            String key = String.join(".", java.util.Arrays.copyOfRange(segs, from, to));
            Object next = null;
            if (cur instanceof Map<?, ?> m) {
                next = m.get(key);
            } else if (cur instanceof List<?> l) {
                next = listEntry(l, key);
            }
            if (next != null) {
                Object found = lookup(next, segs, to);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    private static Object listEntry(List<?> l, String seg) {
        if (!seg.isEmpty() && seg.chars().allMatch(Character::isDigit) && seg.length() < 9) {
            int i = Integer.parseInt(seg);
            return i < l.size() ? l.get(i) : null;
        }
        for (Object o : l) {
            if (o instanceof Map<?, ?> m && seg.equals(String.valueOf(m.get("id")))) {
                return o;
            }
        }
        return null;
    }

    /** Null when {@code actual} matches, else the text to print as "actual ...". */
    static String compare(Object actual, ScalarNode expected) {
        if (actual == null) {
            return "(no such value)";
        }
        String text = expected.text().trim();
        if (actual instanceof Boolean b) {
            if (expected.kind() == ScalarKind.BOOL) {
                boolean want = text.equalsIgnoreCase("true") || text.equalsIgnoreCase("yes") || text.equalsIgnoreCase("on");
                return want == b ? null : b.toString();
            }
            return b + " (a boolean)";
        }
        if (actual instanceof Number n) {
            Long want = signedInteger(text);
            if (expected.kind() == ScalarKind.BOOL || want == null) {
                return show(actual) + " (expected value '" + text + "' is not an integer or a size)";
            }
            return want == n.longValue() ? null : show(actual);
        }
        if (actual instanceof Map<?, ?> || actual instanceof Collection<?>) {
            int size = actual instanceof Map<?, ?> m ? m.size() : ((Collection<?>) actual).size();
            Long want = signedInteger(text);
            if (want == null) {
                return size + " entries (compare a list or mapping with its number of entries)";
            }
            return want == size ? null : size + " entries";
        }
        String s = actual.toString();
        if (s.equals(text)) {
            return null;
        }
        Long a = signedInteger(s);
        Long w = signedInteger(text);
        if (a != null && w != null && a.longValue() == w.longValue()) {
            return null;
        }
        return s;
    }

    /** An integer with an optional minus sign, as a size ({@code 16M}, {@code 0x1000}); null if it is not one. */
    static Long signedInteger(String text) {
        String t = text.trim();
        boolean neg = t.startsWith("-");
        if (neg) {
            t = t.substring(1);
        }
        if (t.isEmpty() || !Character.isDigit(t.charAt(0))) {
            return null;
        }
        try {
            long v = Sz.parse(t);
            return neg ? -v : v;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static String show(Object actual) {
        if (actual instanceof Map<?, ?> m) {
            return m.size() + " entries";
        }
        if (actual instanceof Collection<?> c) {
            return c.size() + " entries";
        }
        return String.valueOf(actual);
    }

    @Override
    public Map<String, Object> describe(Expect x) {
        Map<String, Object> d = new LinkedHashMap<>();
        for (Expectation e : x.items) {
            d.put(e.path, e.expected.text());
        }
        return d;
    }

    @Override
    public String summary(Expect x) {
        List<String> parts = new ArrayList<>();
        for (Expectation e : x.items) {
            parts.add(e.path + " = " + e.expected.text());
        }
        return String.join(", ", parts);
    }
}
