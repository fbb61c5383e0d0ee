package org.vmemsim.scenario;

/**
 * A scenario file that cannot be run: bad YAML, an unknown key, a wrong type, a bad unit, a value
 * out of range, a missing field, or a machine that does not boot. The message is exactly one line,
 * {@code FILE:LINE: PATH: reason}, e.g.
 * {@code scenarios/x.yaml:12: steps[2].memremap.size: '4X' is not a size (...)}.
 *
 * <p>It is an {@link IllegalArgumentException}, so the command line reports it as a user mistake
 * (one line, exit 2).
 */
public final class ScenarioException extends IllegalArgumentException {
    private final String source;
    private final int line;
    private final String path;
    private final String reason;

    public ScenarioException(String source, int line, String path, String reason) {
        super(format(source, line, path, reason));
        this.source = source;
        this.line = line;
        this.path = path;
        this.reason = reason;
    }

    private static String format(String source, int line, String path, String reason) {
        StringBuilder sb = new StringBuilder(source);
        if (line > 0) {
            sb.append(':').append(line);
        }
        sb.append(": ");
        if (path != null && !path.isEmpty()) {
            sb.append(path).append(": ");
        }
        sb.append(reason.strip().replaceAll("\\s*\\R\\s*", "; "));
        return sb.toString();
    }

    /** The file name as given (or the built-in scenario's name). */
    public String source() {
        return source;
    }

    /** 1-based line of the offending value, 0 when not known. */
    public int line() {
        return line;
    }

    /** Path of the offending value inside the file, e.g. {@code steps[2].memremap.size}; may be empty. */
    public String path() {
        return path;
    }

    public String reason() {
        return reason;
    }
}
