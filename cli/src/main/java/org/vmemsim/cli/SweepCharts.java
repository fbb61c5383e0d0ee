package org.vmemsim.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.vmemsim.plan.Sweep;

/**
 * Charts of a sweep, drawn by XChart and written as SVG and PNG: RAM cost against device size, and
 * memmap bytes in RAM and on the device against device size, both on log-log axes with one line per
 * configuration. A grid with more than one kernel, VA size, rodata_full or mode value gets one pair
 * of charts per combination of those (one line per arch x granule x map), named after it.
 *
 * <p>The axes are binary log scales: the charts plot log2 of the byte counts on linear axes and
 * label the ticks back in bytes ("1G", "64T"), since XChart's own log axes are decimal (1E9,
 * 1E10). A log scale cannot show zero: a point whose figure is 0 (a 64K-page device whose page
 * tables already existed costs no RAM) or that failed is left out of its line. Rendering is
 * headless; the same results give the same files.
 */
final class SweepCharts {
    private SweepCharts() {}

    /**
     * Writes the charts into {@code dir}, drawing up to {@code threads} charts at a time (each chart
     * is its own object; files do not depend on the order they are drawn in). Returns the files
     * written, in group order.
     */
    static List<Path> write(List<Sweep.Result> results, Path dir, int threads) throws IOException, InterruptedException {
        System.setProperty("java.awt.headless", "true");
        Map<String, List<Sweep.Result>> groups = new LinkedHashMap<>();
        for (Sweep.Result r : results) {
            groups.computeIfAbsent(group(r.point()), g -> new ArrayList<>()).add(r);
        }
        List<Callable<List<Path>>> jobs = new ArrayList<>();
        for (var e : groups.entrySet()) {
            String suffix = e.getKey().isEmpty() ? "" : "-" + fileSafe(e.getKey());
            String scope = e.getKey().isEmpty() ? "" : " (" + e.getKey() + ")";
            Map<String, List<Sweep.Result>> series = bySeries(e.getValue());
            jobs.add(() -> save(costChart(scope, series), dir.resolve("ram-cost" + suffix)));
            jobs.add(() -> save(memmapChart(scope, series), dir.resolve("memmap" + suffix)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, jobs.size())));
        try {
            List<Path> files = new ArrayList<>();
            for (Future<List<Path>> f : pool.invokeAll(jobs)) {
                try {
                    files.addAll(f.get());
                } catch (ExecutionException ex) {
                    if (ex.getCause() instanceof IOException io) {
                        throw io;
                    }
                    throw new IllegalStateException("drawing a chart failed: " + ex.getCause(), ex.getCause());
                }
            }
            return files;
        } finally {
            pool.shutdownNow();
        }
    }

    private static XYChart costChart(String scope, Map<String, List<Sweep.Result>> series) {
        XYChart cost = chart("RAM cost of hot-adding one pmem device" + scope, "RAM cost");
        for (var s : series.values()) {
            line(cost, seriesLabel(s.get(0).point()), s, "ram_cost_bytes", false);
        }
        return cost;
    }

    private static XYChart memmapChart(String scope, Map<String, List<Sweep.Result>> series) {
        XYChart memmap = chart("memmap in RAM (map=mem, solid) and on the device (map=dev, dashed)" + scope,
                "memmap");
        // the same bytes either way: solid RAM lines first, dashed device lines drawn over them
        for (boolean dev : new boolean[] {false, true}) {
            for (var s : series.values()) {
                if (s.get(0).point().map().equals("dev") == dev) {
                    line(memmap, seriesLabel(s.get(0).point()) + (dev ? ": on the device" : ": in RAM"), s,
                            dev ? "memmap_device_bytes" : "memmap_ram_bytes", dev);
                }
            }
        }
        return memmap;
    }

    /**
     * The dimensions other than arch, granule and map that vary in the grid, as "kernel=6.1
     * mode=fsdax": the arches of a grid share a chart, one line each.
     */
    private static String group(Sweep.Point p) {
        String s = p.series().substring(archPrefix(p).length());
        String head = p.granule().label() + " map=" + p.map();
        return s.startsWith(head) ? s.substring(head.length()).trim() : s;
    }

    private static String seriesLabel(Sweep.Point p) {
        return archPrefix(p) + p.granule().label() + " pages, map=" + p.map();
    }

    /** "x86_64 " or "riscv64:48 " when the series names its arch (a grid of several), else "". */
    private static String archPrefix(Sweep.Point p) {
        String s = p.series();
        int sp = s.indexOf(' ');
        String first = sp < 0 ? s : s.substring(0, sp);
        return first.equals(p.arch().label) || first.startsWith(p.arch().label + ":") ? first + " " : "";
    }

    private static String fileSafe(String s) {
        return s.toLowerCase(Locale.ROOT).replace(' ', '_').replaceAll("[^a-z0-9_.=-]", "").replace('=', '-');
    }

    private static Map<String, List<Sweep.Result>> bySeries(List<Sweep.Result> rs) {
        Map<String, List<Sweep.Result>> m = new LinkedHashMap<>();
        for (Sweep.Result r : rs) {
            m.computeIfAbsent(r.point().series(), k -> new ArrayList<>()).add(r);
        }
        return m;
    }

    private static XYChart chart(String title, String yTitle) {
        XYChart c = new XYChartBuilder().width(960).height(640).title(title)
                .xAxisTitle("device size (bytes, log2 scale)").yAxisTitle(yTitle + " (bytes, log2 scale)").build();
        var st = c.getStyler();
        st.setLegendPosition(Styler.LegendPosition.InsideNW);
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotGridLinesVisible(true);
        st.setxAxisTickLabelsFormattingFunction(SweepCharts::bytesLabel);
        st.setyAxisTickLabelsFormattingFunction(SweepCharts::bytesLabel);
        st.setMarkerSize(5);
        return c;
    }

    /** Tick labels of a log2 axis in binary units: 30 -> 1G, 46 -> 64T, 22.5 -> 5.7M. */
    static String bytesLabel(Double log2) {
        double b = Math.pow(2, log2);
        String[] units = {"", "K", "M", "G", "T", "P", "E"};
        int u = 0;
        double x = b;
        while (u < units.length - 1 && x >= 1024) {
            x /= 1024;
            u++;
        }
        return x == Math.rint(x) ? (long) x + units[u] : String.format(Locale.ROOT, "%.1f%s", x, units[u]);
    }

    private static void line(XYChart c, String name, List<Sweep.Result> rs, String key, boolean dashed) {
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (Sweep.Result r : rs) {
            long y = r.figure(key);
            if (r.result().equals("ok") && y > 0) {
                xs.add(log2(r.point().size()));
                ys.add(log2(y));
            }
        }
        if (xs.isEmpty()) {
            return;
        }
        XYSeries s = c.addSeries(name, xs, ys);
        s.setMarker(SeriesMarkers.CIRCLE);
        if (dashed) {
            s.setLineStyle(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
        } else {
            s.setLineWidth(3f);
        }
    }

    /** log2, exact for powers of two. */
    private static double log2(long v) {
        return Long.bitCount(v) == 1 ? Long.numberOfTrailingZeros(v) : Math.log(v) / Math.log(2);
    }

    private static List<Path> save(XYChart c, Path base) throws IOException {
        if (c.getSeriesMap().isEmpty()) {
            return List.of();
        }
        VectorGraphicsEncoder.saveVectorGraphic(c, base + ".svg", VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        BitmapEncoder.saveBitmap(c, base + ".png", BitmapEncoder.BitmapFormat.PNG);
        return List.of(Path.of(base + ".svg"), Path.of(base + ".png"));
    }
}
