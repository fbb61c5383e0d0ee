package org.vmemsim.mm.memremap;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.vmemsim.arch.Geometry;
import org.vmemsim.arch.KernelProfile;
import org.vmemsim.mm.alloc.Memblock;
import org.vmemsim.mm.alloc.ZoneType;
import org.vmemsim.mm.hotplug.MemoryHotplug;
import org.vmemsim.mm.pgtable.MmCore;
import org.vmemsim.mm.vmemmap.MhpParams;
import org.vmemsim.mm.vmemmap.VmemAltmap;
import org.vmemsim.util.Errno;
import org.vmemsim.util.U64;

/**
 * ZONE_DEVICE mappings ({@code mm/memremap.c}, struct-page initialisation from
 * {@code mm/mm_init.c}): {@code memremap_pages}, {@code pagemap_range}, {@code memunmap_pages},
 * {@code pageunmap_range}, and the pfn → pgmap lookup ({@code pgmap_array}).
 */
public final class Memremap {
    private final MmCore mm;
    private final Geometry g;
    private final KernelProfile p;
    private final MemoryHotplug hotplug;
    /** pgmap_array: first pfn → pgmap, ranges never overlap. */
    private final TreeMap<Long, DevPagemap> pgmapArray = new TreeMap<>();
    private final Map<String, DevPagemap> byId = new LinkedHashMap<>();

    public Memremap(MmCore mm, MemoryHotplug hotplug) {
        this.mm = mm;
        this.g = mm.g;
        this.p = g.profile;
        this.hotplug = hotplug;
    }

    /** The pgmap covering {@code pfn}, or null. @kernel mm/memremap.c: get_dev_pagemap */
    public DevPagemap getDevPagemap(long pfn) {
        var e = pgmapArray.floorEntry(pfn);
        if (e == null) {
            return null;
        }
        DevPagemap pg = e.getValue();
        return pfn <= pg.rangeEnd >>> g.pageShift ? pg : null;
    }

    public Map<String, DevPagemap> pgmaps() {
        return java.util.Collections.unmodifiableMap(byId);
    }

    /**
     * Maps one device range as ZONE_DEVICE memory: linear map and memmap (from the altmap when the
     * pgmap has one), struct-page initialisation, references. Returns 0 or the kernel's errno.
     *
     * @kernel mm/memremap.c: memremap_pages
     */
    public int memremapPages(DevPagemap pgmap, int nid) {
        String noZoneDevice = org.vmemsim.arch.ArchFeatures.zoneDeviceUnavailable(g.arch, p);
        if (noZoneDevice != null) {
            // include/linux/memremap.h: the !CONFIG_ZONE_DEVICE stub of devm_memremap_pages
            mm.log.warnOnce("devm_memremap_pages", "zone_device", noZoneDevice);
            return mm.log.fail(Errno.ENXIO, "devm_memremap_pages", noZoneDevice);
        }
        if (byId.containsKey(pgmap.id)) {
            return mm.log.fail(Errno.EEXIST, "memremap_pages", "a pgmap named '" + pgmap.id + "' exists already");
        }
        if (pgmap.rangeLen() <= 0) {
            mm.log.warn("memremap_pages", "nr_range is 0");
            return mm.log.fail(Errno.EINVAL, "memremap_pages", "empty range");
        }
        if (pgmap.type == MemoryType.PRIVATE && pgmap.pgmapAltmap() != null) {
            return mm.log.fail(Errno.EINVAL, "memremap_pages",
                    "MEMORY_DEVICE_PRIVATE memory is never linearly mapped, so it cannot host an altmap (vmemsim refuses)");
        }
        if (pgmap.type == MemoryType.COHERENT && p.ordinal100 < 601) {
            return mm.log.fail(Errno.EINVAL, "memremap_pages", "MEMORY_DEVICE_COHERENT does not exist in " + p.label);
        }
        int error = pagemapRange(pgmap, 0, nid);
        if (error != 0) {
            return error;
        }
        pgmap.mapped = true;
        byId.put(pgmap.id, pgmap);
        return 0;
    }

