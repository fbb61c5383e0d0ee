package org.vmemsim.scenario;

import java.util.LinkedHashMap;
import java.util.Map;
import org.vmemsim.kernel.Kernel;
import org.vmemsim.kernel.MachineSpec;
import org.vmemsim.mm.memremap.MemoryType;
import org.vmemsim.scenario.YamlTree.Node;
import org.vmemsim.scenario.YamlTree.ScalarKind;
import org.vmemsim.scenario.YamlTree.ScalarNode;
import org.vmemsim.util.Sz;
import org.vmemsim.util.U64;

/**
 * {@code memremap}: hot-adds a device range as ZONE_DEVICE memory through
 * {@link Kernel#memremap} ({@code memremap_pages}), optionally with a vmem_altmap:
 * <pre>
 * - memremap: {id: dev0, start: 0x20_0000_0000, size: 64G, type: fsdax,
 *              altmap: {reserve: 2, free: auto}, nid: 0}
 * </pre>
 * {@code reserve} and {@code free} count pfns; {@code free: auto} sizes the pool for the range's
 * memmap ({@link Kernel#autoAltmapFree}).
 */
public final class MemremapStep implements StepType<MemremapStep.Memremap> {
    /** Upper bound for reserve/free pfn counts: far beyond any device, and no arithmetic wraps. */
    static final long MAX_PFNS = 1L << 40;

    /** {@code free < 0} means "auto". */
    public record Altmap(long reserve, long free) {
        public boolean auto() {
            return free < 0;
        }
    }

    public record Memremap(String id, MemoryType type, long start, long size, Altmap altmap, int nid) {}

    @Override
    public String name() {
        return "memremap";
    }

    @Override
    public Memremap parse(String source, String path, Node body) {
        Args a = Args.open(source, path, body, "id", "start", "size", "type", "altmap", "nid");
        String id = a.string("id");
        long start = a.address("start");
        long size = a.size("size");
        if (U64.endOverflows(start, size)) {
            throw a.error("size", "range " + U64.hex(start) + " + " + U64.hex(size) + " passes the end of the 64-bit address space");
        }
        MemoryType type = MemoryType.FS_DAX;
        if (a.has("type")) {
            try {
                type = MemoryType.parse(a.string("type"));
            } catch (IllegalArgumentException e) {
                throw a.error("type", e.getMessage());
            }
        }
        Altmap altmap = null;
        if (a.has("altmap")) {
            Args m = a.sub("altmap", "reserve", "free");
            long reserve = m.optCount("reserve", 0, MAX_PFNS);
            long free = -1;
            if (m.has("free")) {
                Node f = m.node("free");
                boolean auto = f instanceof ScalarNode s && s.kind() == ScalarKind.STRING && s.text().trim().equals("auto");
                if (!auto) {
                    try {
                        free = m.count("free", MAX_PFNS);
                    } catch (ScenarioException e) {
                        throw m.error("free", e.reason() + "; give a number of pfns or 'auto'");
                    }
                }
            }
            altmap = new Altmap(reserve, free);
        }
        int nid = (int) a.optCount("nid", 0, MachineSpec.MAX_NUMNODES - 1);
        return new Memremap(id, type, start, size, altmap, nid);
    }

    @Override
    public StepOutcome apply(Memremap m, StepContext ctx) {
        Kernel k = ctx.kernel();
        long nrPages = m.size >>> k.g.pageShift;
        long reserve = 0;
        long free = -1;
        if (m.altmap != null) {
            reserve = m.altmap.reserve;
            free = m.altmap.auto() ? k.autoAltmapFree(nrPages, reserve) : m.altmap.free;
        }
        int ret = k.memremap(m.id, m.type, m.start, m.size, reserve, free, m.nid);
        StepOutcome o = StepOutcome.ofKernel(ret, k).with("device_bytes", m.size);
        if (m.altmap != null) {
            Map<String, Object> alt = new LinkedHashMap<>();
            alt.put("reserve", reserve);
            alt.put("free", free);
            o.with("altmap", alt);
            long offsetBytes = (reserve + free) * k.g.pageSize;
            o.with("data_bytes", U64.gt(offsetBytes, m.size) ? 0L : m.size - offsetBytes);
        } else {
            o.with("data_bytes", m.size);
        }
        return o;
    }

    @Override
    public Map<String, Object> describe(Memremap m) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("id", m.id);
        d.put("type", m.type.label);
        d.put("start", U64.hex(m.start));
        d.put("size", m.size);
        if (m.altmap != null) {
            Map<String, Object> alt = new LinkedHashMap<>();
            alt.put("reserve", m.altmap.reserve);
            alt.put("free", m.altmap.auto() ? "auto" : m.altmap.free);
            d.put("altmap", alt);
        } else {
            d.put("altmap", null);
        }
        d.put("nid", m.nid);
        return d;
    }

    @Override
    public String summary(Memremap m) {
        String alt = m.altmap == null ? "no altmap"
                : "altmap(reserve " + m.altmap.reserve + ", free " + (m.altmap.auto() ? "auto" : Long.toString(m.altmap.free)) + ")";
        return m.id + " " + m.type.label + " " + Sz.human(m.size) + "@" + U64.hex(m.start) + " " + alt
                + (m.nid != 0 ? " nid " + m.nid : "");
    }

    @Override
    public String adds(Memremap m) {
        return m.id;
    }
}
