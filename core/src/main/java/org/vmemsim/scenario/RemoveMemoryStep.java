package org.vmemsim.scenario;

import java.util.LinkedHashMap;
import java.util.Map;
import org.vmemsim.kernel.HotplugActions;
import org.vmemsim.scenario.YamlTree.Node;

/**
 * {@code remove_memory}: removes offline hot-added memory and unplugs the DIMM
 * ({@link HotplugActions#removeMemory}): {@code - remove_memory: {id: dimm0}} or
 * {@code {start: 0x1_0000_0000, size: 128M}}. Online blocks make it fail with the kernel's -EBUSY;
 * offline them first ({@code offline}).
 */
public final class RemoveMemoryStep implements StepType<RangeSel> {
    @Override
    public String name() {
        return "remove_memory";
    }

    @Override
    public RangeSel parse(String source, String path, Node body) {
        return RangeSel.parse(Args.open(source, path, body, "id", "start", "size"), false);
    }

    @Override
    public StepOutcome apply(RangeSel r, StepContext ctx) {
        long[] range = r.resolve(ctx);
        if (range == null) {
            return RangeSel.unknownId(r.id(), ctx);
        }
        int ret = ctx.kernel().hotplugActions.removeMemory(range[0], range[1]);
        if (ret == 0 && r.id() != null) {
            ctx.ranges().remove(r.id());
        }
        return StepOutcome.ofKernel(ret, ctx.kernel());
    }

    @Override
    public Map<String, Object> describe(RangeSel r) {
        Map<String, Object> d = new LinkedHashMap<>();
        r.describe(d);
        return d;
    }

    @Override
    public String summary(RangeSel r) {
        return r.summary();
    }

    @Override
    public String removes(RangeSel r) {
        return r.id();
    }
}
