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

    FuzzStep generate(FuzzWorld w, SplittableRandom rng);
}
