package org.vmemsim.plan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.vmemsim.drivers.nvdimm.Nvdimm;
import org.vmemsim.drivers.nvdimm.PfnMode;
import org.vmemsim.kernel.Kernel;
import org.vmemsim.kernel.MachineSpec;
import org.vmemsim.kernel.RamRange;
import org.vmemsim.mm.vmemmap.VmemAltmap;
import org.vmemsim.util.Errno;
import org.vmemsim.util.KernelBug;
import org.vmemsim.util.Sz;
import org.vmemsim.util.U64;
import org.vmemsim.view.Accounting;

/**
 * The capacity question answered by running it: boot the machine, create each device as a pmem
 * namespace (map=dev: memmap on the device through the driver's altmap; map=mem: memmap in RAM),
 * and read every figure off the model as the difference against the state before that device.
 */
public final class Plan {
    private Plan() {}

    /** One device: size, optional start (-1: placed automatically), map, mode and alignment (0: driver default). */
    public record Device(long size, long start, String map, String mode, long align) {}

    /** A machine and its devices; {@code label} names the configuration in comparisons. */
    public record Config(String label, MachineSpec spec, List<Device> devices) {}

    /**
     * The RAM a machine gets when none is given: enough to hold the memmap of map=mem (1/64 of the
     * device at 4K pages) with room to spare, max(4 GiB, total device size / 16) rounded up to a
     * power of two.
     */
    public static long defaultRamBytes(long totalDeviceBytes) {
        return Math.max(Sz.SZ_4G, Long.highestOneBit(Math.max(1, totalDeviceBytes / 16 - 1)) << 1);
    }

    /** Automatic placement: see {@link PlanMachine#place}. */
    public static void place(MachineSpec spec, List<Device> devices) {
        PlanMachine.place(spec, devices);
    }

