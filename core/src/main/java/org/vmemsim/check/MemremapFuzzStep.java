package org.vmemsim.check;

import java.util.ArrayList;
import java.util.List;
import org.vmemsim.kernel.Kernel;
import org.vmemsim.mm.memremap.MemoryType;
import org.vmemsim.util.Sz;
import org.vmemsim.util.U64;

/**
 * {@code memremap}: maps {@code [start, start + size)} as ZONE_DEVICE memory through
 * {@link Kernel#memremap}, with an altmap {reserve, free} or without ({@code reserve < 0}).
 * {@code free < 0} means "auto" (a pool sized for the range's memmap). A failure that leaves some
 * of the range's sub-sections active is reported to the world as a leak (hazard H7).
 */
public record MemremapFuzzStep(String id, MemoryType type, long start, long size, long reserve, long free, int nid)
        implements FuzzStep {
    public static final long NO_ALTMAP = -1;
    public static final long AUTO = -1;

    public boolean hasAltmap() {
        return reserve >= 0;
    }

    private long resolvedFree(Kernel k) {
        if (!hasAltmap()) {
            return -1;
        }
        return free < 0 ? k.autoAltmapFree(size >>> k.g.pageShift, reserve) : free;
    }

    @Override
    public String describe() {
        String alt = !hasAltmap() ? "no altmap"
                : "altmap{reserve " + reserve + ", free " + (free < 0 ? "auto" : Long.toString(free)) + "}";
        return String.format("memremap %s %s [%s + %s] %s", id, type.label, U64.hex(start), Sz.human(size), alt);
    }

    @Override
    public String yaml() {
        String alt = hasAltmap()
                ? ", altmap: {reserve: " + reserve + ", free: " + (free < 0 ? "auto" : Long.toString(free)) + "}" : "";
        return String.format("memremap: {id: %s, start: %s, size: %s, type: %s%s, nid: %d}", id, U64.hex(start),
                Sz.human(size), type.label, alt, nid);
    }

    @Override
    public boolean applicable(FuzzWorld w) {
        return w.device(id) == null;
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
        Kernel k = w.k;
        w.sawId(id);
        long[] activeBefore = LeakProbe.active(k, start, size);
        long freePfns = resolvedFree(k);
        int ret = k.memremap(id, type, start, size, hasAltmap() ? reserve : 0, freePfns, nid);
        if (ret == 0) {
            w.added(new FuzzWorld.Device(id, type, start, size, reserve, freePfns));
        } else {
            long startPfn = start >>> k.g.pageShift;
            Pool pool = hasAltmap() ? new Pool(id, startPfn + reserve, startPfn + reserve + freePfns, true) : null;
            LeakProbe.report(w, id, start, size, activeBefore, pool);
        }
        return ret;
    }

    @Override
    public List<FuzzStep> shrinks() {
        List<FuzzStep> out = new ArrayList<>();
        if (hasAltmap()) {
            out.add(new MemremapFuzzStep(id, type, start, size, NO_ALTMAP, AUTO, nid));
            if (free >= 0) {
                out.add(new MemremapFuzzStep(id, type, start, size, reserve, AUTO, nid));
            }
            if (reserve > 0) {
                out.add(new MemremapFuzzStep(id, type, start, size, 0, free, nid));
            }
        }
        long sub = Sz.SZ_2M;
        if (size > sub && size % sub == 0) {
            long half = Math.max(sub, (size / 2) / sub * sub);
            out.add(new MemremapFuzzStep(id, type, start, half, reserve, free, nid));
            out.add(new MemremapFuzzStep(id, type, start, size - sub, reserve, free, nid));
        }
        if (type != MemoryType.FS_DAX) {
            out.add(new MemremapFuzzStep(id, MemoryType.FS_DAX, start, size, reserve, free, nid));
        }
        return out;
    }
}
