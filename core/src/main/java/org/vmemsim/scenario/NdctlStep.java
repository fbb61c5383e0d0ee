package org.vmemsim.scenario;

import java.util.LinkedHashMap;
import java.util.Map;
import org.vmemsim.drivers.nvdimm.NdctlJson;
import org.vmemsim.drivers.nvdimm.Nvdimm;
import org.vmemsim.drivers.nvdimm.PfnMode;
import org.vmemsim.kernel.Kernel;
import org.vmemsim.scenario.YamlTree.Node;
import org.vmemsim.util.Sz;

/**
 * {@code ndctl}: creates or destroys a namespace on a pmem region of the machine
 * ({@link Nvdimm#createNamespace}, {@link Nvdimm#destroyNamespace}):
 * <pre>
 * - ndctl: {create-namespace: {region: 0, size: 4G, mode: devdax, map: dev, align: 2M}}
 * - ndctl: {destroy-namespace: namespace0.0}
 * </pre>
 * Namespaces are named {@code namespaceR.N}; their ZONE_DEVICE pgmap (and altmap) is named after
 * the pfn/dax device: {@code pfnR.N} (fsdax) or {@code daxR.N} (devdax).
 */
public final class NdctlStep implements StepType<NdctlStep.Ndctl> {
    /** {@code destroy != null}: destroy-namespace; else create-namespace with the other fields. */
    public record Ndctl(String destroy, int region, long size, boolean dax, PfnMode map, long align) {}

    /** Detail key the runner reads as the id a successful create added (the namespace name). */
    static final String ADDED_ID = "added_id";

    @Override
    public String name() {
        return "ndctl";
    }

    @Override
    public Ndctl parse(String source, String path, Node body) {
        Args a = Args.open(source, path, body, "create-namespace", "destroy-namespace");
        if (a.has("create-namespace") == a.has("destroy-namespace")) {
            throw a.error("give exactly one of 'create-namespace' or 'destroy-namespace'");
        }
        if (a.has("destroy-namespace")) {
            return new Ndctl(a.string("destroy-namespace"), 0, 0, false, null, 0);
        }
        Args c = a.sub("create-namespace", "region", "size", "mode", "map", "align");
        int region = (int) c.optCount("region", 0, 1 << 20);
        long size = c.size("size");
        String mode = c.optString("mode", "fsdax").trim();
        if (!mode.equals("fsdax") && !mode.equals("devdax")) {
            throw c.error("mode", "unknown mode '" + mode + "' (valid: fsdax, devdax)");
        }
        PfnMode map = PfnMode.PMEM;
        if (c.has("map")) {
            String m = c.string("map").trim();
            if (!m.equals("dev") && !m.equals("mem")) {
                throw c.error("map", "unknown map '" + m + "' (valid: dev, mem)");
            }
            map = PfnMode.parse(m);
        }
        long align = c.has("align") ? c.size("align") : 0;
        return new Ndctl(null, region, size, mode.equals("devdax"), map, align);
    }

    @Override
    public StepOutcome apply(Ndctl n, StepContext ctx) {
        Kernel k = ctx.kernel();
        k.log.clearLastError();
        if (n.destroy != null) {
            return StepOutcome.ofKernel(k.nvdimm.destroyNamespace(n.destroy), k);
        }
        Nvdimm.Namespace[] out = new Nvdimm.Namespace[1];
        int ret = k.nvdimm.createNamespace(n.region, n.size, n.dax, n.map, n.align, out);
        StepOutcome o = StepOutcome.ofKernel(ret, k).with("device_bytes", n.size);
        if (ret == 0) {
            Nvdimm.Namespace ns = out[0];
            o.with(ADDED_ID, ns.name()).with("device", ns.pfn.name);
            o.with("data_bytes", ns.pfn.sb != null ? ns.pfn.sb.dataSize(ns.pfn.nsSize) : 0L);
            o.with("ndctl", NdctlJson.utilNamespaceToJson(k.g, ns.pfn, ns.pfn.dax ? ns.region.nid() : -1, false));
        }
        return o;
    }

    @Override
    public Map<String, Object> describe(Ndctl n) {
        Map<String, Object> d = new LinkedHashMap<>();
        if (n.destroy != null) {
            d.put("destroy-namespace", n.destroy);
            return d;
        }
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("region", n.region);
        c.put("size", n.size);
        c.put("mode", n.dax ? "devdax" : "fsdax");
        c.put("map", n.map.ndctlMap);
        c.put("align", n.align);
        d.put("create-namespace", c);
        return d;
    }

    @Override
    public String summary(Ndctl n) {
        if (n.destroy != null) {
            return "destroy-namespace " + n.destroy;
        }
        return "create-namespace region" + n.region + " " + Sz.human(n.size) + " " + (n.dax ? "devdax" : "fsdax")
                + " map=" + n.map.ndctlMap + (n.align != 0 ? " align=" + Sz.human(n.align) : "");
    }

    /** A create adds a namespace whose name the kernel picks: the runner reads it from {@link #ADDED_ID}. */
    @Override
    public String adds(Ndctl n) {
        return n.destroy == null ? "ndctl-create-namespace" : null;
    }

    @Override
    public String removes(Ndctl n) {
        return n.destroy;
    }
}
