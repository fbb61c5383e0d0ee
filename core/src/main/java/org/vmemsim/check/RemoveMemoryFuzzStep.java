package org.vmemsim.check;

import java.util.List;

/** {@code remove_memory}: removes a DIMM an earlier {@link AddMemoryFuzzStep} added (-EBUSY while a block is online). */
public record RemoveMemoryFuzzStep(String id) implements FuzzStep {
    @Override
    public String describe() {
        return "remove_memory " + id;
    }

    @Override
    public String yaml() {
        return "remove_memory: {id: " + id + "}";
    }

    @Override
    public boolean applicable(FuzzWorld w) {
        return w.dimm(id) != null;
    }

    @Override
    public long[] scope(FuzzWorld w) {
        FuzzWorld.Dimm d = w.dimm(id);
        return d == null ? new long[0]
                : w.pfnScope(d.start(), d.size());
    }

    @Override
    public String subject() {
        return id;
    }

    @Override
    public int apply(FuzzWorld w) {
        FuzzWorld.Dimm d = w.dimm(id);
        int ret = w.k.hotplugActions.removeMemory(d.start(), d.size());
        if (ret == 0) {
            w.dimmRemoved(id);
        }
        return ret;
    }

    @Override
    public List<FuzzStep> shrinks() {
        return List.of();
    }
}
