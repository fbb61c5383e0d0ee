package org.vmemsim.mm.alloc;

import java.util.Map;
import java.util.TreeMap;

/**
 * Small kernel objects ({@code kzalloc}/{@code kfree}, boot {@code memblock_alloc} of arrays):
 * mem_section roots, mem_section_usage maps, copies of altmaps, memory block devices, pgdats.
 * vmemsim counts them in bytes here and keeps page counts exact elsewhere: slab pages are not
 * taken from the simulated buddy allocator (documented simplification; the kernel's slab caches
 * pack such objects into pages it allocates from the buddy).
 */
public final class Slab {
    /** One live object. */
    public record Obj(long id, long bytes, String site, boolean boot) {}

    private final FaultInjector faults;
    private final TreeMap<Long, Obj> live = new TreeMap<>();
    private long nextId = 1;

    public Slab(FaultInjector faults) {
        this.faults = faults;
    }

    /** Returns an object id, or -1 when the allocation fails. @kernel mm/slab_common.c: kmalloc */
    public long kzalloc(long bytes, String site) {
        if (faults.shouldFail(site)) {
            return -1;
        }
        long id = nextId++;
        live.put(id, new Obj(id, bytes, site, false));
        return id;
    }

    /** A boot-time object taken from memblock (never fails; boot panics instead). */
    public long bootAlloc(long bytes, String site) {
        long id = nextId++;
        live.put(id, new Obj(id, bytes, site, true));
        return id;
    }

    /** @kernel mm/slab_common.c: kfree */
    public void kfree(long id) {
        if (live.remove(id) == null) {
            throw new IllegalStateException("kfree of unknown object " + id);
        }
    }

    public long bytes() {
        long n = 0;
        for (Obj o : live.values()) {
            n += o.bytes();
        }
        return n;
    }

    public long count() {
        return live.size();
    }

    public Map<Long, Obj> objects() {
        return java.util.Collections.unmodifiableMap(live);
    }

    public Slab copy(FaultInjector f) {
        Slab s = new Slab(f);
        s.live.putAll(live);
        s.nextId = nextId;
        return s;
    }

    /** Same live objects (ids excluded: an allocate-then-free leaves the id counter moved). */
    public boolean sameState(Slab o) {
        if (live.size() != o.live.size()) {
            return false;
        }
        var a = live.values().iterator();
        var b = o.live.values().iterator();
        while (a.hasNext()) {
            Obj x = a.next();
            Obj y = b.next();
            if (x.bytes() != y.bytes() || !x.site().equals(y.site()) || x.boot() != y.boot()) {
                return false;
            }
        }
        return true;
    }
}
