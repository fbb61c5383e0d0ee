package org.vmemsim.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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
import org.vmemsim.arch.arm64.Arm64Pte;
import org.vmemsim.kernel.Kernel;

/**
 * What one vmemmap entry costs in the model, against the floor: a bare loop that writes the same
 * number of descriptors into fresh {@code long[]} tables of the same geometry. Both report
 * nanoseconds per entry ({@link OperationsPerInvocation}); {@link PerEntryReport} prints the ratio.
 *
 * <p>Both granules create {@value #ENTRIES} vmemmap leaf entries:
 * <pre>
 * 4K : hot-add 16 TiB -> 256 GiB of memmap in 2 MiB PMD blocks -> 2^17 entries in 256 PMD tables of 512
 * 64K: hot-add  8 TiB ->   8 GiB of memmap in 64 KiB PTE pages -> 2^17 entries in  16 PTE tables of 8192
 * </pre>
 * The model figure is the whole hot-add (memremap_pages: linear map, sections, usage maps, vmemmap
 * tables and leaves, altmap accounting) divided by the leaf entries it creates.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgs = {"-Xms512m", "-Xmx512m"})
public class PerEntryBench {
    /** Vmemmap leaf entries created per invocation, for both granules. */
    public static final int ENTRIES = 1 << 17;

    /** Device bytes whose memmap needs {@link #ENTRIES} leaf entries. */
    static long deviceSize(Granule g) {
        return g == Granule.G4K ? 16 * Scenarios.TIB : 8 * Scenarios.TIB;
    }

    /** A fresh 4 GiB machine per invocation, booted outside the timed region. */
    @State(Scope.Thread)
    public static class Model {
        @Param({"4K", "64K"})
        public String granule;
        Kernel kernel;
        long size;

        @Setup(Level.Invocation)
        public void boot() {
            Granule g = Granule.parse(granule);
            kernel = Scenarios.hotplugMachine(g);
            size = deviceSize(g);
            long entries = Scenarios.vmemmapEntries(kernel, size);
            if (entries != ENTRIES) {
                throw new IllegalStateException(granule + ": " + entries + " vmemmap entries, expected " + ENTRIES);
            }
        }
    }

    /** Geometry of the bare loop: table size in entries and the output-address step of a leaf. */
    @State(Scope.Thread)
    public static class Bare {
        @Param({"4K", "64K"})
        public String granule;
        int perTable;
        long step;
        /** PAGE_KERNEL-like attributes of a valid block/page descriptor (AF, inner shareable, normal memory). */
        long attrs;

        @Setup
        public void geometry() {
            Granule g = Granule.parse(granule);
            perTable = (int) (g.pageSize() / 8);
            step = g == Granule.G4K ? 1L << 21 : g.pageSize();
            attrs = Arm64Pte.PTE_AF | Arm64Pte.PTE_SHARED | Arm64Pte.PTE_PXN | Arm64Pte.PTE_UXN
                    | (g == Granule.G4K ? Arm64Pte.PMD_TYPE_SECT : Arm64Pte.PTE_TYPE_PAGE);
        }
    }

    @Benchmark
    @OperationsPerInvocation(ENTRIES)
    public Kernel model(Model m) {
        Scenarios.hotAdd(m.kernel, m.size);
        return m.kernel;
    }

    @Benchmark
    @OperationsPerInvocation(ENTRIES)
    public long[][] bareLoop(Bare b) {
        long[][] tables = new long[ENTRIES / b.perTable][];
        long pa = Scenarios.DEVICE_BASE;
        for (int t = 0; t < tables.length; t++) {
            long[] table = new long[b.perTable];
            for (int i = 0; i < table.length; i++) {
                table[i] = pa | b.attrs;
                pa += b.step;
            }
            tables[t] = table;
        }
        return tables;
    }
}
