package org.vmemsim.scenario;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.vmemsim.kernel.Kernel;
import org.vmemsim.mm.alloc.PageAlloc;
import org.vmemsim.mm.alloc.Slab;
import org.vmemsim.util.U64;

/**
 * What a removal left behind. Before and after an add the runner takes a {@link Snapshot} of the
 * live buddy allocations and slab objects; after the matching removal, everything the add
 * allocated (live after it, not before it) that is still live is "kept", listed one by one with
 * the reason the kernel keeps it (semantics 9.1, L1-L5). Nothing is guessed: an item is listed
 * only because the allocator state says it is still allocated.
 */
final class KeptPages {
    /** Upper bound on items listed one by one; the rest are summed up. */
    static final int MAX_ITEMS = 64;

    private KeptPages() {}

    /** The live allocations at one moment. */
    record Snapshot(Set<PageAlloc.Allocation> buddy, Set<Long> slabIds, TreeSet<Long> roots, long ramFreeBytes) {
        static Snapshot take(Kernel k) {
            Set<PageAlloc.Allocation> buddy = new HashSet<>(k.mm.buddy.allocations());
            Set<Long> slab = new HashSet<>(k.mm.slab.objects().keySet());
            TreeSet<Long> roots = new TreeSet<>();
            for (long r : k.sparse.existingRoots()) {
                roots.add(r);
            }
            return new Snapshot(buddy, slab, roots, k.mm.buddy.nrFreePages() * k.g.pageSize);
        }
    }

    /** The reason the kernel keeps an allocation made at {@code site}. */
    static String why(String site) {
        if (site.equals("sparse_index_alloc")) {
            return "sparse_index_init never frees mem_section roots (L1)";
        }
        if (site.equals("__pgd_pgtable_alloc") || site.matches("vmemmap_p[a-z0-9]*_populate")) {
            return "page-table page still maps another range, or its window crosses the floor/ceiling of "
                    + "free_empty_tables (L2/L3)";
        }
        if (site.equals("section_activate")) {
            return "usage map of a section that still has active sub-sections";
        }
        return "still allocated after the removal";
    }

    /**
     * The kept-items report of a removal.
     *
     * @param addPath the path of the add step, e.g. {@code runs[0].steps[0]}
     */
    static Map<String, Object> report(Kernel k, String addPath, Snapshot beforeAdd, Snapshot afterAdd) {
        Snapshot now = Snapshot.take(k);
        List<Map<String, Object>> items = new ArrayList<>();
        long ramBytes = 0;
        long slabBytes = 0;
        int more = 0;
        List<PageAlloc.Allocation> pages = new ArrayList<>();
        for (PageAlloc.Allocation a : k.mm.buddy.allocations()) { // sorted by pfn
            if (afterAdd.buddy.contains(a) && !beforeAdd.buddy.contains(a)) {
                pages.add(a);
            }
        }
        for (PageAlloc.Allocation a : pages) {
            long bytes = a.nrPages() * k.g.pageSize;
            ramBytes += bytes;
            if (items.size() >= MAX_ITEMS) {
                more++;
                continue;
            }
            Map<String, Object> it = new LinkedHashMap<>();
            it.put("kind", "pages");
            it.put("what", (a.nrPages() == 1 ? "page " : a.nrPages() + " pages at ") + "pfn " + U64.hex(a.pfn()));
            it.put("site", a.site());
            it.put("bytes", bytes);
            it.put("why", why(a.site()));
            items.add(it);
        }
        List<Long> newRoots = new ArrayList<>();
        for (long r : afterAdd.roots) {
            if (!beforeAdd.roots.contains(r) && now.roots.contains(r)) {
                newRoots.add(r);
            }
        }
        int rootIdx = 0;
        for (Slab.Obj o : k.mm.slab.objects().values()) { // sorted by id = allocation order
            if (!afterAdd.slabIds.contains(o.id()) || beforeAdd.slabIds.contains(o.id())) {
                continue;
            }
            slabBytes += o.bytes();
            if (items.size() >= MAX_ITEMS) {
                more++;
                continue;
            }
            String what = "slab object";
            if (o.site().equals("sparse_index_alloc") && rootIdx < newRoots.size()) {
                what = "mem_section root " + newRoots.get(rootIdx++);
            } else if (o.site().equals("section_activate")) {
                what = "mem_section_usage";
            }
            Map<String, Object> it = new LinkedHashMap<>();
            it.put("kind", "slab");
            it.put("what", what);
            it.put("site", o.site());
            it.put("bytes", o.bytes());
            it.put("why", why(o.site()));
            items.add(it);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("added_by", addPath);
        m.put("ram_free_bytes_before_add", beforeAdd.ramFreeBytes);
        m.put("ram_free_bytes_now", now.ramFreeBytes);
        m.put("ram_bytes", ramBytes);
        m.put("slab_bytes", slabBytes);
        m.put("items", items);
        if (more > 0) {
            m.put("more_items", more);
        }
        return m;
    }

    /** One line per kept item, for the text report. */
    static List<String> lines(Map<String, Object> kept) {
        List<String> out = new ArrayList<>();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> items = (List<Map<String, Object>>) kept.get("items");
        for (Map<String, Object> it : items) {
            out.add(it.get("what") + " (" + it.get("kind") + ", " + it.get("bytes") + " B, " + it.get("site") + "): "
                    + it.get("why"));
        }
        if (kept.containsKey("more_items")) {
            out.add("... and " + kept.get("more_items") + " more");
        }
        return out;
    }
}
