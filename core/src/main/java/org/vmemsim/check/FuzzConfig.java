package org.vmemsim.check;

import org.vmemsim.arch.Granule;
import org.vmemsim.kernel.MachineSpec;
import org.vmemsim.kernel.RamRange;
import org.vmemsim.util.U64;

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

    /** Where {@link #withDefaultPmem} puts its region: 192 GiB, clear of the fuzzer's DIMM and device windows. */
    public static final long DEFAULT_PMEM_START = 0x30_0000_0000L;
    public static final long DEFAULT_PMEM_SIZE = 4L << 30;

    /**
     * The machine as given, plus one 4 GiB pmem region at 192 GiB when it has none (so that the
     * namespace actions have somewhere to run) and the range is free of RAM.
     */
    public static MachineSpec withDefaultPmem(MachineSpec spec) {
        if (spec.pmem.isEmpty()) {
            for (RamRange r : spec.ram) {
                if (U64.overlaps(r.start(), r.end(), DEFAULT_PMEM_START, DEFAULT_PMEM_START + DEFAULT_PMEM_SIZE)) {
                    return spec;
                }
            }
            spec.pmem.add(new RamRange(DEFAULT_PMEM_START, DEFAULT_PMEM_SIZE, 0));
        }
        return spec;
    }

    /**
     * The small machine of the fuzz throughput budget ({@code vmemsim bench}, JMH {@code FuzzBench}):
     * arm64, 512 MiB of RAM at 0x4000_0000, the default pmem region.
     */
    public static MachineSpec smallMachine(Granule granule, boolean rodataFull) {
        MachineSpec spec = MachineSpec.defaults();
        spec.granule = granule;
        spec.rodataFull = rodataFull;
        spec.ram.clear();
        spec.ram.add(new RamRange(0x4000_0000L, 512L << 20, 0));
        return withDefaultPmem(spec);
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
