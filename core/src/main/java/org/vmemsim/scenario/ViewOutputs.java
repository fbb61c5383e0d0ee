package org.vmemsim.scenario;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vmemsim.drivers.dax.DaxKmem;
import org.vmemsim.drivers.nvdimm.NdctlJson;
import org.vmemsim.drivers.nvdimm.Nvdimm;
import org.vmemsim.kernel.Kernel;
import org.vmemsim.view.IomemView;
import org.vmemsim.view.MemoryBlocksView;
import org.vmemsim.view.VmstatView;

/**
 * The user-space views {@code run --view} can add after every step, beyond ptdump, meminfo and
 * accounting: {@code /proc/iomem}, {@code lsmem}, the {@code /sys/devices/system/memory} map,
 * {@code /proc/vmstat}, {@code ndctl list} and {@code daxctl list}. Each has a JSON form and a
 * text form.
 */
final class ViewOutputs {
    private ViewOutputs() {}

    /** {@code ndctl list -N}: one {@link NdctlJson#utilNamespaceToJson} object per active namespace. */
    static List<Object> ndctl(Kernel k) {
        List<Object> out = new ArrayList<>();
        for (Nvdimm.Namespace ns : k.nvdimm.namespaces().values()) {
            out.add(NdctlJson.utilNamespaceToJson(k.g, ns.pfn, ns.pfn.dax ? ns.region.nid() : -1, false));
        }
        return out;
    }

    /** Namespace name → its ndctl JSON object (for {@code expect: namespaces.NAME.size}). */
    static Map<String, Object> namespaces(Kernel k) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Nvdimm.Namespace ns : k.nvdimm.namespaces().values()) {
            m.put(ns.name(), NdctlJson.utilNamespaceToJson(k.g, ns.pfn, ns.pfn.dax ? ns.region.nid() : -1, false));
        }
        return m;
    }

    /**
     * {@code daxctl list}, simplified: every device-dax device of a devdax namespace (mode
     * "devdax") and every device a {@code dax_kmem} step converted (mode "system-ram"), each with
     * chardev, size, target_node, align and mode. Left out: daxctl's region objects, the
     * "movable"/"online_memblocks" fields of system-ram devices and numa_node.
     */
    static List<Object> daxctl(Kernel k) {
        List<Object> out = new ArrayList<>();
        for (Nvdimm.Namespace ns : k.nvdimm.namespaces().values()) {
            if (!ns.pfn.dax || ns.pfn.sb == null) {
                continue;
            }
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("chardev", ns.pfn.name);
            d.put("size", ns.pfn.sb.dataSize(ns.pfn.nsSize));
            d.put("target_node", ns.region.nid());
            d.put("align", ns.pfn.sb.align());
            d.put("mode", "devdax");
            out.add(d);
        }
        for (DaxKmem.Bound b : k.daxKmem.bound().values()) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("chardev", b.dev().name());
            d.put("size", b.dev().size());
            d.put("target_node", b.dev().targetNode());
            d.put("align", k.g.pmdSize);
            d.put("mode", "system-ram");
            out.add(d);
        }
        return out;
    }

    /** The JSON value of a view. */
    static Object json(ScenarioRunner.View v, Kernel k) {
        return switch (v) {
            case IOMEM -> IomemView.lines(k);
            case LSMEM -> List.of(MemoryBlocksView.lsmem(k).split("\\R"));
            case MEMORY -> MemoryBlocksView.sysfs(k);
            case VMSTAT -> VmstatView.of(k);
            case NDCTL -> ndctl(k);
            case DAXCTL -> daxctl(k);
            default -> throw new IllegalArgumentException("view " + v + " has its own field");
        };
    }

    /** The text lines of a view. */
    static List<String> text(ScenarioRunner.View v, Kernel k) {
        return switch (v) {
            case IOMEM -> IomemView.lines(k);
            case LSMEM -> List.of(MemoryBlocksView.lsmem(k).split("\\R"));
            case MEMORY -> memoryLines(k);
            case VMSTAT -> List.of(VmstatView.text(k).split("\\R"));
            case NDCTL -> List.of(NdctlJson.render(ndctl(k)).split("\\R"));
            case DAXCTL -> List.of(NdctlJson.render(daxctl(k)).split("\\R"));
            default -> throw new IllegalArgumentException("view " + v + " has its own field");
        };
    }

    /** {@code memoryN/attr: value}, one line per block. */
    private static List<String> memoryLines(Kernel k) {
        List<String> out = new ArrayList<>();
        for (var e : MemoryBlocksView.sysfs(k).entrySet()) {
            if (e.getValue() instanceof Map<?, ?> attrs) {
                List<String> parts = new ArrayList<>();
                for (var a : attrs.entrySet()) {
                    parts.add(a.getKey() + "=" + a.getValue());
                }
                out.add(e.getKey() + ": " + String.join(" ", parts));
            } else {
                out.add(e.getKey() + ": " + e.getValue());
            }
        }
        return out;
    }
}
