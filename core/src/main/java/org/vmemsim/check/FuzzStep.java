package org.vmemsim.check;

import java.util.List;

/**
 * One concrete step of a fuzz sequence, with its arguments fixed, so a sequence can be replayed,
 * shrunk and printed as a scenario. New kinds of steps (add/remove memory, online/offline,
 * namespaces) implement this and come with an {@link Action} that draws them.
 */
public interface FuzzStep {
    /** One line for reports, e.g. {@code memremap d3 [0x2000000000 + 64M] no altmap}. */
    String describe();

    /** The step as one YAML flow mapping of the scenario format, e.g. {@code memremap: {id: d3, ...}}. */
    String yaml();

    /** Whether the step makes sense in the world as it is now (replays skip steps that do not). */
    boolean applicable(FuzzWorld w);

    /** The pfn ranges (pairs [start, end)) the step touches, evaluated before it runs. */
    long[] scope(FuzzWorld w);

    /** The device the step is about: its own memmap may not dangle after the step. */
    String subject();

    /** Runs the step on {@code w.k}, updates {@code w}, and returns 0 or a negative errno. */
    int apply(FuzzWorld w);

    /** Simpler variants of this step, most promising first, for shrinking. */
    List<FuzzStep> shrinks();
}
