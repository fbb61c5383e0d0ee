package org.vmemsim.mm.phys;

import java.util.ArrayList;
import java.util.List;
import org.vmemsim.util.Errno;
import org.vmemsim.util.U64;

/**
 * The iomem resource tree of {@code kernel/resource.c}: nested, non-overlapping resources under
 * {@code iomem_resource} ({@code [0, ~0]}), each with a name and IORESOURCE_* flags; what
 * {@code /proc/iomem} prints. Left out: I/O ports, resource descriptors other than "none",
 * {@code IORESOURCE_MUXED} waiting, the sibling-merging of {@code merge_system_ram_resource}.
 *
 * <p>Ends are inclusive, as in the kernel ({@code struct resource.end}).
 */
public final class Iomem {
    public static final long IORESOURCE_MEM = 0x00000200L;
    public static final long IORESOURCE_SYSRAM = 0x01000000L;
    public static final long IORESOURCE_SYSRAM_DRIVER_MANAGED = 0x02000000L;
    public static final long IORESOURCE_BUSY = 0x80000000L;
    /** IORESOURCE_MEM | IORESOURCE_SYSRAM. */
    public static final long IORESOURCE_SYSTEM_RAM = IORESOURCE_MEM | IORESOURCE_SYSRAM;

    /** {@code region_intersects} results. */
    public enum Region {
        INTERSECTS, DISJOINT, MIXED
    }

    /** {@code struct resource}: {@code [start, end]} inclusive, children sorted by start. */
    public static final class Resource {
        public final long start;
        public long end;
        public final String name;
        public long flags;
        Resource parent;
        final List<Resource> children = new ArrayList<>();

        public Resource(long start, long end, String name, long flags) {
            this.start = start;
            this.end = end;
            this.name = name;
            this.flags = flags;
        }

        public Resource parent() {
            return parent;
        }

        public List<Resource> children() {
            return List.copyOf(children);
        }

        public long size() {
            return end - start + 1;
        }

        @Override
        public String toString() {
            return String.format("[mem %#010x-%#010x %s flags %#x]", start, end, name, flags);
        }
    }

    private final Resource root = new Resource(0, -1L, "PCI mem", IORESOURCE_MEM);

    /** {@code iomem_resource}. */
    public Resource root() {
        return root;
    }

    /**
     * Inserts {@code r} as a child of {@code parent} unless it is outside the parent or overlaps a
     * child; returns the conflicting resource (the parent itself when outside), or null on success.
     *
     * @kernel kernel/resource.c: __request_resource
     */
    Resource requestResourceConflict(Resource parent, Resource r) {
        if (U64.lt(r.end, r.start) || U64.lt(r.start, parent.start) || U64.gt(r.end, parent.end)) {
            return parent;
        }
        int i = 0;
        for (; i < parent.children.size(); i++) {
            Resource c = parent.children.get(i);
            if (U64.gt(c.start, r.end)) {
                break;
            }
            if (U64.lt(c.end, r.start)) {
                continue;
            }
            return c;
        }
        parent.children.add(i, r);
        r.parent = parent;
        return null;
    }

    /**
     * Inserts {@code r} under {@code parent}; -EBUSY on conflict.
     *
     * @kernel kernel/resource.c: request_resource
     */
    public int requestResource(Resource parent, Resource r) {
        return requestResourceConflict(parent, r) == null ? 0 : Errno.EBUSY.neg();
    }

    /**
     * Requests {@code [start, start + n)} busy under the deepest non-busy resource that contains
     * it; null when it overlaps a busy resource or straddles a boundary.
     *
     * @kernel kernel/resource.c: __request_region
     */
    public Resource requestRegion(long start, long n, String name, long flags) {
        Resource parent = root;
        Resource res = new Resource(start, start + n - 1, name, IORESOURCE_MEM | IORESOURCE_BUSY | flags);
        while (true) {
            Resource conflict = requestResourceConflict(parent, res);
            if (conflict == null) {
                return res;
            }
            if (conflict != parent && (conflict.flags & IORESOURCE_BUSY) == 0) {
                parent = conflict;
                continue;
            }
            return null;
        }
    }

    /** @kernel kernel/resource.c: request_mem_region */
    public Resource requestMemRegion(long start, long n, String name) {
        return requestRegion(start, n, name, 0);
    }

    /**
     * Detaches {@code r} from the tree; its children must have gone first. -EINVAL when it is not
     * in the tree.
     *
     * @kernel kernel/resource.c: release_resource
     */
    public int releaseResource(Resource r) {
        if (r.parent == null || !r.parent.children.remove(r)) {
            return Errno.EINVAL.neg();
        }
        r.parent = null;
        return 0;
    }

    /**
     * Removes {@code r} and re-parents its children to its parent.
     *
     * @kernel kernel/resource.c: remove_resource
     */
    public int removeResource(Resource r) {
        Resource p = r.parent;
        if (p == null) {
            return Errno.EINVAL.neg();
        }
        int idx = p.children.indexOf(r);
        p.children.remove(idx);
        for (Resource c : r.children) {
            c.parent = p;
        }
        p.children.addAll(idx, r.children);
        r.children.clear();
        r.parent = null;
        return 0;
    }

