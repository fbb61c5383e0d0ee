package org.vmemsim.mm.alloc;

import it.unimi.dsi.fastutil.ints.IntArrayList;
import it.unimi.dsi.fastutil.longs.LongArrayList;
import it.unimi.dsi.fastutil.objects.Object2IntOpenHashMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Small kernel objects ({@code kzalloc}/{@code kfree}, boot {@code memblock_alloc} of arrays):
 * mem_section roots, mem_section_usage maps, copies of altmaps, memory block devices, pgdats.
 * vmemsim counts them in bytes here and keeps page counts exact elsewhere: slab pages are not
 * taken from the simulated buddy allocator (documented simplification; the kernel's slab caches
 * pack such objects into pages it allocates from the buddy).
 *
 * <p>Storage: a hot-add of 64 TiB creates half a million usage maps, so live objects are not Java
 * objects in a map but one packed {@code long} per id ({@code bytes << 24 | site << 2 | boot << 1 | 1},
 * 0 = no object) in a directory of fixed-size slot pages indexed by id. Ids grow monotonically from
 * 1, so a scan of the pages visits objects in ascending id order; a page whose objects are all
 * freed is dropped. Site names are interned once; the byte total is a running sum.
 */
public final class Slab {
    /** One live object. */
    public record Obj(long id, long bytes, String site, boolean boot) {}

    private static final int BYTES_SHIFT = 24;
    private static final long MAX_BYTES = (1L << (64 - BYTES_SHIFT)) - 1;
    private static final int MAX_SITES = 1 << (BYTES_SHIFT - 2);
    private static final int SLOT_SHIFT = 12;
    private static final int SLOTS = 1 << SLOT_SHIFT;

    private final FaultInjector faults;
    /** Slot pages by {@code id >>> SLOT_SHIFT}; null when the page holds no live object. */
    private final List<long[]> pages = new ArrayList<>();
    private final IntArrayList pageLive = new IntArrayList();
    private final List<String> sites = new ArrayList<>();
    private final Object2IntOpenHashMap<String> siteIndex = new Object2IntOpenHashMap<>();
    private long nextId = 1;
    private long count;
    private long bytes;
    /** Live objects and their bytes per interned site, kept with every add and free. */
    private final LongArrayList siteCount = new LongArrayList();
    private final LongArrayList siteBytes = new LongArrayList();

    public Slab(FaultInjector faults) {
        this.faults = faults;
        siteIndex.defaultReturnValue(-1);
    }

    /** Returns an object id, or -1 when the allocation fails. @kernel mm/slab_common.c: kmalloc */
    public long kzalloc(long bytes, String site) {
        if (faults.shouldFail(site)) {
            return -1;
        }
        return add(bytes, site, false);
    }

    /** A boot-time object taken from memblock (never fails; boot panics instead). */
    public long bootAlloc(long bytes, String site) {
        return add(bytes, site, true);
    }

    private long add(long size, String site, boolean boot) {
        if (size < 0 || size > MAX_BYTES) {
            throw new IllegalArgumentException("slab object of " + size + " bytes at " + site);
        }
        long id = nextId++;
        int p = (int) (id >>> SLOT_SHIFT);
        while (pages.size() <= p) {
            pages.add(null);
            pageLive.add(0);
        }
        long[] page = pages.get(p);
        if (page == null) {
            page = new long[SLOTS];
            pages.set(p, page);
        }
        int si = intern(site);
        page[(int) id & (SLOTS - 1)] = size << BYTES_SHIFT | (long) si << 2 | (boot ? 2 : 0) | 1;
        siteCount.set(si, siteCount.getLong(si) + 1);
        siteBytes.set(si, siteBytes.getLong(si) + size);
        pageLive.set(p, pageLive.getInt(p) + 1);
        count++;
        this.bytes += size;
        return id;
    }

    private int intern(String site) {
        int i = siteIndex.getInt(site);
        if (i < 0) {
            if (sites.size() == MAX_SITES) {
                throw new IllegalStateException("more than " + MAX_SITES + " slab allocation sites");
            }
            i = sites.size();
            sites.add(site);
            siteIndex.put(site, i);
            siteCount.add(0);
            siteBytes.add(0);
        }
        return i;
    }

