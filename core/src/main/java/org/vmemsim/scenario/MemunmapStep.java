package org.vmemsim.scenario;

import java.util.LinkedHashMap;
import java.util.Map;
import org.vmemsim.scenario.YamlTree.Node;

/**
 * {@code memunmap}: removes a ZONE_DEVICE mapping made by an earlier {@code memremap}
 * ({@code memunmap_pages} through {@link org.vmemsim.kernel.Kernel#memunmap}):
 * {@code - memunmap: {id: dev0}}.
 */
public final class MemunmapStep implements StepType<MemunmapStep.Memunmap> {
    public record Memunmap(String id) {}

    @Override
    public String name() {
        return "memunmap";
    }

    @Override
    public Memunmap parse(String source, String path, Node body) {
        Args a = Args.open(source, path, body, "id");
        return new Memunmap(a.string("id"));
    }

    @Override
    public StepOutcome apply(Memunmap m, StepContext ctx) {
        return StepOutcome.ofKernel(ctx.kernel().memunmap(m.id), ctx.kernel());
    }

    @Override
    public Map<String, Object> describe(Memunmap m) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("id", m.id);
        return d;
    }

    @Override
    public String summary(Memunmap m) {
        return m.id;
    }

    @Override
    public String removes(Memunmap m) {
        return m.id;
    }
}
