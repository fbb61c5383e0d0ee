package org.vmemsim.scenario;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Reads one YAML document into a small tree that remembers the line of every value, so that a
 * scenario error can name the line. Scalars keep their source text: "4G", "0x20_0000_0000" and
 * "010" reach the scenario parser as written, and vmemsim (not YAML 1.1 typing) decides what they
 * mean.
 *
 * <p>Hostile input is refused with one line: files over {@link #MAX_BYTES}, nesting deeper than
 * {@link #MAX_DEPTH}, more than {@link #MAX_NODES} values, anchors and aliases (no "billion laughs"),
 * explicit tags, duplicate keys, non-scalar keys, and more than one document.
 */
public final class YamlTree {
    public static final int MAX_BYTES = 1 << 20;
    public static final int MAX_DEPTH = 32;
    public static final int MAX_NODES = 200_000;

    private YamlTree() {}

    /** The kind of a scalar as YAML typed it (plain scalars only; quoted ones are always STRING). */
    public enum ScalarKind {
        STRING, INT, FLOAT, BOOL, NULL
    }

    /** A value with the 1-based line it starts on. */
    public sealed interface Node permits MapNode, SeqNode, ScalarNode {
        int line();

        /** "a mapping", "a list", "a number", ... for error messages. */
        String kindName();
    }

    /** A mapping in file order. {@code keyLines} gives the line of each key. */
    public record MapNode(int line, Map<String, Node> entries, Map<String, Integer> keyLines) implements Node {
        @Override
        public String kindName() {
            return "a mapping";
        }
    }

    public record SeqNode(int line, List<Node> items) implements Node {
        @Override
        public String kindName() {
            return "a list";
        }
    }

    /** A scalar: its source text (for quoted strings: the unquoted content) and YAML's typing. */
    public record ScalarNode(int line, String text, ScalarKind kind) implements Node {
        @Override
        public String kindName() {
            return switch (kind) {
                case STRING -> "a string";
                case INT -> "an integer";
                case FLOAT -> "a floating-point number";
                case BOOL -> "a boolean";
                case NULL -> "null";
            };
        }
    }

    private static YAMLFactory factory() {
        LoaderOptions lo = new LoaderOptions();
        lo.setMaxAliasesForCollections(0);
        lo.setNestingDepthLimit(MAX_DEPTH + 2);
        lo.setCodePointLimit(MAX_BYTES + 1);
        lo.setAllowDuplicateKeys(false);
        YAMLFactory f = YAMLFactory.builder().loaderOptions(lo).build();
        f.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        return f;
    }

    /**
     * Parses {@code text} (one YAML document).
     *
     * @param source the file name for error messages
     * @throws ScenarioException with the line and the reason
     */
    public static Node parse(String source, String text) {
        if (text.length() > MAX_BYTES) {
            throw new ScenarioException(source, 0, "", "the file is larger than 1 MiB");
        }
        try (YAMLParser p = (YAMLParser) factory().createParser(text)) {
            Builder b = new Builder(source, p);
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new ScenarioException(source, 1, "", "the file is empty");
            }
            Node root = b.value(t, 0);
            if (p.nextToken() != null) {
                throw new ScenarioException(source, b.line(), "", "more than one YAML document (only one is allowed)");
            }
            return root;
        } catch (JsonProcessingException e) {
            for (Throwable c = e; c != null; c = c.getCause()) {
                if (c instanceof org.yaml.snakeyaml.error.MarkedYAMLException m && m.getProblem() != null) {
                    int line = m.getProblemMark() == null ? 0 : m.getProblemMark().getLine() + 1;
                    String ctx = m.getContext() == null ? "" : m.getContext() + ": ";
                    throw new ScenarioException(source, line, "", "YAML syntax error: " + ctx + m.getProblem());
                }
            }
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new ScenarioException(source, line, "", "YAML syntax error: " + firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new ScenarioException(source, 0, "", "cannot read YAML: " + firstLine(e.getMessage()));
        } catch (ScenarioException e) {
            throw e;
        } catch (RuntimeException e) {
            // SnakeYAML's own limits (code points, nesting, aliases) surface as runtime exceptions.
            throw new ScenarioException(source, 0, "", "YAML rejected: " + firstLine(String.valueOf(e.getMessage())));
        }
    }

    static String firstLine(String s) {
        if (s == null) {
            return "(no detail)";
        }
        String t = s.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl).strip();
    }

    /** Builds the tree from the token stream, enforcing the limits. */
    private static final class Builder {
        private final String source;
        private final YAMLParser p;
        private int nodes;

        Builder(String source, YAMLParser p) {
            this.source = source;
            this.p = p;
        }

        int line() {
            return p.currentTokenLocation().getLineNr();
        }

        private ScenarioException error(String reason) {
            return new ScenarioException(source, line(), "", reason);
        }

        Node value(JsonToken t, int depth) throws IOException {
            if (++nodes > MAX_NODES) {
                throw error("more than " + MAX_NODES + " values");
            }
            if (depth > MAX_DEPTH) {
                throw error("nesting deeper than " + MAX_DEPTH + " levels");
            }
            if (p.isCurrentAlias()) {
                throw error("YAML aliases (*" + p.getText() + ") are not allowed in scenario files");
            }
            if (p.getCurrentAnchor() != null) {
                throw error("YAML anchors (&" + p.getCurrentAnchor() + ") are not allowed in scenario files");
            }
            if (p.getTypeId() != null) {
                throw error("YAML tags (!" + p.getTypeId() + ") are not allowed in scenario files");
            }
            int line = line();
            switch (t) {
                case START_OBJECT:
                    return map(line, depth);
                case START_ARRAY:
                    return seq(line, depth);
                case VALUE_STRING:
                    return new ScalarNode(line, p.getText(), ScalarKind.STRING);
                case VALUE_NUMBER_INT:
                    return new ScalarNode(line, p.getText(), ScalarKind.INT);
                case VALUE_NUMBER_FLOAT:
                    return new ScalarNode(line, p.getText(), ScalarKind.FLOAT);
                case VALUE_TRUE:
                case VALUE_FALSE:
                    return new ScalarNode(line, p.getText(), ScalarKind.BOOL);
                case VALUE_NULL:
                    return new ScalarNode(line, p.getText() == null ? "" : p.getText(), ScalarKind.NULL);
                default:
                    throw error("unsupported YAML value (" + t + ")");
            }
        }

        private Node map(int line, int depth) throws IOException {
            Map<String, Node> entries = new LinkedHashMap<>();
            Map<String, Integer> keyLines = new LinkedHashMap<>();
            for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                if (t != JsonToken.FIELD_NAME) {
                    throw error("a mapping key must be a plain value, not " + t);
                }
                String key = p.currentName();
                int keyLine = line();
                if (entries.containsKey(key)) {
                    throw error("duplicate key '" + key + "'");
                }
                Node v = value(p.nextToken(), depth + 1);
                entries.put(key, v);
                keyLines.put(key, keyLine);
            }
            return new MapNode(line, Collections.unmodifiableMap(entries), Collections.unmodifiableMap(keyLines));
        }

        private Node seq(int line, int depth) throws IOException {
            List<Node> items = new ArrayList<>();
            for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                items.add(value(t, depth + 1));
            }
            return new SeqNode(line, Collections.unmodifiableList(items));
        }
    }
}
