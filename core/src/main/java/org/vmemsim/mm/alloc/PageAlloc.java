package org.vmemsim.mm.alloc;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import org.vmemsim.util.Dmesg;
import org.vmemsim.util.Errno;

/**
 * The buddy allocator ({@code mm/page_alloc.c}): per node and zone, free lists per order from 0 to
 * MAX_PAGE_ORDER, splitting on allocation and merging buddies on free. Every page handed out is
 * recorded with its order, node, zone and allocation site, so "RAM used" by any purpose is read off
 * this state.
 *
 * <p>Page reference counts are modelled only where a page is shared: an allocation holds one
 * reference; {@link #getPage} adds one (kept in {@link PageRefs}, zero for unshared pages) and
 * {@link #freePages} drops one, freeing the block when the last goes ({@code put_page_testzero}).
 * Only the device-dax vmemmap deduplication takes extra references.
 */
public final class PageAlloc {
    /** One live allocation: {@code 2^order} pages from {@code pfn}. */
    public record Allocation(long pfn, int order, int nid, ZoneType zone, String site) {
        public long nrPages() {
            return 1L << order;
        }
    }

    private final int maxOrder;
    private final FaultInjector faults;
    private final Dmesg log;
    private final TreeMap<Integer, Zone[]> nodes = new TreeMap<>();
    /** The zones of {@link #nodes} by node id, for lookups on the allocation path. */
    private Zone[][] byNid = new Zone[0][];
    private AllocationMap allocated = new AllocationMap();
    /** Extra page references (beyond the allocation's own) by head pfn. */
    private PageRefs extraRefs = new PageRefs();

    public PageAlloc(int maxOrder, FaultInjector faults, Dmesg log) {
        this.maxOrder = maxOrder;
        this.faults = faults;
        this.log = log;
    }

    public int maxOrder() {
        return maxOrder;
    }

    /** The zone of {@code type} on node {@code nid}, created on first use. */
    public Zone zone(int nid, ZoneType type) {
        if (nid >= 0 && nid < byNid.length && byNid[nid] != null) {
            return byNid[nid][type.ordinal()];
        }
        Zone[] zs = nodes.computeIfAbsent(nid, n -> {
            Zone[] a = new Zone[ZoneType.values().length];
            for (ZoneType t : ZoneType.values()) {
                a[t.ordinal()] = new Zone(n, t, maxOrder);
            }
            return a;
        });
        if (nid >= 0) {
            if (nid >= byNid.length) {
                byNid = Arrays.copyOf(byNid, nid + 1);
            }
            byNid[nid] = zs;
        }
        return zs[type.ordinal()];
    }

    /** True when node {@code nid} has zones (a cached {@code nodes.containsKey}). */
    private boolean hasNode(int nid) {
        return nid >= 0 && nid < byNid.length && byNid[nid] != null || nodes.containsKey(nid);
    }

    /** The lowest node id with memory (the CPU's node for allocations that name none), 0 if none. */
    public int firstNode() {
        return nodes.isEmpty() ? 0 : nodes.firstKey();
    }

    public List<Integer> nodeIds() {
        return new ArrayList<>(nodes.keySet());
    }

    public List<Zone> zones() {
        List<Zone> out = new ArrayList<>();
        for (Zone[] zs : nodes.values()) {
            out.addAll(Arrays.asList(zs));
        }
        return out;
    }

