package org.vmemsim.drivers.nvdimm;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vmemsim.arch.Geometry;
import org.vmemsim.drivers.dax.DaxDevice;
import org.vmemsim.mm.memremap.DevPagemap;
import org.vmemsim.mm.memremap.MemoryType;
import org.vmemsim.mm.memremap.Memremap;
import org.vmemsim.mm.pgtable.MmCore;
import org.vmemsim.mm.phys.Iomem;
import org.vmemsim.util.Errno;
import org.vmemsim.util.Sz;
import org.vmemsim.util.U64;

/**
 * The libnvdimm bus as far as vmemsim needs it ({@code drivers/nvdimm/region_devs.c},
 * {@code namespace_devs.c}, {@code pmem.c}, {@code drivers/dax/pmem.c}): persistent-memory regions,
 * namespaces carved from them, and the probe of an fsdax ({@code pfnR.N}) or devdax ({@code daxR.N})
 * device on a namespace: {@code nd_pfn_init}, {@code __nvdimm_setup_pfn}, then
 * {@code devm_memremap_pages} with the altmap the driver built (map=dev) or none (map=mem); a devdax
 * device first sets the pgmap's compound-page order from its alignment ({@link DaxDevice#devDaxProbe}).
 *
 * <p>Namespaces are allocated first-fit in their region at the region's alignment (16 MiB, the
 * kernel's MEMREMAP_COMPAT_ALIGN_MAX default for pmem regions); label handling, BTT and sector mode
 * are not modelled.
 */
public final class Nvdimm {
    /** A pmem region: {@code regionN}. */
    public record Region(int id, long start, long size, int nid, long align) {
        public long end() {
            return start + size;
        }
    }

    /** An active namespace with its pfn/dax device. */
    public static final class Namespace {
        public final Region region;
        public final int id;
        public final long start;
        public final long size;
        public final NdPfn pfn;
        public final PfnSetup setup;

        Namespace(Region region, int id, long start, long size, NdPfn pfn, PfnSetup setup) {
            this.region = region;
            this.id = id;
            this.start = start;
            this.size = size;
            this.pfn = pfn;
            this.setup = setup;
        }

        public String name() {
            return "namespace" + region.id() + "." + id;
        }
    }

    public static final long REGION_ALIGN = 16 * Sz.SZ_1M;

    private final MmCore mm;
    private final Geometry g;
    private final Memremap memremap;
    private final List<Region> regions = new ArrayList<>();
    private final Map<String, Namespace> namespaces = new LinkedHashMap<>();
    private final Map<String, Iomem.Resource> nsResources = new LinkedHashMap<>();
    private Iomem iomem;

    public Nvdimm(MmCore mm, Memremap memremap) {
        this.mm = mm;
        this.g = mm.g;
        this.memremap = memremap;
    }

    /** The iomem tree the namespaces appear in (under their region's "Persistent Memory"). */
    public void setIomem(Iomem iomem) {
        this.iomem = iomem;
    }

    public Region addRegion(long start, long size, int nid) {
        Region r = new Region(regions.size(), start, size, nid, REGION_ALIGN);
        regions.add(r);
        return r;
    }

    public List<Region> regions() {
        return Collections.unmodifiableList(regions);
    }

    public Map<String, Namespace> namespaces() {
        return Collections.unmodifiableMap(namespaces);
    }

    /** Lowest free, aligned start in the region for {@code size} bytes, or -1. */
    private long findSpace(Region r, long size) {
        long cand = U64.alignUp(r.start(), r.align());
        List<Namespace> in = new ArrayList<>();
        for (Namespace ns : namespaces.values()) {
            if (ns.region.id() == r.id()) {
                in.add(ns);
            }
        }
        in.sort((a, b) -> U64.cmp(a.start, b.start));
        for (Namespace ns : in) {
            if (U64.le(cand + size, ns.start)) {
                break;
            }
            cand = U64.max(cand, U64.alignUp(ns.start + ns.size, r.align()));
        }
        return U64.le(cand + size, r.end()) ? cand : -1;
    }

    private int nextId(Region r) {
        int id = 0;
        while (namespaces.containsKey("namespace" + r.id() + "." + id)) {
            id++;
        }
        return id;
    }

    /** Where a namespace would go and how its pfn device would be laid out. */
    public record Layout(Region region, int id, long start, long size, NdPfn pfn, PfnSetup setup) {
        /**
         * The ZONE_DEVICE pgmap the probe maps: the pfn device's range and altmap; a dax device also
         * sets its compound-page order from its alignment.
         */
        public DevPagemap pgmap(Geometry g) {
            DevPagemap pg = new DevPagemap(pfn.name, pfn.dax ? MemoryType.GENERIC : MemoryType.FS_DAX, setup.rangeStart,
                    setup.rangeLen(), setup.altmap);
            if (pfn.dax) {
                DaxDevice.devDaxProbe(g, pg, pfn.align);
            }
            return pg;
        }
    }