    /**
     * Releases the busy region exactly matching {@code [start, start + n)}; false when there is
     * none (the kernel WARNs "Trying to free nonexistent resource").
     *
     * @kernel kernel/resource.c: __release_region
     */
    public boolean releaseRegion(long start, long n) {
        Resource r = find(root, start, start + n - 1, IORESOURCE_BUSY);
        if (r == null || !r.children.isEmpty()) {
            return false;
        }
        releaseResource(r);
        return true;
    }

    /**
     * Releases the busy System RAM resource covering {@code [start, start + size)}: the whole
     * resource when it matches, else the resource is trimmed or split around the range.
     *
     * @kernel kernel/resource.c: release_mem_region_adjustable
     */
    public boolean releaseMemRegionAdjustable(long start, long size) {
        long end = start + size - 1;
        Resource r = containing(root, start, end);
        if (r == null || r == root || (r.flags & IORESOURCE_BUSY) == 0 || !r.children.isEmpty()) {
            return false;
        }
        Resource p = r.parent;
        int idx = p.children.indexOf(r);
        p.children.remove(idx);
        r.parent = null;
        if (U64.lt(r.start, start)) {
            Resource head = new Resource(r.start, start - 1, r.name, r.flags);
            head.parent = p;
            p.children.add(idx++, head);
        }
        if (U64.gt(r.end, end)) {
            Resource tail = new Resource(end + 1, r.end, r.name, r.flags);
            tail.parent = p;
            p.children.add(idx, tail);
        }
        return true;
    }

    /** The deepest resource containing {@code [start, end]}. */
    private static Resource containing(Resource parent, long start, long end) {
        for (Resource c : parent.children) {
            if (U64.le(c.start, start) && U64.ge(c.end, end)) {
                return containing(c, start, end);
            }
        }
        return parent;
    }

    /** Descends through non-busy resources containing the range; the first busy one must match exactly. */
    private static Resource find(Resource parent, long start, long end, long flags) {
        for (Resource c : parent.children) {
            if (U64.le(c.start, start) && U64.ge(c.end, end)) {
                if ((c.flags & IORESOURCE_BUSY) == 0) {
                    return find(c, start, end, flags);
                }
                return c.start == start && c.end == end && (c.flags & flags) == flags ? c : null;
            }
        }
        return null;
    }

    /** Every resource below the root in tree order (pre-order), for walks and views. */
    public List<Resource> all() {
        List<Resource> out = new ArrayList<>();
        collect(root, out);
        return out;
    }

    private static void collect(Resource p, List<Resource> out) {
        for (Resource c : p.children) {
            out.add(c);
            collect(c, out);
        }
    }

    /** Depth of {@code r} below the root (top-level resources are 0). */
    public static int depth(Resource r) {
        int d = -1;
        for (Resource p = r.parent; p != null; p = p.parent) {
            d++;
        }
        return d;
    }

    /**
     * Whether {@code [start, start + size)} intersects resources whose flags include
     * {@code flags}: only such resources, none, or both kinds.
     *
     * @kernel kernel/resource.c: region_intersects
     */
    public Region regionIntersects(long start, long size, long flags) {
        long end = start + size - 1;
        int type = 0;
        int other = 0;
        for (Resource r : topLevelOverlaps(start, end)) {
            if ((r.flags & flags) == flags) {
                type++;
            } else {
                other++;
            }
        }
        if (other == 0) {
            return type == 0 ? Region.DISJOINT : Region.INTERSECTS;
        }
        return type == 0 ? Region.DISJOINT : Region.MIXED;
    }

    /** Top-level resources overlapping {@code [start, end]} (the 6.1 walk looks at iomem_resource's children). */
    private List<Resource> topLevelOverlaps(long start, long end) {
        List<Resource> out = new ArrayList<>();
        for (Resource r : root.children) {
            if (U64.le(r.start, end) && U64.ge(r.end, start)) {
                out.add(r);
            }
        }
        return out;
    }

    /**
     * Pages of {@code [startPfn, startPfn + nrPages)} that lie in busy System RAM resources (at
     * any depth), as the callback of {@code walk_system_ram_range} counts them.
     *
     * @kernel kernel/resource.c: walk_system_ram_range
     */
    public long systemRamPages(long startPfn, long nrPages, int pageShift) {
        long start = startPfn << pageShift;
        long end = ((startPfn + nrPages) << pageShift) - 1;
        long pages = 0;
        long want = IORESOURCE_SYSTEM_RAM | IORESOURCE_BUSY;
        for (Resource r : all()) {
            if ((r.flags & want) != want || U64.gt(r.start, end) || U64.lt(r.end, start)) {
                continue;
            }
            long s = U64.max(r.start, start);
            long e = U64.min(r.end, end);
            long sp = U64.divRoundUp(s, 1L << pageShift);
            long ep = (e + 1) >>> pageShift;
            if (U64.gt(ep, sp)) {
                pages += ep - sp;
            }
        }
        return pages;
    }

    /** The first resource named {@code name} in tree order, or null. */
    public Resource byName(String name) {
        for (Resource r : all()) {
            if (r.name.equals(name)) {
                return r;
            }
        }
        return null;
    }
}
