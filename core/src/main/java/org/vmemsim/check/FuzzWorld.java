package org.vmemsim.check;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vmemsim.arch.Geometry;
import org.vmemsim.kernel.Kernel;
import org.vmemsim.mm.memremap.DevPagemap;
import org.vmemsim.mm.memremap.MemoryType;
import org.vmemsim.util.Sz;
import org.vmemsim.util.U64;

/**
 * What the fuzzer knows about one booted machine: the kernel, the devices it mapped that are live
 * (for drawing arguments such as "unmap one of the live devices"), the altmap pools that a failed
 * hot-add left in use (hazard H7), and the physical window where devices are placed.
 */
public final class FuzzWorld {
    /** A live device as the fuzzer mapped it; {@code altmapFree < 0}: no altmap. */
    public record Device(String id, MemoryType type, long start, long size, long altmapReserve, long altmapFree) {}

    /** A live hot-added DIMM as the fuzzer added it. */
    public record Dimm(String id, long start, long size) {}

    /** A leak reported by a step: the failed device and the pool its leftover sections still use. */
    public record Leak(String id, long startPfn, long endPfn, Pool pool, DevPagemap pgmap) {
        public Leak(String id, long startPfn, long endPfn, Pool pool) {
            this(id, startPfn, endPfn, pool, null);
        }
    }

    public final Kernel k;
    public final Geometry g;
    /** Device placement window [windowStart, windowStart + windowSize): 8 sections at 128 GiB. */
    public final long windowStart;
    public final long windowSize;
    private final Map<String, Device> live = new LinkedHashMap<>();
    private final Map<String, Dimm> dimms = new LinkedHashMap<>();
    /** DIMM placement window: 8 memory blocks at 64 GiB, below the device window. */
    public final long dimmWindowStart;
    public final long dimmWindowSize;
    private final List<Pool> leakedPools = new ArrayList<>();
    private Leak lastLeak;
    private int nextId;

    public FuzzWorld(Kernel k) {
        this.k = k;
        this.g = k.g;
        this.windowStart = 128 * Sz.SZ_1G;
        this.windowSize = 8 * (g.pagesPerSection << g.pageShift);
        this.dimmWindowStart = 64 * Sz.SZ_1G;
        this.dimmWindowSize = 8 * g.memoryBlockSize;
    }

    /** The pfns {@code [start, end)} of the bytes {@code [start, start + size)}: a step's scope. */
    public long[] pfnScope(long start, long size) {
        return new long[] {start >>> g.pageShift, U64.divRoundUp(start + size, g.pageSize)};
    }

    /** A fresh device name: d1, d2, ... */
    public String newId() {
        return "d" + (++nextId);
    }

    /** A fresh DIMM name: m1, m2, ... (shares the counter with devices). */
    public String newDimmId() {
        return "m" + (++nextId);
    }

    /** Makes {@link #newId} continue after {@code id} (for replays of recorded steps). */
    public void sawId(String id) {
        if (id.startsWith("d") || id.startsWith("m")) {
            try {
                nextId = Math.max(nextId, Integer.parseInt(id.substring(1)));
            } catch (NumberFormatException e) {
                // not one of ours
            }
        }
    }

    public List<Device> liveDevices() {
        return List.copyOf(live.values());
    }

    public Device device(String id) {
        return live.get(id);
    }

    public void added(Device d) {
        live.put(d.id(), d);
    }

    public void removed(String id) {
        live.remove(id);
    }

    public List<Dimm> dimms() {
        return List.copyOf(dimms.values());
    }

    public Dimm dimm(String id) {
        return dimms.get(id);
    }

    public void dimmAdded(Dimm d) {
        dimms.put(d.id(), d);
    }

    public void dimmRemoved(String id) {
        dimms.remove(id);
    }

    /** Records that a failed step left sections (and maybe an altmap pool) in use: hazard H7. */
    public void leaked(Leak l) {
        lastLeak = l;
        if (l.pool() != null) {
            leakedPools.add(l.pool());
        }
    }

    /** The leak reported by the last step, once. */
    Leak takeLeak() {
        Leak l = lastLeak;
        lastLeak = null;
        return l;
    }

    public List<Pool> leakedPools() {
        return Collections.unmodifiableList(leakedPools);
    }
}
