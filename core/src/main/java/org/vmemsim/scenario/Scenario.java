package org.vmemsim.scenario;

import java.util.List;
import org.vmemsim.kernel.MachineSpec;

/**
 * A parsed, validated scenario: a name, a description, and one or more runs, each a machine and
 * its steps. A file with {@code machine:} and {@code steps:} has one run; a file with {@code runs:}
 * has several (e.g. the same story on 4K and on 64K pages).
 */
public record Scenario(String source, String name, String description, List<Run> runs) {
    /**
     * One machine and what happens to it.
     *
     * @param path the run's path in the file: "" for a single-run file, else {@code runs[i]}
     */
    public record Run(String name, String path, MachineSpec machine, int machineLine, List<ParsedStep<?>> steps) {
        /** The path of step {@code i}, e.g. {@code steps[2]} or {@code runs[1].steps[2]}. */
        public String stepPath(int i) {
            return Args.join(path, "steps[" + i + "]");
        }
    }
}
