package org.vmemsim.mm.hotplug;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.vmemsim.arch.Geometry;
import org.vmemsim.arch.KernelProfile;
import org.vmemsim.mm.alloc.ZoneType;
import org.vmemsim.mm.pgtable.MmCore;
import org.vmemsim.mm.phys.Iomem;
import org.vmemsim.mm.sparse.MemSection;
import org.vmemsim.mm.sparse.Sparse;
import org.vmemsim.util.Errno;
import org.vmemsim.util.U64;

/**
 * The online/offline half of {@code mm/memory_hotplug.c}: {@code online_pages},
 * {@code offline_pages}, {@code move_pfn_range_to_zone}, {@code remove_pfn_range_from_zone},
 * {@code mhp_init_memmap_on_memory} / {@code mhp_deinit_memmap_on_memory}, the zone choice of
 * {@code zone_for_pfn_range} (online_policy "contig-zones", the default), and arm64's boot-memory
 * notifier ({@code arch/arm64/mm/mmu.c: prevent_bootmem_remove_notifier}).
 *
 * <p>Which zone a pfn belongs to is kept as a list of pfn ranges per node and zone (the kernel reads
 * it from the struct pages); zone spans are recomputed from it when pages leave a zone. Left out:
 * page isolation and migration (vmemsim has no movable user pages: any page in use makes offlining
 * fail with -EBUSY), hugetlb dissolving, signals, KASAN shadow, memory groups, auto-movable policy.
 */
public final class OnlinePages {
    /** Pfns {@code [startPfn, endPfn)} that belong to {@code zone} of node {@code nid}. */
    public record ZoneRange(int nid, ZoneType zone, long startPfn, long endPfn) {}

    private final MmCore mm;
    private final Geometry g;
    private final KernelProfile p;
    private final Sparse sparse;
    private final Iomem iomem;
    private final List<ZoneRange> zoneRanges = new ArrayList<>();
    /** PageVmemmapSelfHosted pfn runs: first pfn → number of pages. */
    private final TreeMap<Long, Long> selfHosted = new TreeMap<>();

    public OnlinePages(MmCore mm, Sparse sparse, Iomem iomem) {
        this.mm = mm;
        this.g = mm.g;
        this.p = g.profile;
        this.sparse = sparse;
        this.iomem = iomem;
    }

    /** Records boot RAM of {@code nid} as ZONE_NORMAL (free_area_init; the span was set at boot). */
    public void bootZoneRange(int nid, long startPfn, long endPfn) {
        zoneRanges.add(new ZoneRange(nid, ZoneType.NORMAL, startPfn, endPfn));
    }

    public List<ZoneRange> zoneRanges() {
        return List.copyOf(zoneRanges);
    }

    /** The zone range holding {@code pfn}, or null (page_zone of an offline pfn is meaningless). */
    public ZoneRange zoneOf(long pfn) {
        for (ZoneRange r : zoneRanges) {
            if (U64.inRange(pfn, r.startPfn(), r.endPfn())) {
                return r;
            }
        }
        return null;
    }

    /** Self-hosted vmemmap runs (first pfn → pages), for views. */
    public TreeMap<Long, Long> selfHosted() {
        return new TreeMap<>(selfHosted);
    }

    /** @kernel mm/memory_hotplug.c: move_pfn_range_to_zone */
    public void movePfnRangeToZone(int nid, ZoneType zone, long startPfn, long nrPages) {
        zoneRanges.add(new ZoneRange(nid, zone, startPfn, startPfn + nrPages));
        mm.buddy.spanZone(nid, zone, startPfn, nrPages);
    }

    /**
     * Takes the pfns out of the zone and shrinks the zone span to what is left in it.
     *
     * @kernel mm/memory_hotplug.c: remove_pfn_range_from_zone
     */
    public void removePfnRangeFromZone(int nid, ZoneType zone, long startPfn, long nrPages) {
        long end = startPfn + nrPages;
        List<ZoneRange> out = new ArrayList<>();
        for (ZoneRange r : zoneRanges) {
            if (r.nid() != nid || r.zone() != zone || !U64.overlaps(r.startPfn(), r.endPfn(), startPfn, end)) {
                out.add(r);
                continue;
            }
            if (r.startPfn() < startPfn) {
                out.add(new ZoneRange(nid, zone, r.startPfn(), startPfn));
            }
            if (r.endPfn() > end) {
                out.add(new ZoneRange(nid, zone, end, r.endPfn()));
            }
        }
        zoneRanges.clear();
        zoneRanges.addAll(out);
        shrinkZoneSpan(nid, zone);
    }

