package org.vmemsim.scenario;

import java.util.Arrays;
import java.util.List;
import org.vmemsim.scenario.YamlTree.MapNode;
import org.vmemsim.scenario.YamlTree.Node;
import org.vmemsim.scenario.YamlTree.ScalarKind;
import org.vmemsim.scenario.YamlTree.ScalarNode;
import org.vmemsim.scenario.YamlTree.SeqNode;
import org.vmemsim.util.Sz;

/**
 * Typed, strict access to one mapping of a scenario file, for step parsers. Every accessor either
 * returns a checked value or throws a {@link ScenarioException} naming the file, the line, the path
 * of the value ({@code steps[2].memremap.size}) and the reason. Unknown keys are refused when the
 * mapping is opened.
 */
public final class Args {
    private final String source;
    private final String path;
    private final MapNode map;

    private Args(String source, String path, MapNode map) {
        this.source = source;
        this.path = path;
        this.map = map;
    }

    /**
     * Opens {@code node} as a mapping whose keys must all be in {@code allowed}.
     *
     * @param path the path of {@code node} in the file, e.g. {@code steps[0].memremap}
     */
    public static Args open(String source, String path, Node node, String... allowed) {
        if (!(node instanceof MapNode m)) {
            throw new ScenarioException(source, node.line(), path, "expected a mapping, got " + describe(node));
        }
        List<String> ok = Arrays.asList(allowed);
        for (var e : m.entries().entrySet()) {
            if (!ok.contains(e.getKey())) {
                throw new ScenarioException(source, m.keyLines().get(e.getKey()), join(path, e.getKey()),
                        "unknown key '" + e.getKey() + "' (valid: " + String.join(", ", allowed) + ")");
            }
        }
        return new Args(source, path, m);
    }

    public String source() {
        return source;
    }

    public String path() {
        return path;
    }

    /** The path of a key of this mapping. */
    public String path(String key) {
        return join(path, key);
    }

    static String join(String path, String key) {
        return path == null || path.isEmpty() ? key : path + "." + key;
    }

    public int line() {
        return map.line();
    }

    public boolean has(String key) {
        return map.entries().containsKey(key);
    }

    /** A required value. */
    public Node node(String key) {
        Node n = map.entries().get(key);
        if (n == null) {
            throw new ScenarioException(source, map.line(), path, "missing field '" + key + "'");
        }
        return n;
    }

    /** An error about the value of {@code key} (at its line). */
    public ScenarioException error(String key, String reason) {
        Node n = map.entries().get(key);
        return new ScenarioException(source, n == null ? map.line() : n.line(), path(key), reason);
    }

    /** An error about this mapping as a whole. */
    public ScenarioException error(String reason) {
        return new ScenarioException(source, map.line(), path, reason);
    }

    /** A nested mapping with its own allowed keys. */
    public Args sub(String key, String... allowed) {
        return open(source, path(key), node(key), allowed);
    }

    /** A required string (a plain word or a quoted string; numbers and booleans are refused). */
    public String string(String key) {
        Node n = node(key);
        if (n instanceof ScalarNode s && s.kind() == ScalarKind.STRING) {
            if (s.text().isBlank()) {
                throw error(key, "must not be empty");
            }
            return s.text();
        }
        throw error(key, "expected a string, got " + describe(n));
    }

    public String optString(String key, String def) {
        return has(key) ? string(key) : def;
    }

    /** A required size in bytes: {@code 64G}, {@code 128M}, {@code 4096}, {@code 0x1000}. */
    public long size(String key) {
        return u64(key, false);
    }

    /** A required address: {@code 0x20_0000_0000} or decimal. */
    public long address(String key) {
        return u64(key, true);
    }

    private long u64(String key, boolean address) {
        Node n = node(key);
        try {
            return parseU64(n, address ? "an address" : "a size", address);
        } catch (IllegalArgumentException e) {
            throw error(key, e.getMessage());
        }
    }

    /** An optional non-negative integer not above {@code max} (node ids, pfn counts). */
    public long optCount(String key, long def, long max) {
        if (!has(key)) {
            return def;
        }
        return count(key, max);
    }

    /** A required non-negative integer not above {@code max}. */
    public long count(String key, long max) {
        long v;
        try {
            v = parseCount(node(key));
        } catch (IllegalArgumentException e) {
            throw error(key, e.getMessage());
        }
        if (Long.compareUnsigned(v, max) > 0) {
            throw error(key, Long.toUnsignedString(v) + " is larger than the limit " + max);
        }
        return v;
    }

