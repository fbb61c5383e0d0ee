package org.vmemsim.check;

import java.util.ArrayList;
import java.util.List;
import org.vmemsim.util.Sz;
import org.vmemsim.util.U64;

/**
 * {@code add_memory}: plugs a DIMM (ACPI memory hot-add) of {@code size} bytes at {@code start};
 * the blocks stay offline. {@code memmapOnMemory} asks for MHP_MEMMAP_ON_MEMORY, which the kernel
 * grants only where the machine and profile support it.
 */
public record AddMemoryFuzzStep(String id, long start, long size, int nid, boolean memmapOnMemory) implements FuzzStep {
    @Override
    public String describe() {
        return String.format("add_memory %s [%s + %s] node %d%s", id, U64.hex(start), Sz.human(size), nid,
                memmapOnMemory ? " memmap_on_memory" : "");
    }

    @Override
    public String yaml() {
        return String.format("add_memory: {id: %s, start: %s, size: %s, node: %d, memmap_on_memory: %b}", id,
                U64.hex(start), Sz.human(size), nid, memmapOnMemory);
    }

    @Override
    public boolean applicable(FuzzWorld w) {
        return w.dimm(id) == null;
    }

    @Override
    public long[] scope(FuzzWorld w) {
        return w.pfnScope(start, size);
    }

    @Override
    public String subject() {
        return id;
    }

    @Override
    public int apply(FuzzWorld w) {
        w.sawId(id);
        long[] before = LeakProbe.active(w.k, start, size);
        int ret = w.k.hotplugActions.addMemory(start, size, nid, memmapOnMemory);
        if (ret == 0) {
            w.dimmAdded(new FuzzWorld.Dimm(id, start, size));
        } else {
            // __add_pages keeps the sections it added before the failing one (H7); with
            // memmap_on_memory their memmap sits at the start of their own blocks
            Pool pool = memmapOnMemory ? new Pool(id, start >>> w.g.pageShift, (start + size) >>> w.g.pageShift, true) : null;
            LeakProbe.report(w, id, start, size, before, pool);
        }
        return ret;
    }

    @Override
    public List<FuzzStep> shrinks() {
        List<FuzzStep> out = new ArrayList<>();
        if (memmapOnMemory) {
            out.add(new AddMemoryFuzzStep(id, start, size, nid, false));
        }
        if (nid != 0) {
            out.add(new AddMemoryFuzzStep(id, start, size, 0, memmapOnMemory));
        }
        return out;
    }
}
