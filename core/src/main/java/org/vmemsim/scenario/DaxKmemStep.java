package org.vmemsim.scenario;

import java.util.LinkedHashMap;
import java.util.Map;
import org.vmemsim.kernel.HotplugActions;
import org.vmemsim.kernel.MachineSpec;
import org.vmemsim.mm.alloc.ZoneType;
import org.vmemsim.scenario.YamlTree.Node;
import org.vmemsim.util.Sz;
import org.vmemsim.util.U64;

/**
 * {@code dax_kmem}: {@code daxctl reconfigure-device --mode=system-ram} on a device-dax range
 * ({@link HotplugActions#daxKmem}): kmem adds the whole memory blocks of the range as
 * "System RAM (kmem)" and the blocks are onlined:
 * <pre>
 * - dax_kmem: {id: dax0.0, start: 0x20_0000_0000, size: 4G, node: 1, memmap_on_memory: true, zone: movable}
 * </pre>
 * {@code zone}: {@code movable} (default, as daxctl onlines), {@code normal}, or {@code none} to
 * leave the blocks offline ({@code --no-online}).
 */
public final class DaxKmemStep implements StepType<DaxKmemStep.DaxKmem> {
    public record DaxKmem(String id, long start, long size, int node, boolean memmapOnMemory, ZoneType zone) {}

    @Override
    public String name() {
        return "dax_kmem";
    }

    @Override
    public DaxKmem parse(String source, String path, Node body) {
        Args a = Args.open(source, path, body, "id", "start", "size", "node", "memmap_on_memory", "zone");
        String id = a.string("id");
        long start = a.address("start");
        long size = a.size("size");
        if (U64.endOverflows(start, size)) {
            throw a.error("size", "range " + U64.hex(start) + " + " + U64.hex(size) + " passes the end of the 64-bit address space");
        }
        int node = (int) a.optCount("node", 0, MachineSpec.MAX_NUMNODES - 1);
        ZoneType zone = ZoneType.MOVABLE;
        if (a.has("zone")) {
            zone = a.string("zone").trim().equalsIgnoreCase("none") ? null : OnlineStep.parseZone(a, "zone");
        }
        return new DaxKmem(id, start, size, node, a.optBool("memmap_on_memory", false), zone);
    }

    @Override
    public StepOutcome apply(DaxKmem m, StepContext ctx) {
        if (ctx.ranges().containsKey(m.id)) {
            return StepOutcome.failed(java.util.List.of(ctx.path() + ": id '" + m.id + "' is already in use in this run"));
        }
        int ret = ctx.kernel().hotplugActions.daxKmem(m.id, m.start, m.size, m.node, m.memmapOnMemory, m.zone);
        if (ret == 0) {
            ctx.ranges().put(m.id, new long[] {m.start, m.size});
        }
        return StepOutcome.ofKernel(ret, ctx.kernel()).with("device_bytes", m.size).with("data_bytes", m.size);
    }

    @Override
    public Map<String, Object> describe(DaxKmem m) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("id", m.id);
        d.put("start", U64.hex(m.start));
        d.put("size", m.size);
        d.put("node", m.node);
        d.put("memmap_on_memory", m.memmapOnMemory);
        d.put("zone", m.zone == null ? "none" : m.zone.label.toLowerCase(java.util.Locale.ROOT));
        return d;
    }

    @Override
    public String summary(DaxKmem m) {
        return m.id + " " + Sz.human(m.size) + "@" + U64.hex(m.start) + (m.node != 0 ? " node " + m.node : "")
                + (m.memmapOnMemory ? " memmap_on_memory" : "") + " " + (m.zone == null ? "offline" : m.zone.label);
    }

    @Override
    public String adds(DaxKmem m) {
        return m.id;
    }
}
