package org.vmemsim.check;

import java.util.ArrayList;
import java.util.List;
import org.vmemsim.kernel.Kernel;
import org.vmemsim.mm.alloc.Memblock;
import org.vmemsim.mm.alloc.PageAlloc;
import org.vmemsim.mm.alloc.Slab;
import org.vmemsim.mm.alloc.Zone;
import org.vmemsim.mm.phys.FrameStore;
import org.vmemsim.mm.phys.PgTable;
import org.vmemsim.mm.sparse.MemSection;

/** The per-part comparisons behind {@link ModelState#diff}: each returns the first difference or null. */
final class StateDiffs {
    static final String ROOT_SITE = "sparse_index_alloc";

    private StateDiffs() {}

    static MemSection section(Kernel k, Object[] snap, long nr) {
        MemSection[][] roots = (MemSection[][]) snap[0];
        long perRoot = k.g.sectionsPerRoot;
        MemSection[] root = roots[(int) (nr / perRoot)];
        return root == null ? null : root[(int) (nr % perRoot)];
    }

    private static boolean empty(MemSection ms) {
        return ms == null || ms.flags == 0 && ms.usage == null;
    }

    /** Sections compared by flags, node and usage; the node of an empty section means nothing. */
    static String sections(Kernel k, Object[] a, Object[] b, boolean allowL1) {
        MemSection[][] ra = (MemSection[][]) a[0];
        MemSection[][] rb = (MemSection[][]) b[0];
        long perRoot = k.g.sectionsPerRoot;
        for (int r = 0; r < ra.length; r++) {
            if (ra[r] == null && rb[r] == null) {
                continue;
            }
            if (ra[r] != null && rb[r] == null) {
                return "mem_section root " + r + " vanished";
            }
            if (ra[r] == null && !allowL1) {
                return "mem_section root " + r + " appeared (sections " + r * perRoot + ".." + ((r + 1) * perRoot - 1) + ")";
            }
            for (int i = 0; i < rb[r].length; i++) {
                MemSection x = ra[r] == null ? null : ra[r][i];
                MemSection y = rb[r][i];
                if (empty(x) && empty(y)) {
                    continue;
                }
                if (x == null || !x.sameState(y)) {
                    long nr = r * perRoot + i;
                    return String.format("section %d (pfn 0x%x) changed: %s -> %s", nr, k.g.sectionToPfn(nr), show(x), show(y));
                }
            }
        }
        if (!a[1].equals(b[1]) || !a[2].equals(b[2])) {
            return "nr_memmap_pages/nr_memmap_boot_pages changed: " + a[1] + "/" + a[2] + " -> " + b[1] + "/" + b[2];
        }
        return null;
    }

    private static String show(MemSection ms) {
        if (ms == null) {
            return "absent";
        }
        return String.format("{flags 0x%x nid %d usage %s}", ms.flags, ms.nid,
                ms.usage == null ? "none" : ms.usage.cardinality() + " sub-sections" + (ms.usage.boot ? " (boot)" : ""));
    }

    static String slab(Slab a, Slab b, boolean allowL1) {
        if (!allowL1) {
            return a.sameState(b) ? null : "slab objects changed: " + objs(a, false) + " -> " + objs(b, false);
        }
        List<String> x = objs(a, true);
        List<String> y = objs(b, true);
        if (!x.equals(y)) {
            return "slab objects changed: " + x + " -> " + y;
        }
        return null;
    }

    private static List<String> objs(Slab s, boolean skipRoots) {
        List<String> out = new ArrayList<>();
        for (Slab.Obj o : s.objects().values()) {
            if (!(skipRoots && o.site().equals(ROOT_SITE))) {
                out.add(o.site() + ":" + o.bytes() + (o.boot() ? "(boot)" : ""));
            }
        }
        return out;
    }

    static String buddy(PageAlloc a, PageAlloc b) {
        List<PageAlloc.Allocation> x = a.allocations();
        List<PageAlloc.Allocation> y = b.allocations();
        for (int i = 0; i < Math.max(x.size(), y.size()); i++) {
            PageAlloc.Allocation p = i < x.size() ? x.get(i) : null;
            PageAlloc.Allocation q = i < y.size() ? y.get(i) : null;
            if (p == null || !p.equals(q)) {
                return String.format("buddy allocations differ (%d -> %d live): first %s -> %s", x.size(), y.size(),
                        p == null ? "none" : show(p), q == null ? "none" : show(q));
            }
        }
        List<Zone> za = a.zones();
        List<Zone> zb = b.zones();
        for (int i = 0; i < Math.min(za.size(), zb.size()); i++) {
            Zone p = za.get(i);
            Zone q = zb.get(i);
            if (p.nrFree() != q.nrFree() || p.managed() != q.managed() || p.present() != q.present()
                    || p.spanStart() != q.spanStart() || p.spanEnd() != q.spanEnd()) {
                return String.format("node %d zone %s changed: free %d managed %d present %d span [0x%x, 0x%x) -> "
                        + "free %d managed %d present %d span [0x%x, 0x%x)", p.nid, p.type, p.nrFree(), p.managed(), p.present(),
                        p.spanStart(), p.spanEnd(), q.nrFree(), q.managed(), q.present(), q.spanStart(), q.spanEnd());
            }
        }
        if (za.size() != zb.size()) {
            return "buddy zones changed: " + za.size() + " -> " + zb.size();
        }
        if (!a.extraRefs().equals(b.extraRefs())) {
            return "page references differ: " + new java.util.TreeMap<>(a.extraRefs()) + " -> " + new java.util.TreeMap<>(b.extraRefs());
        }
        return "buddy free lists differ";
    }

    private static String show(PageAlloc.Allocation a) {
        return String.format("pfn 0x%x order %d by %s", a.pfn(), a.order(), a.site());
    }

    static String frames(FrameStore a, FrameStore b) {
        long[] x = a.tablePfns();
        long[] y = b.tablePfns();
        int i = 0;
        int j = 0;
        while (i < x.length || j < y.length) {
            if (j >= y.length || i < x.length && x[i] < y[j]) {
                return String.format("page table in frame pfn 0x%x was freed (%d -> %d tables)", x[i], x.length, y.length);
            }
            if (i >= x.length || y[j] < x[i]) {
                return String.format("page table in frame pfn 0x%x was added (%d -> %d tables)", y[j], x.length, y.length);
            }
            PgTable p = a.table(x[i]);
            PgTable q = b.table(y[j]);
            if (!p.sameContents(q)) {
                for (int e = 0; e < p.entries(); e++) {
                    if (p.get(e) != q.get(e)) {
                        return String.format("page table pfn 0x%x entry %d changed: %016x -> %016x", x[i], e, p.get(e), q.get(e));
                    }
                }
            }
            i++;
            j++;
        }
        return "page-table frames differ";
    }

    static String memblock(Memblock a, Memblock b) {
        if (!a.memory().equals(b.memory())) {
            return "memblock.memory changed: " + a.memory() + " -> " + b.memory();
        }
        return "memblock.reserved changed: " + a.reserved().size() + " -> " + b.reserved().size() + " regions";
    }
}
