package org.vmemsim.check;

import java.util.SplittableRandom;

/**
 * A kind of step the fuzzer can draw: a weight, a precondition on the current world, and a
 * generator that draws the arguments from the world (e.g. "unmap one of the live devices").
 */
public interface Action {
    String name();

    int weight();

    boolean precondition(FuzzWorld w);

    /**
     * Null when the machine's kernel has what this action exercises; else the one-line reason (a
     * feature its architecture or profile lacks). Unavailable actions are never drawn.
     */
    default String unavailable(FuzzWorld w) {
        return null;
    }

    FuzzStep generate(FuzzWorld w, SplittableRandom rng);
}
