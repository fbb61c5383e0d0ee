package org.vmemsim.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.vmemsim.arch.Granule;
import org.vmemsim.kernel.Kernel;
import org.vmemsim.kernel.MachineSpec;

/**
 * Boot of a 1 TiB-RAM arm64/4K machine (mainline), with the linear map at page granularity
 * ({@code rodata_full=1}: 256 Mi PTEs in half a million PTE tables) and block-mapped
 * ({@code rodata_full=0}: 1 GiB PUD blocks). Budget: well under 2 s per boot in a 512 MiB heap: the
 * fork runs with {@code -Xms512m -Xmx512m}, so a run that needed more would fail with OutOfMemoryError
 * ({@code vmemsim bench} reports the live heap of the same scenarios).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgs = {"-Xms512m", "-Xmx512m"})
public class BootBench {
    @Param({"true", "false"})
    public boolean rodataFull;

    private MachineSpec spec;

    @Setup
    public void setup() {
        spec = Scenarios.machine(Granule.G4K, Scenarios.TIB, rodataFull);
    }

    @Benchmark
    public Kernel boot1TiB() {
        return Kernel.boot(spec);
    }
}