    /** @kernel mm/memremap.c: pagemap_range */
    int pagemapRange(DevPagemap pgmap, int rangeId, int nid) {
        boolean isPrivate = pgmap.type == MemoryType.PRIVATE;
        long start = pgmap.rangeStart;
        long len = pgmap.rangeLen();
        VmemAltmap altmap = pgmap.pgmapAltmap();
        if (altmap != null && rangeId > 0) {
            mm.log.warnOnce("pagemap_range", "altmap", "altmap not supported for multiple ranges");
            return mm.log.fail(Errno.EINVAL, "pagemap_range", "altmap on range " + rangeId);
        }
        if (U64.endOverflows(start, len)) {
            return mm.log.fail(Errno.EINVAL, "pagemap_range", String.format("range %#x + %#x passes 2^64", start, len));
        }
        long firstPfn = start >>> g.pageShift;
        long lastPfn = pgmap.rangeEnd >>> g.pageShift;
        DevPagemap conflict = getDevPagemap(firstPfn);
        if (conflict == null) {
            conflict = getDevPagemap(lastPfn);
        }
        if (conflict == null) {
            var e = pgmapArray.ceilingEntry(firstPfn);
            if (e != null && e.getKey() <= lastPfn) {
                conflict = e.getValue();
            }
        }
        if (conflict != null) {
            mm.log.warn("pagemap_range", "Conflicting mapping in same section");
            return mm.log.fail(Errno.ENOMEM, "pagemap_range", String.format(
                    "[%#x-%#x] overlaps pgmap %s [%#x-%#x]", start, pgmap.rangeEnd, conflict.id, conflict.rangeStart,
                    conflict.rangeEnd));
        }
        for (Memblock.Region r : mm.memblock.memory()) {
            if (U64.overlaps(r.base(), r.end(), start, start + len)) {
                mm.log.warnOnce("pagemap_range", "ram", String.format("attempted on System RAM region %#x-%#x", start,
                        pgmap.rangeEnd));
                return mm.log.fail(Errno.ENXIO, "pagemap_range", String.format(
                        "[%#x-%#x] intersects System RAM [%#x-%#x]", start, pgmap.rangeEnd, r.base(), r.end() - 1));
            }
        }
        pgmapArray.put(firstPfn, pgmap);
        if (nid < 0) {
            nid = 0;
        }
        pgmap.nid = nid;
        if (p.linearRangeCheck() == KernelProfile.LinearRangeCheck.MAPPABLE_RANGE
                && !hotplug.mhpRangeAllowed(start, len, !isPrivate)) {
            pgmapArray.remove(firstPfn);
            return mm.log.fail(Errno.EINVAL, "pagemap_range", String.format(
                    "[%#x-%#x] is outside the hot-pluggable range", start, pgmap.rangeEnd));
        }
        int error;
        MhpParams params = MhpParams.kernel(altmap, pgmap);
        if (isPrivate) {
            error = hotplug.addPages(nid, firstPfn, len >>> g.pageShift, params);
        } else {
            error = hotplug.arch().archAddMemory(nid, start, len, params);
        }
        if (error == 0) {
            moveToZoneDevice(pgmap, nid);
        }
        if (error != 0) {
            pgmapArray.remove(firstPfn);
            return error;
        }
        memmapInitZoneDevice(pgmap);
        long pfnFirst = firstPfn + VmemAltmap.vmemAltmapOffset(altmap);
        long pfnEnd = (start + len) >>> g.pageShift;
        if (!(p.ordinal100 >= 601 && (isPrivate || pgmap.type == MemoryType.COHERENT))) {
            pgmap.refs += pfnLen(pfnFirst, pfnEnd, pgmap);
        }
        return 0;
    }

    /**
     * References one range takes on the pgmap: one per page, or per compound page when the pgmap
     * has a vmemmap_shift (always 0 before v5.17).
     *
     * @kernel mm/memremap.c: pfn_len
     */
    static long pfnLen(long pfnFirst, long pfnEnd, DevPagemap pgmap) {
        return (pfnEnd - pfnFirst) >>> pgmap.vmemmapShift;
    }

    /**
     * ZONE_DEVICE part of move_pfn_range_to_zone: grows the zone span and initialises the struct
     * pages of the altmap pool ([base_pfn + reserve, base_pfn + offset)).
     *
     * @kernel mm/mm_init.c: memmap_init_range
     */
    private void moveToZoneDevice(DevPagemap pgmap, int nid) {
        long firstPfn = pgmap.rangeStart >>> g.pageShift;
        long nr = pgmap.rangeLen() >>> g.pageShift;
        mm.buddy.spanZone(nid, ZoneType.DEVICE, firstPfn, nr);
        VmemAltmap altmap = pgmap.pgmapAltmap();
        pgmap.initReservedPages = altmap == null ? 0 : altmap.free;
    }

    /** @kernel mm/mm_init.c: memmap_init_zone_device */
    private void memmapInitZoneDevice(DevPagemap pgmap) {
        long startPfn = pgmap.rangeStart >>> g.pageShift;
        long endPfn = (pgmap.rangeEnd >>> g.pageShift) + 1;
        VmemAltmap altmap = pgmap.pgmapAltmap();
        if (altmap != null) {
            startPfn = altmap.basePfn + VmemAltmap.vmemAltmapOffset(altmap);
        }
        pgmap.initDevicePages = endPfn - startPfn;
        mm.log.info("memmap_init_zone_device", "initialised " + pgmap.initDevicePages + " pages in 0ms");
    }

    /**
     * Tears a ZONE_DEVICE mapping down: drops the references, removes memmap and linear map (memmap
     * backing returns to the altmap), then WARNs when the altmap still counts allocations.
     *
     * @kernel mm/memremap.c: memunmap_pages
     */
    public int memunmapPages(String id) {
        DevPagemap pgmap = byId.get(id);
        if (pgmap == null) {
            return mm.log.fail(Errno.ENODEV, "memunmap_pages", "no pgmap named '" + id + "'");
        }
        pgmap.refs = 0;
        pageunmapRange(pgmap);
        if (pgmap.altmap.alloc != 0) {
            mm.log.warnOnce("memunmap_pages", pgmap.id, "failed to free all reserved pages (" + pgmap.altmap + ")");
        }
        pgmap.mapped = false;
        byId.remove(id);
        return 0;
    }

    /** @kernel mm/memremap.c: pageunmap_range */
    private void pageunmapRange(DevPagemap pgmap) {
        long start = pgmap.rangeStart;
        long len = pgmap.rangeLen();
        if (pgmap.type == MemoryType.PRIVATE) {
            hotplug.removePages(start >>> g.pageShift, len >>> g.pageShift, null);
        } else {
            hotplug.arch().archRemoveMemory(start, len, pgmap.pgmapAltmap());
        }
        pgmapArray.remove(start >>> g.pageShift);
    }
}
