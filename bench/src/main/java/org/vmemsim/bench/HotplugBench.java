package org.vmemsim.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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

/**
 * Hot-add then hot-remove of 64 TiB of ZONE_DEVICE memory with an altmap (memremap_pages /
 * memunmap_pages) on a freshly booted 4 GiB machine, rodata_full=0, mainline; 4K (half a million
 * PMD-block vmemmap entries and sections) and 64K (a million PTE vmemmap entries). Every
 * invocation gets a new kernel, booted outside the timed region. Budget: at most 1 s per
 * add + remove pair in a 512 MiB heap (the fork runs with {@code -Xms512m -Xmx512m}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 5) // an invocation takes 0.1..1 s, so iterations are longer than the others'
@Measurement(iterations = 3, time = 5)
@Fork(value = 1, jvmArgs = {"-Xms512m", "-Xmx512m"})
public class HotplugBench {
    public static final long SIZE = 64 * Scenarios.TIB;

    @Param({"4K", "64K"})
    public String granule;

    private Kernel kernel;

    @Setup(Level.Invocation)
    public void boot() {
        kernel = Scenarios.hotplugMachine(Granule.parse(granule));
    }

    @Benchmark
    public long addRemove64TiB() {
        Scenarios.hotAdd(kernel, SIZE);
        Scenarios.hotRemove(kernel);
        return kernel.mm.buddy.nrFreePages();
    }
}