    /** @kernel mm/slab_common.c: kfree */
    public void kfree(long id) {
        long[] page = id > 0 && id < nextId ? pages.get((int) (id >>> SLOT_SHIFT)) : null;
        int slot = (int) id & (SLOTS - 1);
        if (page == null || page[slot] == 0) {
            throw new IllegalStateException("kfree of unknown object " + id);
        }
        long size = page[slot] >>> BYTES_SHIFT;
        int si = (int) (page[slot] >>> 2) & (MAX_SITES - 1);
        bytes -= size;
        siteCount.set(si, siteCount.getLong(si) - 1);
        siteBytes.set(si, siteBytes.getLong(si) - size);
        page[slot] = 0;
        count--;
        int p = (int) (id >>> SLOT_SHIFT);
        int live = pageLive.getInt(p) - 1;
        pageLive.set(p, live);
        if (live == 0) {
            pages.set(p, null);
        }
    }

    public long bytes() {
        return bytes;
    }

    public long count() {
        return count;
    }

    /** Whether object {@code id} is allocated and not freed. */
    public boolean isLive(long id) {
        if (id <= 0 || id >= nextId) {
            return false;
        }
        long[] page = pages.get((int) (id >>> SLOT_SHIFT));
        return page != null && page[(int) id & (SLOTS - 1)] != 0;
    }

    /** Live objects allocated at {@code site}. */
    public long countAt(String site) {
        int i = siteIndex.getInt(site);
        return i < 0 ? 0 : siteCount.getLong(i);
    }

    /** Bytes of the live objects allocated at {@code site}. */
    public long bytesAt(String site) {
        int i = siteIndex.getInt(site);
        return i < 0 ? 0 : siteBytes.getLong(i);
    }

    /** Packed values of the live objects in ascending id order; ids in {@code ids} when not null. */
    private long[] live(LongArrayList ids) {
        long[] out = new long[(int) count];
        int n = 0;
        for (int p = 0; p < pages.size(); p++) {
            long[] page = pages.get(p);
            if (page == null) {
                continue;
            }
            for (int s = 0; s < SLOTS; s++) {
                if (page[s] != 0) {
                    out[n++] = page[s];
                    if (ids != null) {
                        ids.add(((long) p << SLOT_SHIFT) | s);
                    }
                }
            }
        }
        return out;
    }

    private String site(long packed) {
        return sites.get((int) (packed >>> 2) & (MAX_SITES - 1));
    }

    /** A snapshot of the live objects by ascending id. */
    public Map<Long, Obj> objects() {
        LongArrayList ids = new LongArrayList();
        long[] v = live(ids);
        Map<Long, Obj> out = new LinkedHashMap<>();
        for (int i = 0; i < v.length; i++) {
            out.put(ids.getLong(i), new Obj(ids.getLong(i), v[i] >>> BYTES_SHIFT, site(v[i]), (v[i] & 2) != 0));
        }
        return Collections.unmodifiableMap(out);
    }

    public Slab copy(FaultInjector f) {
        Slab s = new Slab(f);
        for (long[] page : pages) {
            s.pages.add(page == null ? null : page.clone());
        }
        s.pageLive.addAll(pageLive);
        s.sites.addAll(sites);
        s.siteIndex.putAll(siteIndex);
        s.siteCount.addAll(siteCount);
        s.siteBytes.addAll(siteBytes);
        s.nextId = nextId;
        s.count = count;
        s.bytes = bytes;
        return s;
    }

    /** Same live objects (ids excluded: an allocate-then-free leaves the id counter moved). */
    public boolean sameState(Slab o) {
        if (count != o.count) {
            return false;
        }
        long[] a = live(null);
        long[] b = o.live(null);
        for (int i = 0; i < a.length; i++) {
            if (a[i] >>> BYTES_SHIFT != b[i] >>> BYTES_SHIFT || (a[i] & 2) != (b[i] & 2) || !site(a[i]).equals(o.site(b[i]))) {
                return false;
            }
        }
        return true;
    }
}
