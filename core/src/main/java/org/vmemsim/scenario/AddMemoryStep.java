package org.vmemsim.scenario;

import java.util.LinkedHashMap;
import java.util.Map;
import org.vmemsim.kernel.HotplugActions;
import org.vmemsim.kernel.MachineSpec;
import org.vmemsim.scenario.YamlTree.Node;
import org.vmemsim.util.Sz;
import org.vmemsim.util.U64;

/**
 * {@code add_memory}: plugs a DIMM and hot-adds it as the ACPI memory driver does
 * ({@link HotplugActions#addMemory}); the new memory blocks stay offline:
 * <pre>
 * - add_memory: {id: dimm0, start: 0x1_0000_0000, size: 128M, node: 0, memmap_on_memory: true}
 * </pre>
 * With {@code memmap_on_memory} the driver asks for MHP_MEMMAP_ON_MEMORY; the kernel grants it only
 * when the machine's {@code memmap_on_memory} switch and the geometry allow it, else the memmap
 * silently comes from RAM.
 */
public final class AddMemoryStep implements StepType<AddMemoryStep.AddMemory> {
    public record AddMemory(String id, long start, long size, int node, boolean memmapOnMemory) {}

    @Override
    public String name() {
        return "add_memory";
    }

    @Override
    public AddMemory parse(String source, String path, Node body) {
        Args a = Args.open(source, path, body, "id", "start", "size", "node", "memmap_on_memory");
        String id = a.string("id");
        long start = a.address("start");
        long size = a.size("size");
        if (U64.endOverflows(start, size)) {
            throw a.error("size", "range " + U64.hex(start) + " + " + U64.hex(size) + " passes the end of the 64-bit address space");
        }
        int node = (int) a.optCount("node", 0, MachineSpec.MAX_NUMNODES - 1);
        return new AddMemory(id, start, size, node, a.optBool("memmap_on_memory", false));
    }

    @Override
    public StepOutcome apply(AddMemory m, StepContext ctx) {
        if (ctx.ranges().containsKey(m.id)) {
            return StepOutcome.failed(java.util.List.of(ctx.path() + ": id '" + m.id + "' is already in use in this run"));
        }
        long selfHosted = org.vmemsim.view.Accounting.memmap(ctx.kernel()).deviceBytes();
        int ret = ctx.kernel().hotplugActions.addMemory(m.start, m.size, m.node, m.memmapOnMemory);
        if (ret == 0) {
            ctx.ranges().put(m.id, new long[] {m.start, m.size});
        }
        // memory left for data: the DIMM less the memmap it hosts (memmap_on_memory)
        selfHosted = org.vmemsim.view.Accounting.memmap(ctx.kernel()).deviceBytes() - selfHosted;
        return StepOutcome.ofKernel(ret, ctx.kernel()).with("device_bytes", m.size).with("data_bytes", m.size - selfHosted);
    }

    @Override
    public Map<String, Object> describe(AddMemory m) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("id", m.id);
        d.put("start", U64.hex(m.start));
        d.put("size", m.size);
        d.put("node", m.node);
        d.put("memmap_on_memory", m.memmapOnMemory);
        return d;
    }

    @Override
    public String summary(AddMemory m) {
        return m.id + " " + Sz.human(m.size) + "@" + U64.hex(m.start) + (m.node != 0 ? " node " + m.node : "")
                + (m.memmapOnMemory ? " memmap_on_memory" : "");
    }

    @Override
    public String adds(AddMemory m) {
        return m.id;
    }
}
