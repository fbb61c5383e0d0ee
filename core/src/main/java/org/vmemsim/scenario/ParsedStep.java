package org.vmemsim.scenario;

import java.util.Map;

/**
 * One step of a run as read from the file: its type, its validated arguments, where it was
 * ({@code path}, {@code line}) and an optional label for reports.
 */
public record ParsedStep<A>(StepType<A> type, A args, String path, int line, String label) {
    public StepOutcome apply(StepContext ctx) {
        return type.apply(args, ctx);
    }

    public Map<String, Object> describe() {
        return type.describe(args);
    }

    public String summary() {
        return type.summary(args);
    }

    public String adds() {
        return type.adds(args);
    }

    public String removes() {
        return type.removes(args);
    }

    public StepType.Kind kind() {
        return type.kind();
    }

    public String name() {
        return type.name();
    }
}