    /** @kernel mm/memory_hotplug.c: shrink_zone_span */
    private void shrinkZoneSpan(int nid, ZoneType zone) {
        long lo = Long.MAX_VALUE;
        long hi = 0;
        for (ZoneRange r : zoneRanges) {
            if (r.nid() == nid && r.zone() == zone) {
                lo = Math.min(lo, r.startPfn());
                hi = Math.max(hi, r.endPfn());
            }
        }
        if (hi == 0) {
            mm.buddy.zone(nid, zone).resetSpan(0, 0);
        } else {
            mm.buddy.zone(nid, zone).resetSpan(lo, hi);
        }
    }

    /** @kernel mm/memory_hotplug.c: adjust_present_page_count */
    public void adjustPresentPageCount(int nid, ZoneType zone, long nrPages) {
        mm.buddy.zone(nid, zone).adjustPresent(nrPages);
    }

    /**
     * Onlines {@code [pfn, pfn + nrPages)}: into the zone, every page to the buddy allocator
     * (managed), sections online, present pages up. The start may be pageblock aligned only
     * (memmap_on_memory), the end must be a section boundary.
     *
     * @kernel mm/memory_hotplug.c: online_pages
     */
    public int onlinePages(long pfn, long nrPages, int nid, ZoneType zone) {
        if (nrPages == 0 || !U64.isAligned(pfn, 1L << g.pageblockOrder)
                || !U64.isAligned(pfn + nrPages, g.pagesPerSection)) {
            mm.log.warnOnce("online_pages", "align", String.format("misaligned pfn range [%#x, %#x)", pfn, pfn + nrPages));
            return mm.log.fail(Errno.EINVAL, "online_pages", String.format(
                    "pfn range [%#x, %#x) must start on a pageblock and end on a section boundary", pfn, pfn + nrPages));
        }
        movePfnRangeToZone(nid, zone, pfn, nrPages);
        // MEM_GOING_ONLINE: no notifier modelled refuses onlining.
        onlinePagesRange(pfn, nrPages, nid, zone);
        adjustPresentPageCount(nid, zone, nrPages);
        return 0;
    }

    /** Frees the range to the buddy in the largest aligned chunks and marks its sections online. @kernel mm/memory_hotplug.c: online_pages_range */
    private void onlinePagesRange(long pfn, long nrPages, int nid, ZoneType zone) {
        mm.buddy.freePagesCore(nid, zone, pfn, nrPages); // generic_online_page -> __free_pages_core
        sparse.onlineMemSections(pfn, pfn + nrPages);
    }

    /**
     * Offlines {@code [startPfn, startPfn + nrPages)} of {@code zone}: no holes, one zone, the memory
     * notifiers agree, every page free; then the pages leave the buddy allocator, sections go offline,
     * present and managed pages go down and the range leaves the zone. On failure nothing changed.
     *
     * @kernel mm/memory_hotplug.c: offline_pages
     */
    public int offlinePages(long startPfn, long nrPages, int nid, ZoneType zone) {
        long endPfn = startPfn + nrPages;
        if (nrPages == 0 || !U64.isAligned(startPfn, 1L << g.pageblockOrder) || !U64.isAligned(endPfn, g.pagesPerSection)) {
            mm.log.warnOnce("offline_pages", "align", String.format("misaligned pfn range [%#x, %#x)", startPfn, endPfn));
            return mm.log.fail(Errno.EINVAL, "offline_pages", String.format(
                    "pfn range [%#x, %#x) must start on a pageblock and end on a section boundary", startPfn, endPfn));
        }
        long ram = iomem.systemRamPages(startPfn, nrPages, g.pageShift);
        if (ram != nrPages) {
            return failedRemoval(Errno.EINVAL, startPfn, endPfn, "memory holes", ram + " of " + nrPages + " pages are System RAM");
        }
        ZoneRange first = zoneOf(startPfn);
        ZoneRange last = zoneOf(endPfn - 1);
        if (first == null || last == null || first.zone() != zone || last.zone() != zone || first.nid() != nid) {
            mm.log.warnOnce("offline_pages", "multizone", "range not in one zone");
            return failedRemoval(Errno.EINVAL, startPfn, endPfn, "multizone range", "not all pages are in zone " + zone.label);
        }
        int ret = memoryNotifyGoingOffline(startPfn, nrPages);
        if (ret != 0) {
            return failedRemoval(Errno.of(ret), startPfn, endPfn, "notifier failure", mm.log.lastError());
        }
        ret = mm.buddy.takeOffFreeLists(nid, zone, startPfn, nrPages); // also lowers managed pages
        if (ret != 0) {
            return failedRemoval(Errno.EBUSY, startPfn, endPfn, "unmovable page", mm.log.lastError());
        }
        sparse.offlineMemSections(startPfn, endPfn);
        adjustPresentPageCount(nid, zone, -nrPages);
        removePfnRangeFromZone(nid, zone, startPfn, nrPages);
        return 0;
    }