    /**
     * The part of {@code create-namespace} before the device is probed: the region's free extent,
     * the namespace name and the pfn layout ({@code nvdimm_setup_pfn}). Changes nothing; returns 0
     * with {@code out[0]} set, or the errno {@link #createNamespace} would return.
     */
    public int layout(int regionId, long size, boolean dax, PfnMode map, long align, Layout[] out) {
        final String fn = "create-namespace";
        if (regionId < 0 || regionId >= regions.size()) {
            return mm.log.fail(Errno.ENODEV, fn, "no region" + regionId + " (the machine has " + regions.size() + ")");
        }
        Region r = regions.get(regionId);
        if (size == 0) {
            size = largestFree(r);
        }
        if (size == 0 || !U64.isAligned(size, r.align())) {
            return mm.log.fail(Errno.EINVAL, fn, String.format(
                    "size %d is not a non-zero multiple of region%d's alignment %s", size, r.id(), Sz.human(r.align())));
        }
        long start = findSpace(r, size);
        if (start == -1) {
            return mm.log.fail(Errno.ENOSPC, fn, String.format("region%d has no free %s extent", r.id(), Sz.human(size)));
        }
        int id = nextId(r);
        NdPfn nd = dax ? NdPfn.devdax(r.id(), id, start, size, map, PfnDevs.ndPfnDefaultAlignment(g))
                : NdPfn.fsdax(r.id(), id, start, size, map, PfnDevs.ndPfnDefaultAlignment(g));
        if (align != 0) {
            int rc = PfnDevs.alignStore(g, nd, align, mm.log);
            if (rc != 0) {
                return rc;
            }
        }
        PfnSetup setup = new PfnSetup();
        int rc = PfnDevs.nvdimmSetupPfn(g, nd, setup, mm.log);
        if (rc != 0) {
            return rc;
        }
        out[0] = new Layout(r, id, start, size, nd, setup);
        return 0;
    }

    /**
     * {@code ndctl create-namespace}: carves {@code size} bytes (0 = the largest free extent) from
     * region {@code regionId}, creates the fsdax or devdax device with {@code map} and {@code align}
     * (0 = the driver's default), and probes it. Returns 0 or the kernel's errno; on failure the
     * driver keeps nothing (memremap_pages itself may leave sections behind: hazard H7).
     * {@code out[0]} receives the namespace.
     */
    public int createNamespace(int regionId, long size, boolean dax, PfnMode map, long align, Namespace[] out) {
        Layout[] l = new Layout[1];
        int rc = layout(regionId, size, dax, map, align, l);
        if (rc != 0) {
            return rc;
        }
        Region r = l[0].region;
        long start = l[0].start;
        size = l[0].size;
        int id = l[0].id;
        NdPfn nd = l[0].pfn;
        PfnSetup setup = l[0].setup;
        DevPagemap pgmap = l[0].pgmap(g);
        rc = memremap.memremapPages(pgmap, r.nid());
        if (rc != 0) {
            return rc;
        }
        Namespace ns = new Namespace(r, id, start, size, nd, setup);
        namespaces.put(ns.name(), ns);
        if (iomem != null) {
            for (Iomem.Resource parent : iomem.all()) {
                if (parent.name.equals("Persistent Memory") && U64.le(parent.start, start)
                        && U64.ge(parent.end, start + size - 1)) {
                    Iomem.Resource res = new Iomem.Resource(start, start + size - 1, ns.name(), Iomem.IORESOURCE_MEM);
                    if (iomem.requestResource(parent, res) == 0) {
                        nsResources.put(ns.name(), res);
                    }
                    break;
                }
            }
        }
        out[0] = ns;
        return 0;
    }

    private long largestFree(Region r) {
        long best = 0;
        for (long s = r.align(); s <= r.size(); s += r.align()) {
            if (findSpace(r, s) != -1) {
                best = s;
            }
        }
        return best;
    }

    /** {@code ndctl destroy-namespace}: unbinds the device (memunmap_pages) and frees the extent. */
    public int destroyNamespace(String name) {
        Namespace ns = namespaces.get(name);
        if (ns == null) {
            return mm.log.fail(Errno.ENODEV, "destroy-namespace", "no namespace named '" + name + "'");
        }
        int rc = memremap.memunmapPages(ns.pfn.name);
        if (rc != 0) {
            return rc;
        }
        namespaces.remove(name);
        Iomem.Resource res = nsResources.remove(name);
        if (res != null) {
            iomem.releaseResource(res);
        }
        return 0;
    }
}
