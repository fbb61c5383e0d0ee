package org.vmemsim.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.vmemsim.arch.Granule;
import org.vmemsim.check.FuzzConfig;
import org.vmemsim.check.FuzzReport;
import org.vmemsim.check.Fuzzer;
import org.vmemsim.kernel.MachineSpec;

/**
 * The fuzzer's throughput on a small machine (512 MiB of RAM, the default 4 GiB pmem region): one
 * campaign of {@value #OPS} random hot-plug operations with every invariant checked after every
 * operation (over its sections; over the whole model every 64). Reported per operation, so the
 * score is operations per second. Budget: at least 20,000 per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(value = 1, jvmArgs = {"-Xms512m", "-Xmx512m"})
public class FuzzBench {
    static final int OPS = 20_000;

    @Param({"64K:true", "4K:false"})
    public String machine;

    private MachineSpec spec;
    private long seed;

    @Setup
    public void setup() {
        String[] m = machine.split(":");
        spec = FuzzConfig.smallMachine(Granule.parse(m[0]), Boolean.parseBoolean(m[1]));
    }

    @Benchmark
    @OperationsPerInvocation(OPS)
    public FuzzReport campaign() {
        return new Fuzzer(FuzzConfig.of(spec, ++seed, OPS)).run();
    }
}