    /**
     * Allocates {@code 2^order} pages for a kernel (GFP_KERNEL) request: the NORMAL zone of the
     * preferred node, then the NORMAL zones of the other nodes in ascending node order. Returns the
     * first pfn, or -1 when no zone can satisfy it (or the fault injector fails the site).
     *
     * @kernel mm/page_alloc.c: __alloc_pages (via alloc_pages_node)
     */
    public long allocPagesNode(int nid, int order, String site) {
        if (faults.shouldFail(site)) {
            return -1;
        }
        if (order > maxOrder) {
            return -1;
        }
        long pfn = -1;
        if (hasNode(nid)) {
            pfn = rmqueueSmallest(zone(nid, ZoneType.NORMAL), order);
        }
        if (pfn == -1) {
            for (int other : nodes.keySet()) {
                if (other != nid) {
                    pfn = rmqueueSmallest(zone(other, ZoneType.NORMAL), order);
                    if (pfn != -1) {
                        nid = other;
                        break;
                    }
                }
            }
        }
        if (pfn == -1) {
            return -1;
        }
        allocated.put(pfn, order, nid, ZoneType.NORMAL, site);
        return pfn;
    }

    /**
     * Takes up to {@code count} single pages for {@code site} from the NORMAL zone of node
     * {@code nid}, with the same result, page for page, as that many
     * {@code allocPagesNode(nid, 0, site)} calls, but only while each of those calls would succeed
     * on the preferred node with no fault mode set. Returns how many were taken (their pfns in
     * {@code out[0..n)}); the caller makes any remaining calls one at a time.
     *
     * <p>Why it is the same: order-0 requests served one by one from the lowest block of the
     * smallest non-empty order {@code o} (the lists below {@code o} being empty) hand out its pages
     * in ascending order, and after {@code m} of them the free lists hold exactly the aligned
     * power-of-two blocks that tile the rest of the block, one per order. So the block is split
     * once here instead of page by page.
     */
    public int allocPagesBulk(int nid, int count, String site, long[] out) {
        if (!faults.passive() || !hasNode(nid)) {
            return 0;
        }
        Zone z = zone(nid, ZoneType.NORMAL);
        int n = 0;
        while (n < count) {
            int o = 0;
            while (o <= maxOrder && z.freeArea[o].isEmpty()) {
                o++;
            }
            if (o > maxOrder) {
                break;
            }
            long p = z.freeArea[o].firstLong();
            z.freeArea[o].remove(p);
            long m = Math.min(count - n, 1L << o);
            for (int i = 0; i < m; i++) {
                out[n + i] = p + i;
            }
            long end = p + (1L << o);
            for (long x = p + m; x < end; ) {
                int b = Long.numberOfTrailingZeros(x - p);
                z.freeArea[b].add(x);
                x += 1L << b;
            }
            z.nrFree -= m;
            allocated.putRun(p, m, 0, nid, ZoneType.NORMAL, site);
            faults.passed(site, m);
            n += (int) m;
        }
        return n;
    }

    /** Takes the lowest block of the smallest sufficient order and splits it down ({@code expand}). */
    private long rmqueueSmallest(Zone z, int order) {
        for (int o = order; o <= maxOrder; o++) {
            if (z.freeArea[o].isEmpty()) {
                continue;
            }
            long pfn = z.freeArea[o].firstLong();
            z.freeArea[o].remove(pfn);
            for (int cur = o; cur > order; cur--) {
                long upper = pfn + (1L << (cur - 1));
                z.freeArea[cur - 1].add(upper);
            }
            z.nrFree -= 1L << order;
            return pfn;
        }
        return -1;
    }

    /**
     * Drops a reference on an allocation made by {@link #allocPagesNode} and frees it when that was
     * the last one; returns whether it was freed. Freeing a pfn that was never allocated
     * from the buddy allocator (a boot page from memblock) is done with {@link #freeReservedToBuddy}.
     *
     * @kernel mm/page_alloc.c: free_pages
     */
    public boolean freePages(long pfn, int order) {
        Allocation a = allocated.get(pfn);
        if (a == null || a.order() != order) {
            throw new IllegalStateException(String.format("free_pages(pfn 0x%x, order %d): no such allocation%s", pfn,
                    order, a == null ? "" : " (allocated with order " + a.order() + ")"));
        }
        if (extraRefs.get(pfn) > 0) {
            extraRefs.add(pfn, -1);
            return false; // put_page_testzero: another reference remains
        }
        allocated.remove(pfn);
        freeOneBlock(zone(a.nid(), a.zone()), pfn, order);
        return true;
    }

