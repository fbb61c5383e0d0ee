package org.vmemsim.scenario;

import java.util.LinkedHashMap;
import java.util.Map;
import org.vmemsim.kernel.HotplugActions;
import org.vmemsim.scenario.YamlTree.Node;

/**
 * {@code dax_kmem_remove}: {@code daxctl reconfigure-device --mode=devdax} on a device a
 * {@code dax_kmem} step converted ({@link HotplugActions#daxKmemRemove}): offlines its blocks and
 * unbinds kmem. {@code - dax_kmem_remove: {id: dax0.0}}.
 */
public final class DaxKmemRemoveStep implements StepType<String> {
    @Override
    public String name() {
        return "dax_kmem_remove";
    }

    @Override
    public String parse(String source, String path, Node body) {
        return Args.open(source, path, body, "id").string("id");
    }

    @Override
    public StepOutcome apply(String id, StepContext ctx) {
        int ret = ctx.kernel().hotplugActions.daxKmemRemove(id);
        if (ret == 0) {
            ctx.ranges().remove(id);
        }
        return StepOutcome.ofKernel(ret, ctx.kernel());
    }

    @Override
    public Map<String, Object> describe(String id) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("id", id);
        return d;
    }

    @Override
    public String summary(String id) {
        return id;
    }

    @Override
    public String removes(String id) {
        return id;
    }
}
