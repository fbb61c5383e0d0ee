package org.vmemsim.check;

import java.util.ArrayList;
import java.util.List;
import org.vmemsim.drivers.nvdimm.Nvdimm;
import org.vmemsim.drivers.nvdimm.PfnMode;
import org.vmemsim.mm.vmemmap.VmemAltmap;
import org.vmemsim.util.Sz;

/**
 * {@code ndctl create-namespace} on a pmem region of the machine: fsdax or devdax, the memmap on
 * the device ({@code map=dev}, an altmap) or in RAM, an alignment (0: the driver's default). The
 * namespace gets the kernel's name ({@code namespaceR.N}); {@link NamespaceDestroyFuzzStep} names it.
 */
public record NamespaceFuzzStep(int region, long size, boolean dax, PfnMode map, long align) implements FuzzStep {
    @Override
    public String describe() {
        return String.format("ndctl create-namespace region%d %s %s map=%s%s", region, Sz.human(size), dax ? "devdax" : "fsdax",
                map.ndctlMap, align == 0 ? "" : " align=" + Sz.human(align));
    }

    @Override
    public String yaml() {
        return String.format("ndctl: {create-namespace: {region: %d, size: %s, mode: %s, map: %s%s}}", region, Sz.human(size),
                dax ? "devdax" : "fsdax", map.ndctlMap, align == 0 ? "" : ", align: " + Sz.human(align));
    }

    @Override
    public boolean applicable(FuzzWorld w) {
        return region < w.k.nvdimm.regions().size();
    }

    @Override
    public long[] scope(FuzzWorld w) {
        // the extent the namespace will take (so a neighbour's dangling memmap is told apart from
        // its own), or the whole region when there is no room
        Nvdimm.Layout[] l = new Nvdimm.Layout[1];
        if (w.k.nvdimm.layout(region, size, dax, map, align, l) == 0) {
            return w.pfnScope(l[0].start(), l[0].size());
        }
        Nvdimm.Region r = w.k.nvdimm.regions().get(region);
        return w.pfnScope(r.start(), r.size());
    }

    @Override
    public String subject() {
        return null;
    }

    @Override
    public int apply(FuzzWorld w) {
        Nvdimm.Layout[] l = new Nvdimm.Layout[1];
        boolean laidOut = w.k.nvdimm.layout(region, size, dax, map, align, l) == 0;
        long start = laidOut ? l[0].setup().rangeStart : 0;
        long len = laidOut ? l[0].setup().rangeLen() : 0;
        long[] before = laidOut ? LeakProbe.active(w.k, start, len) : null;
        int ret = w.k.nvdimm.createNamespace(region, size, dax, map, align, new Nvdimm.Namespace[1]);
        if (ret != 0 && laidOut) {
            VmemAltmap a = l[0].setup().altmap;
            Pool pool = a == null ? null : new Pool(l[0].pfn().name, a.poolStartPfn(), a.poolEndPfn(), true);
            LeakProbe.report(w, l[0].pfn().name, start, len, before, pool, l[0].pgmap(w.g));
        }
        return ret;
    }

    @Override
    public List<FuzzStep> shrinks() {
        List<FuzzStep> out = new ArrayList<>();
        if (align != 0) {
            out.add(new NamespaceFuzzStep(region, size, dax, map, 0));
        }
        if (dax) {
            out.add(new NamespaceFuzzStep(region, size, false, map, align));
        }
        if (map != PfnMode.RAM) {
            out.add(new NamespaceFuzzStep(region, size, dax, PfnMode.RAM, align));
        }
        long min = Nvdimm.REGION_ALIGN;
        if (size > min) {
            out.add(new NamespaceFuzzStep(region, Math.max(min, size / 2 / min * min), dax, map, align));
        }
        return out;
    }
}
