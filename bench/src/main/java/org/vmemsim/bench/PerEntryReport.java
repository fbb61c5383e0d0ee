package org.vmemsim.bench;

import java.util.Collection;
import java.util.TreeMap;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link PerEntryBench} and prints, per granule, ns/entry of the model and of the bare loop
 * and their ratio. Usage: {@code java -cp bench/target/benchmarks.jar org.vmemsim.bench.PerEntryReport
 * [JMH options]} (JMH options as for {@code org.openjdk.jmh.Main}, e.g. {@code -wi 1 -i 2}).
 */
public final class PerEntryReport {
    private PerEntryReport() {}

    public static void main(String[] args) throws RunnerException, CommandLineOptionException {
        Options opts = new OptionsBuilder()
                .parent(new CommandLineOptions(args))
                .include(PerEntryBench.class.getName() + "\\.")
                .build();
        Collection<RunResult> results = new Runner(opts).run();
        TreeMap<String, double[]> byGranule = new TreeMap<>();
        for (RunResult r : results) {
            String granule = r.getParams().getParam("granule");
            String method = r.getParams().getBenchmark();
            double score = r.getPrimaryResult().getScore();
            double[] v = byGranule.computeIfAbsent(granule, k -> new double[2]);
            v[method.endsWith(".model") ? 0 : 1] = score;
        }
        System.out.println();
        System.out.printf("%-8s %16s %16s %10s%n", "granule", "model ns/entry", "bare ns/entry", "ratio");
        for (var e : byGranule.entrySet()) {
            double[] v = e.getValue();
            System.out.printf("%-8s %16.2f %16.3f %10.0f%n", e.getKey(), v[0], v[1], v[1] == 0 ? Double.NaN : v[0] / v[1]);
        }
    }
}
