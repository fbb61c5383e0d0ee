package org.vmemsim.scenario;

import java.util.Map;
import org.vmemsim.scenario.YamlTree.Node;

/**
 * One kind of scenario step ({@code memremap}, {@code memunmap}, {@code expect}, ...). A step type
 * parses its own arguments from the file (strictly, through {@link Args}) and applies them to the
 * running machine. New kinds of steps are added by implementing this interface and registering
 * the type in a {@link StepRegistry}; the runner needs no change.
 *
 * @param <A> the parsed, validated arguments of one step
 */
public interface StepType<A> {
    /** What a step does to the run. */
    enum Kind {
        /** Calls the kernel: its result, log, accounting change and kept pages are recorded. */
        ACTION,
        /** Checks the state and the previous action's outcome; changes nothing. */
        CHECK,
        /** Prepares the next action (e.g. arms fault injection); calls no kernel entry point. */
        SETUP
    }

    /** The key that introduces the step in a file, e.g. {@code memremap}. */
    String name();

    default Kind kind() {
        return Kind.ACTION;
    }

    /**
     * Parses and validates the step's body.
     *
     * @param source file name for errors
     * @param path path of the body in the file, e.g. {@code steps[2].memremap}
     * @throws ScenarioException naming the line, the path and the reason
     */
    A parse(String source, String path, Node body);

    /** Runs the step on the run's machine. Kernel errors are outcomes, not exceptions. */
    StepOutcome apply(A args, StepContext ctx);

    /** The arguments as a JSON-ready map (deterministic order), echoed in the report. */
    Map<String, Object> describe(A args);

    /** A short text form for the per-step line, e.g. {@code dev0 fsdax 64G@0x2000000000 altmap}. */
    String summary(A args);

    /** For a step that adds something removable: the id it adds (kept-page tracking), else null. */
    default String adds(A args) {
        return null;
    }

    /** For a step that removes what an earlier step added: that id, else null. */
    default String removes(A args) {
        return null;
    }
}