    /**
     * Takes one more reference on the live allocation starting at {@code pfn}.
     *
     * @kernel include/linux/mm.h: get_page
     */
    public void getPage(long pfn) {
        extraRefs.add(pfn, 1); // not checked against the live allocations here (hot path): VmemmapBacking checks it
    }

    /**
     * Drops one extra reference of {@code pfn} if it has any: the {@code put_page_testzero} of
     * {@code free_pages} for a page that stays allocated. Returns false (and changes nothing) when
     * the page holds only its allocation's reference.
     *
     * @kernel include/linux/mm.h: put_page_testzero
     */
    public boolean putExtraRef(long pfn) {
        if (extraRefs.get(pfn) == 0) {
            return false;
        }
        extraRefs.add(pfn, -1);
        return true;
    }

    /** References on {@code pfn} beyond its allocation's own (0 for a page mapped once). */
    public long extraRefCount(long pfn) {
        return extraRefs.get(pfn);
    }

    /** page_count of the allocation at {@code pfn}: 0 when none, else 1 plus the extra references. */
    public long pageCount(long pfn) {
        return allocated.get(pfn) == null ? 0 : 1 + extraRefs.get(pfn);
    }

    /** Pages holding extra references: head pfn to extra count, ascending (a copy). */
    public it.unimi.dsi.fastutil.longs.Long2LongSortedMap extraRefs() {
        return extraRefs.toMap();
    }

    /** Puts a block on the free lists, merging with free buddies ({@code __free_one_page}). */
    private void freeOneBlock(Zone z, long pfn, int order) {
        z.nrFree += 1L << order;
        while (order < maxOrder) {
            long buddy = pfn ^ (1L << order);
            if (!z.freeArea[order].remove(buddy)) {
                break;
            }
            pfn = Math.min(pfn, buddy);
            order++;
        }
        z.freeArea[order].add(pfn);
    }

    /**
     * Hands a pfn range to the buddy allocator for the first time, in the largest naturally aligned
     * blocks, and counts it as managed: {@code memblock_free_all} at boot and {@code online_pages}
     * for hot-added RAM.
     *
     * @kernel mm/page_alloc.c: __free_pages_core
     */
    public void freePagesCore(int nid, ZoneType type, long startPfn, long nrPages) {
        Zone z = zone(nid, type);
        z.span(startPfn, startPfn + nrPages);
        z.managed += nrPages;
        long pfn = startPfn;
        long end = startPfn + nrPages;
        while (pfn < end) {
            int order = pfn == 0 ? maxOrder : Math.min(maxOrder, Long.numberOfTrailingZeros(pfn));
            while (pfn + (1L << order) > end) {
                order--;
            }
            freeOneBlock(z, pfn, order);
            pfn += 1L << order;
        }
    }

    /**
     * Gives a page that was reserved at boot (memblock) back to the buddy allocator without
     * adjusting managed pages, as {@code free_pages} does for a PageReserved page.
     */
    public void freeReservedToBuddy(int nid, long pfn, int order) {
        Zone z = zone(nid, ZoneType.NORMAL);
        freeOneBlock(z, pfn, order);
    }

    /** Extends a zone's span without freeing pages (ZONE_DEVICE, self-hosted vmemmap pages). */
    public void spanZone(int nid, ZoneType type, long startPfn, long nrPages) {
        zone(nid, type).span(startPfn, startPfn + nrPages);
    }

