package org.vmemsim.check;

import org.vmemsim.kernel.MachineSpec;

/**
 * One fuzz campaign: the machine, the seed, how many operations, the probability that any one
 * allocation fails ({@code failRate}, drawn per step as "fail the Nth allocation", so replays and
 * scenarios reproduce it exactly), and how often the invariants are checked over the whole model
 * instead of the step's scope ({@code fullEvery} steps; the last step always gets a full check).
 */
public record FuzzConfig(MachineSpec spec, long seed, long ops, double failRate, int fullEvery) {
    public FuzzConfig {
        if (ops < 0) {
            throw new IllegalArgumentException("ops " + ops + " must not be negative");
        }
        if (!(failRate >= 0 && failRate <= 1)) {
            throw new IllegalArgumentException("fail rate " + failRate + " must be between 0 and 1");
        }
        if (fullEvery < 0) {
            throw new IllegalArgumentException("full-check interval " + fullEvery + " must not be negative");
        }
    }

    public static FuzzConfig of(MachineSpec spec, long seed, long ops) {
        return new FuzzConfig(spec, seed, ops, 0, 64);
    }

    public FuzzConfig withFailRate(double p) {
        return new FuzzConfig(spec, seed, ops, p, fullEvery);
    }

    public FuzzConfig withFullEvery(int n) {
        return new FuzzConfig(spec, seed, ops, failRate, n);
    }
}
