package org.vmemsim.check;

import java.util.List;

/** {@code memunmap}: removes a live device mapped by an earlier {@link MemremapFuzzStep}. */
public record MemunmapFuzzStep(String id) implements FuzzStep {
    @Override
    public String describe() {
        return "memunmap " + id;
    }

    @Override
    public String yaml() {
        return "memunmap: {id: " + id + "}";
    }

    @Override
    public boolean applicable(FuzzWorld w) {
        return w.device(id) != null;
    }

    @Override
    public long[] scope(FuzzWorld w) {
        FuzzWorld.Device d = w.device(id);
        if (d == null) {
            return new long[0];
        }
        return w.pfnScope(d.start(), d.size());
    }

    @Override
    public String subject() {
        return id;
    }

    @Override
    public int apply(FuzzWorld w) {
        int ret = w.k.memunmap(id);
        if (ret == 0) {
            w.removed(id);
        }
        return ret;
    }

    @Override
    public List<FuzzStep> shrinks() {
        return List.of();
    }
}