    /** Evaluates one configuration into a JSON-ready map. */
    public static Map<String, Object> evaluate(Config c) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("config", c.label());
        place(c.spec(), c.devices());
        Kernel k = Kernel.boot(c.spec());
        putMachine(out, c.spec());
        long[] pluggable = k.hotplug.mhpGetPluggableRange(true);
        out.put("pluggable_range", "[" + U64.hex(pluggable[0]) + "-" + U64.hex(pluggable[1]) + "]");
        long page = k.g.pageSize;
        long freeBoot = k.mm.buddy.nrFreePages();
        out.put("ram_total_bytes", k.mm.buddy.totalramPages() * page);
        out.put("ram_free_at_boot_bytes", freeBoot * page);
        List<Map<String, Object>> devs = new ArrayList<>();
        boolean allOk = true;
        for (int i = 0; i < c.devices().size(); i++) {
            Device d = c.devices().get(i);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("device", i);
            m.put("size_bytes", d.size());
            m.put("start", U64.hex(c.spec().pmem.get(i).start()));
            m.put("map", d.map());
            m.put("mode", d.mode());
            long freeBefore = k.mm.buddy.nrFreePages();
            Accounting.Tables tb = Accounting.tables(k);
            Accounting.Memmap mb = Accounting.memmap(k);
            long slabBefore = k.mm.slab.bytes();
            int rootsBefore = k.sparse.existingRoots().length;
            Nvdimm.Namespace[] ns = new Nvdimm.Namespace[1];
            String result;
            try {
                int rc = k.nvdimm.createNamespace(i, U64.alignUp(d.size(), Nvdimm.REGION_ALIGN), d.mode().equals("devdax"),
                        d.map().equals("mem") ? PfnMode.RAM : PfnMode.PMEM, d.align(), ns);
                result = Errno.name(rc);
                if (rc != 0) {
                    m.put("reason", k.log.lastErrorFunction() + ": " + k.log.lastError());
                }
            } catch (KernelBug bug) {
                result = "BUG";
                m.put("reason", "kernel BUG: " + bug.getMessage());
                m.put("result", result);
                devs.add(m);
                allOk = false;
                break; // the machine is dead
            }
            m.put("result", result);
            allOk &= result.equals("ok");
            Accounting.Tables ta = Accounting.tables(k);
            Accounting.Memmap ma = Accounting.memmap(k);
            if (ns[0] != null) {
                m.put("usable_bytes", ns[0].pfn.sb.dataSize(ns[0].size));
                m.put("data_offset_bytes", ns[0].pfn.sb.dataoff());
                m.put("align", ns[0].pfn.align);
                VmemAltmap a = k.memremap.pgmaps().get(ns[0].pfn.name).pgmapAltmap();
                if (a != null) {
                    Map<String, Object> am = Accounting.altmap(ns[0].pfn.name, a);
                    am.put("reserve_bytes", a.reserve * page);
                    am.put("align_waste_bytes", a.align * page);
                    am.put("unused_pool_bytes", (a.free - a.alloc - a.align) * page);
                    m.put("altmap", am);
                }
            }
            long memmapRam = ma.ramBytes() - mb.ramBytes();
            long memmapDev = ma.deviceBytes() - mb.deviceBytes();
            m.put("memmap_ram_bytes", memmapRam);
            m.put("memmap_device_bytes", memmapDev);
            String where = memmapLocation(d.map(), memmapRam, memmapDev);
            if (where != null) {
                m.put("memmap_location", where);
            }
            Map<String, Object> pt = new LinkedHashMap<>();
            pt.put("vmemmap", diffLevels(ta.vmemmapByLevel(), tb.vmemmapByLevel()));
            pt.put("linear", diffLevels(ta.linearByLevel(), tb.linearByLevel()));
            long tables = (ta.vmemmap() - tb.vmemmap()) + (ta.linear() - tb.linear());
            pt.put("total", tables);
            m.put("pgtable_pages", pt);
            m.put("pgtable_bytes", tables * page);
            m.put("section_metadata_bytes", k.mm.slab.bytes() - slabBefore);
            m.put("mem_section_roots_added", k.sparse.existingRoots().length - rootsBefore);
            m.put("ram_cost_bytes", (freeBefore - k.mm.buddy.nrFreePages()) * page);
            devs.add(m);
        }
        out.put("devices", devs);
        out.put("ok", allOk);
        out.put("ram_cost_bytes", (freeBoot - k.mm.buddy.nrFreePages()) * page);
        out.put("ram_free_after_bytes", k.mm.buddy.nrFreePages() * page);
        out.put("warnings", k.log.warnCount());
        return out;
    }

    /**
     * A configuration that could not be booted (the machine is invalid, e.g. a granule the arch does
     * not have): the same shape as {@link #evaluate}, every device with result "invalid" and the reason.
     */
    public static Map<String, Object> invalid(Config c, String reason) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("config", c.label());
        putMachine(out, c.spec());
        List<Map<String, Object>> devs = new ArrayList<>();
        for (int i = 0; i < c.devices().size(); i++) {
            Device d = c.devices().get(i);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("device", i);
            m.put("size_bytes", d.size());
            if (i < c.spec().pmem.size()) {
                m.put("start", U64.hex(c.spec().pmem.get(i).start()));
            }
            m.put("map", d.map());
            m.put("mode", d.mode());
            m.put("result", "invalid");
            m.put("reason", reason);
            devs.add(m);
        }
        out.put("devices", devs);
        out.put("ok", false);
        return out;
    }

    private static void putMachine(Map<String, Object> out, MachineSpec spec) {
        out.put("arch", spec.arch.label);
        out.put("granule", spec.granule.label());
        out.put("va_bits", spec.effectiveVaBits());
        out.put("kernel", spec.profile.label);
        List<String> ram = new ArrayList<>();
        for (RamRange r : spec.ram) {
            ram.add(r.toString());
        }
        out.put("ram", String.join(" ", ram));
        out.put("machine", spec.describe());
    }

    /**
     * Where the device's memmap ended up, read off the figures: on the device (through the altmap), in
     * RAM, or both (a tail the altmap could not hold). "RAM (altmap not used)" when map=dev asked for
     * the altmap and the kernel put none of the memmap there. Null when nothing was mapped.
     */
    static String memmapLocation(String map, long ramBytes, long deviceBytes) {
        if (deviceBytes > 0 && ramBytes > 0) {
            return "device + " + Sz.gib(ramBytes) + " in RAM";
        }
        if (deviceBytes > 0) {
            return "device (altmap)";
        }
        if (ramBytes > 0) {
            return map.equals("dev") ? "RAM (altmap not used)" : "RAM";
        }
        return null;
    }

    private static Map<String, Long> diffLevels(TreeMap<String, Long> after, TreeMap<String, Long> before) {
        Map<String, Long> m = new TreeMap<>();
        for (var e : after.entrySet()) {
            long d = e.getValue() - before.getOrDefault(e.getKey(), 0L);
            if (d != 0) {
                m.put(e.getKey(), d);
            }
        }
        return m;
    }
}
