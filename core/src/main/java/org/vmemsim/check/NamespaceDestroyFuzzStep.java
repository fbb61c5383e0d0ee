package org.vmemsim.check;

import java.util.List;
import org.vmemsim.drivers.nvdimm.Nvdimm;

/** {@code ndctl destroy-namespace NAME} of a live namespace. */
public record NamespaceDestroyFuzzStep(String name) implements FuzzStep {
    @Override
    public String describe() {
        return "ndctl destroy-namespace " + name;
    }

    @Override
    public String yaml() {
        return "ndctl: {destroy-namespace: " + name + "}";
    }

    @Override
    public boolean applicable(FuzzWorld w) {
        return w.k.nvdimm.namespaces().containsKey(name);
    }

    @Override
    public long[] scope(FuzzWorld w) {
        Nvdimm.Namespace ns = w.k.nvdimm.namespaces().get(name);
        return ns == null ? new long[0]
                : w.pfnScope(ns.start, ns.size);
    }

    @Override
    public String subject() {
        return null;
    }

    @Override
    public int apply(FuzzWorld w) {
        return w.k.nvdimm.destroyNamespace(name);
    }

    @Override
    public List<FuzzStep> shrinks() {
        return List.of();
    }
}
