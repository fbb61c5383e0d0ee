package org.vmemsim.scenario;

import java.util.Map;
import java.util.function.Supplier;
import org.vmemsim.kernel.Kernel;

/**
 * What a step sees while it runs: the run's machine, where the step is in the file, and (for
 * checks) the values an expectation may name.
 */
public final class StepContext {
    private final Kernel kernel;
    private final String runName;
    private final String path;
    private final Supplier<Map<String, Object>> values;
    private final Map<String, long[]> ranges;

    StepContext(Kernel kernel, String runName, String path, Supplier<Map<String, Object>> values) {
        this(kernel, runName, path, values, new java.util.HashMap<>());
    }

    StepContext(Kernel kernel, String runName, String path, Supplier<Map<String, Object>> values,
                Map<String, long[]> ranges) {
        this.kernel = kernel;
        this.runName = runName;
        this.path = path;
        this.values = values;
        this.ranges = ranges;
    }

    /** A context for running an action step outside a {@link ScenarioRunner} (e.g. a fault sweep). */
    public static StepContext forAction(Kernel kernel, String runName, String path, Map<String, long[]> ranges) {
        return new StepContext(kernel, runName, path, Map::of, ranges);
    }

    /**
     * The physical ranges ({@code {start, size}}) that earlier steps of this run added under an id
     * ({@code add_memory}, {@code dax_kmem}), so later steps may name them by id. Run-scoped.
     */
    public Map<String, long[]> ranges() {
        return ranges;
    }

    public Kernel kernel() {
        return kernel;
    }

    public String runName() {
        return runName;
    }

    /** The step's path in the file, e.g. {@code runs[0].steps[3]}. */
    public String path() {
        return path;
    }

    /**
     * The values an expectation can name by dotted path: {@code result}, {@code function},
     * {@code message}, {@code warnings}, {@code kept} (of the previous action), {@code accounting},
     * {@code altmaps} (by id), {@code meminfo}, {@code delta} (change made by the previous action)
     * and {@code since_boot}. See docs/scenario-format.md.
     */
    public Map<String, Object> values() {
        return values.get();
    }
}