    /** An optional boolean: {@code true}/{@code false} (YAML's yes/no/on/off are accepted too). */
    public boolean optBool(String key, boolean def) {
        if (!has(key)) {
            return def;
        }
        Node n = node(key);
        if (n instanceof ScalarNode s && s.kind() == ScalarKind.BOOL) {
            String t = s.text().trim().toLowerCase(java.util.Locale.ROOT);
            return t.equals("true") || t.equals("yes") || t.equals("on") || t.equals("y");
        }
        throw error(key, "expected true or false, got " + describe(n));
    }

    /** A required list. */
    public SeqNode list(String key) {
        Node n = node(key);
        if (n instanceof SeqNode s) {
            return s;
        }
        throw error(key, "expected a list, got " + describe(n));
    }

    /** The raw scalar text of {@code key} whatever YAML typed it (for values like memmap_on_memory: Y). */
    public String scalarText(String key) {
        Node n = node(key);
        if (n instanceof ScalarNode s && s.kind() != ScalarKind.NULL) {
            return s.text();
        }
        throw error(key, "expected a single value, got " + describe(n));
    }

    /**
     * An unsigned 64-bit integer from an integer or a string: decimal or {@code 0x} hex,
     * underscores allowed, sizes with a binary suffix (K, M, G, T, P, E).
     *
     * @throws IllegalArgumentException with the reason (without the path)
     */
    static long parseU64(Node n, String what, boolean address) {
        if (!(n instanceof ScalarNode s) || !(s.kind() == ScalarKind.INT || s.kind() == ScalarKind.STRING)) {
            throw new IllegalArgumentException("expected " + what + ", got " + describe(n));
        }
        String t = s.text().trim();
        if (t.startsWith("-")) {
            throw new IllegalArgumentException("'" + t + "' is negative");
        }
        if (t.startsWith("+")) {
            throw new IllegalArgumentException("'" + t + "' must not carry a sign");
        }
        String digits = t.replace("_", "");
        if (!digits.isEmpty() && digits.chars().allMatch(Character::isDigit) && digits.length() >= 20
                && new java.math.BigInteger(digits).bitLength() > 64) {
            throw new IllegalArgumentException("'" + t + "' does not fit in 64 bits");
        }
        if (digits.length() > 18 && (digits.startsWith("0x") || digits.startsWith("0X"))
                && digits.substring(2).replaceFirst("^0+", "").length() > 16) {
            throw new IllegalArgumentException("'" + t + "' does not fit in 64 bits");
        }
        return address ? Sz.parseAddress(t) : Sz.parse(t);
    }

    /**
     * A count: a plain decimal or {@code 0x} hex integer, underscores allowed, no unit suffix.
     *
     * @throws IllegalArgumentException with the reason (without the path)
     */
    static long parseCount(Node n) {
        if (!(n instanceof ScalarNode s) || !(s.kind() == ScalarKind.INT || s.kind() == ScalarKind.STRING)) {
            throw new IllegalArgumentException("expected a whole number, got " + describe(n));
        }
        String t = s.text().trim();
        if (t.startsWith("-")) {
            throw new IllegalArgumentException("'" + t + "' is negative");
        }
        String digits = t.replace("_", "");
        boolean hex = digits.startsWith("0x") || digits.startsWith("0X");
        String body = hex ? digits.substring(2) : digits;
        if (body.isEmpty() || !body.chars().allMatch(c -> hex ? Character.digit(c, 16) >= 0 : Character.isDigit(c))) {
            throw new IllegalArgumentException("'" + t + "' is not a whole number (expected e.g. 2, 4606 or 0x11fe)");
        }
        if (body.replaceFirst("^0+", "").length() > 18) {
            throw new IllegalArgumentException("'" + t + "' is too large");
        }
        return Long.parseLong(body, hex ? 16 : 10);
    }

    /** "the integer 5", "a list", ... */
    static String describe(Node n) {
        if (n instanceof ScalarNode s) {
            return switch (s.kind()) {
                case NULL -> "nothing (null)";
                case STRING -> "the string '" + s.text() + "'";
                default -> s.kindName() + " (" + s.text() + ")";
            };
        }
        return n.kindName();
    }
}