    /**
     * Takes every page of {@code [startPfn, startPfn + nrPages)} off the free lists of the zone, for
     * offlining; returns {@code -EBUSY} and changes nothing when any page is not free.
     *
     * @kernel mm/page_alloc.c: __offline_isolated_pages
     */
    public int takeOffFreeLists(int nid, ZoneType type, long startPfn, long nrPages) {
        Zone z = zone(nid, type);
        long end = startPfn + nrPages;
        long freeInRange = 0;
        List<long[]> blocks = new ArrayList<>();
        for (int o = 0; o <= maxOrder; o++) {
            for (long b = z.freeArea[o].ceiling(startPfn); b != -1; b = z.freeArea[o].ceiling(b + 1)) {
                if (b >= end) {
                    break;
                }
                if (b + (1L << o) > end) {
                    return log.fail(Errno.EBUSY, "offline_pages",
                            String.format("free block pfn 0x%x order %d straddles the end 0x%x", b, o, end));
                }
                freeInRange += 1L << o;
                blocks.add(new long[] {b, o});
            }
            // a block starting below the range but reaching into it
            if (startPfn > 0) {
                long aligned = startPfn & -(1L << o);
                if (aligned < startPfn && z.freeArea[o].contains(aligned)) {
                    return log.fail(Errno.EBUSY, "offline_pages",
                            String.format("free block pfn 0x%x order %d straddles the start 0x%x", aligned, o, startPfn));
                }
            }
        }
        if (freeInRange != nrPages) {
            return log.fail(Errno.EBUSY, "offline_pages", String.format(
                    "%d of %d pages in pfn range [0x%x, 0x%x) are in use (unmovable)", nrPages - freeInRange, nrPages,
                    startPfn, end));
        }
        for (long[] b : blocks) {
            z.freeArea[(int) b[1]].remove(b[0]);
        }
        z.nrFree -= nrPages;
        z.managed -= nrPages;
        return 0;
    }

    /** True when {@code pfn} lies in a free block of any zone. */
    public boolean isFree(long pfn) {
        for (Zone[] zs : nodes.values()) {
            for (Zone z : zs) {
                if (z.nrFree == 0) {
                    continue;
                }
                for (int o = 0; o <= maxOrder; o++) {
                    if (!z.freeArea[o].isEmpty() && z.freeArea[o].contains(pfn & -(1L << o))) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** The live allocation starting at {@code pfn}, or null. */
    public Allocation allocation(long pfn) {
        return allocated.get(pfn);
    }

    /** All live allocations sorted by pfn. */
    public List<Allocation> allocations() {
        return allocated.sorted();
    }

    public int liveAllocations() {
        return allocated.size();
    }

    public long nrFreePages() {
        long n = 0;
        for (Zone[] zs : nodes.values()) {
            for (Zone z : zs) {
                n += z.nrFree;
            }
        }
        return n;
    }

    /** totalram_pages: pages managed by the buddy allocator. */
    public long totalramPages() {
        long n = 0;
        for (Zone[] zs : nodes.values()) {
            for (Zone z : zs) {
                n += z.managed;
            }
        }
        return n;
    }

    public long presentPages() {
        long n = 0;
        for (Zone[] zs : nodes.values()) {
            for (Zone z : zs) {
                n += z.present;
            }
        }
        return n;
    }

    public PageAlloc copy(FaultInjector f, Dmesg d) {
        PageAlloc c = new PageAlloc(maxOrder, f, d);
        for (var e : nodes.entrySet()) {
            Zone[] zs = new Zone[e.getValue().length];
            for (int i = 0; i < zs.length; i++) {
                zs[i] = e.getValue()[i].copy();
            }
            c.nodes.put(e.getKey(), zs);
        }
        c.allocated = allocated.copy();
        c.extraRefs = extraRefs.copy();
        return c;
    }

    public boolean sameState(PageAlloc o) {
        if (!nodes.keySet().equals(o.nodes.keySet()) || !allocated.sameContents(o.allocated)
                || !extraRefs.sameContents(o.extraRefs)) {
            return false;
        }
        for (var e : nodes.entrySet()) {
            Zone[] a = e.getValue();
            Zone[] b = o.nodes.get(e.getKey());
            for (int i = 0; i < a.length; i++) {
                if (!a[i].sameState(b[i])) {
                    return false;
                }
            }
        }
        return true;
    }
}