    private int failedRemoval(Errno e, long startPfn, long endPfn, String reason, String detail) {
        return mm.log.fail(e, "offline_pages", String.format("memory offlining [mem %#010x-%#010x] failed due to %s: %s",
                startPfn << g.pageShift, (endPfn << g.pageShift) - 1, reason, detail));
    }

    /**
     * The MEM_GOING_OFFLINE notifier chain. arm64 v5.10+ registers one that refuses any range with a
     * boot (early) section: NOTIFY_BAD, which notifier_to_errno turns into -EPERM.
     *
     * @kernel arch/arm64/mm/mmu.c: prevent_bootmem_remove_notifier
     */
    public int memoryNotifyGoingOffline(long startPfn, long nrPages) {
        if (!p.bootMemOfflineRefused()) {
            return 0;
        }
        long end = startPfn + nrPages;
        for (long pfn = startPfn; pfn < end; pfn += g.pagesPerSection) {
            MemSection ms = sparse.pfnToSection(pfn);
            if (ms != null && ms.early()) {
                long start = pfn << g.pageShift;
                long stop = start + (1L << g.sectionSizeBits);
                mm.log.warning("prevent_bootmem_remove_notifier", String.format(
                        "Boot memory [%x %x] offlining attempted", start, stop));
                return mm.log.fail(Errno.EPERM, "prevent_bootmem_remove_notifier", String.format(
                        "Boot memory [%x %x] offlining attempted", start, stop));
            }
        }
        return 0;
    }

    /**
     * Prepares the self-hosted memmap pages at the start of a block for onlining: into the zone
     * (unmovable, never freed to the buddy), PageVmemmapSelfHosted, and sections they fully cover
     * online.
     *
     * @kernel mm/memory_hotplug.c: mhp_init_memmap_on_memory
     */
    public int mhpInitMemmapOnMemory(long pfn, long nrPages, int nid, ZoneType zone) {
        movePfnRangeToZone(nid, zone, pfn, nrPages);
        selfHosted.put(pfn, nrPages);
        if (nrPages >= g.pagesPerSection) {
            sparse.onlineMemSections(pfn, U64.alignDown(pfn + nrPages, g.pagesPerSection));
        }
        return 0;
    }

    /** @kernel mm/memory_hotplug.c: mhp_deinit_memmap_on_memory */
    public void mhpDeinitMemmapOnMemory(long pfn, long nrPages, int nid, ZoneType zone) {
        if (nrPages >= g.pagesPerSection) {
            sparse.offlineMemSections(pfn, U64.alignDown(pfn + nrPages, g.pagesPerSection));
        }
        removePfnRangeFromZone(nid, zone, pfn, nrPages);
        selfHosted.remove(pfn);
    }

    /** @kernel mm/memory_hotplug.c: zone_intersects (include/linux/mmzone.h) */
    boolean zoneIntersects(int nid, ZoneType zone, long startPfn, long nrPages) {
        if (!mm.buddy.nodeIds().contains(nid)) {
            return false; // no pgdat yet: looking must not create one
        }
        var z = mm.buddy.zone(nid, zone);
        if (z.spanEmpty()) {
            return false;
        }
        return U64.lt(startPfn, z.spanEnd()) && U64.gt(startPfn + nrPages, z.spanStart());
    }

    /**
     * The zone a block is onlined to: ONLINE_KERNEL → the kernel zone (NORMAL, the only one
     * modelled), ONLINE_MOVABLE → MOVABLE, ONLINE → the zone the range already touches, else the
     * kernel zone (movable_node off).
     *
     * @kernel mm/memory_hotplug.c: zone_for_pfn_range
     */
    public ZoneType zoneForPfnRange(MemoryBlock.OnlineType onlineType, int nid, long startPfn, long nrPages) {
        if (onlineType == MemoryBlock.OnlineType.MMOP_ONLINE_KERNEL) {
            return ZoneType.NORMAL;
        }
        if (onlineType == MemoryBlock.OnlineType.MMOP_ONLINE_MOVABLE) {
            return ZoneType.MOVABLE;
        }
        boolean inKernel = zoneIntersects(nid, ZoneType.NORMAL, startPfn, nrPages);
        boolean inMovable = zoneIntersects(nid, ZoneType.MOVABLE, startPfn, nrPages);
        if (inKernel ^ inMovable) {
            return inKernel ? ZoneType.NORMAL : ZoneType.MOVABLE;
        }
        return ZoneType.NORMAL;
    }
}
