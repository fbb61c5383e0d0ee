package org.vmemsim.drivers.nvdimm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vmemsim.arch.Geometry;

/**
 * The JSON that {@code ndctl create-namespace} prints for an fsdax or devdax namespace, built from
 * the model's state with ndctl's key names and order (ndctl {@code ndctl/json.c:
 * util_namespace_to_json}, {@code daxctl/json.c: util_daxctl_region_to_json / util_daxctl_dev_to_json},
 * {@code util/json.c: util_json_object_size / display_size}).
 *
 * <p>{@code create-namespace} passes {@code UTIL_JSON_DAX | UTIL_JSON_DAX_DEVS}, and adds
 * {@code UTIL_JSON_HUMAN} when stdout is a terminal (or with {@code list -u}): then sizes become
 * strings such as {@code "3.94 GiB (4.23 GB)"}. Keys, in order:
 * <ul>
 *   <li>fsdax: dev, mode, map, size, uuid, sector_size, align, blockdev</li>
 *   <li>devdax: dev, mode, map, size, uuid, daxregion {id, size, align, devices [{chardev, size,
 *       target_node, align, mode}]}, align</li>
 * </ul>
 * {@code size} is the pfn/dax {@code size} attribute: namespace size - start_pad - end_trunc -
 * dataoff, i.e. npfns pages. A device that is not enabled has no size and gets {@code "state":
 * "disabled"}. Verbose-only keys (raw_uuid, numa_node, target_node of the namespace) are not built.
 */
public final class NdctlJson {
    private NdctlJson() {}

    /** Below this many bytes {@code display_size} prints a plain number. */
    public static final long HUMAN_MIN = 5000L * 1024;

    /**
     * A size as ndctl puts it in JSON: the number, or with {@code human} the {@link #displaySize}
     * string once it reaches {@link #HUMAN_MIN} bytes.
     *
     * @kernel ndctl util/json.c: util_json_object_size
     */
    public static Object utilJsonObjectSize(long bytes, boolean human) {
        if (!human || Long.compareUnsigned(bytes, HUMAN_MIN) < 0) {
            return bytes;
        }
        return displaySize(bytes);
    }

    /**
     * ndctl's human size (adapted by ndctl from mdadm): binary units with two decimals rounded half
     * up, MiB below 2 GiB and GiB from there, followed by the decimal-unit figure in parentheses,
     * e.g. {@code 4.00 GiB (4.29 GB)}. Terabytes are still printed in GiB, as ndctl does.
     *
     * @kernel ndctl util/json.c: display_size
     */
    public static String displaySize(long bytes) {
        boolean mib = Long.compareUnsigned(bytes, 2L << 30) < 0;
        long binUnit = mib ? 1L << 20 : 1L << 30;
        long centiBin = (Long.divideUnsigned(bytes * 200, binUnit) + 1) / 2;
        long centiDec = (Long.divideUnsigned(bytes, mib ? 5_000L : 5_000_000L) + 1) / 2;
        return String.format("%d.%02d %s (%d.%02d %s)", centiBin / 100, centiBin % 100, mib ? "MiB" : "GiB",
                centiDec / 100, centiDec % 100, mib ? "MB" : "GB");
    }

    /**
     * The object {@code ndctl create-namespace} prints for {@code nd}'s namespace.
     *
     * @param targetNode the dax device's {@code target_node} (printed when &gt;= 0)
     * @param human sizes as {@link #displaySize} strings ({@code -u}, or a terminal)
     * @kernel ndctl ndctl/json.c: util_namespace_to_json
     */
    public static LinkedHashMap<String, Object> utilNamespaceToJson(Geometry g, NdPfn nd, int targetNode,
                                                                    boolean human) {
        LinkedHashMap<String, Object> j = new LinkedHashMap<>();
        j.put("dev", nd.namespaceName);
        j.put("mode", nd.dax ? "devdax" : "fsdax");
        j.put("map", nd.mode.ndctlMap);
        boolean enabled = nd.sb != null;
        long size = enabled ? nd.sb.dataSize(nd.nsSize) : 0;
        if (enabled) {
            j.put("size", utilJsonObjectSize(size, human));
        }
        j.put("uuid", nd.uuid.toString());
        if (nd.dax) {
            if (enabled) {
                j.put("daxregion", daxRegion(g, nd, size, targetNode, human));
            }
        } else {
            j.put("sector_size", 512); // label-less namespaces have no sector_size: ndctl prints 512
        }
        if (nd.align != 0) {
            j.put("align", nd.align);
        }
        if (!nd.dax && enabled) {
            j.put("blockdev", blockdevName(nd));
        }
        if (!enabled) {
            j.put("state", "disabled");
        }
        return j;
    }

    /** @kernel ndctl daxctl/json.c: util_daxctl_region_to_json (with UTIL_JSON_DAX, UTIL_JSON_DAX_DEVS) */
    private static LinkedHashMap<String, Object> daxRegion(Geometry g, NdPfn nd, long size, int targetNode,
                                                           boolean human) {
        LinkedHashMap<String, Object> r = new LinkedHashMap<>();
        r.put("id", nd.regionId());
        r.put("size", utilJsonObjectSize(size, human));
        r.put("align", nd.sb.align()); // alloc_dax_region(..., pfn_sb->align, ...)
        if (size != 0) { // util_daxctl_devs_to_list skips 0-sized devices
            List<Object> devices = new ArrayList<>();
            devices.add(daxDev(g, nd, size, targetNode, human));
            r.put("devices", devices);
        }
        return r;
    }

    /** @kernel ndctl daxctl/json.c: util_daxctl_dev_to_json */
    private static LinkedHashMap<String, Object> daxDev(Geometry g, NdPfn nd, long size, int targetNode,
                                                        boolean human) {
        LinkedHashMap<String, Object> d = new LinkedHashMap<>();
        d.put("chardev", nd.name);
        d.put("size", utilJsonObjectSize(size, human));
        if (targetNode >= 0) {
            d.put("target_node", targetNode);
        }
        if (g.profile.ordinal100 >= 510) { // the dev_dax "align" attribute exists from v5.10
            d.put("align", utilJsonObjectSize(nd.sb.align(), human));
        }
        d.put("mode", "devdax");
        return d;
    }

    /**
     * The pmem block device of an fsdax namespace: {@code pmemR}, or {@code pmemR.N} for N &gt; 0.
     *
     * @kernel drivers/nvdimm/namespace_devs.c: nvdimm_namespace_disk_name
     */
    public static String blockdevName(NdPfn nd) {
        int id = nd.namespaceId();
        return "pmem" + nd.regionId() + (id > 0 ? "." + id : "");
    }

    /**
     * Prints a JSON value the way json-c's {@code JSON_C_TO_STRING_PRETTY} does: two-space indent,
     * no space after the colon, "/" escaped.
     */
    public static String render(Object value) {
        StringBuilder sb = new StringBuilder();
        render(sb, value, 0);
        return sb.toString();
    }

    private static void render(StringBuilder sb, Object v, int depth) {
        if (v instanceof Map<?, ?> m) {
            sb.append("{\n");
            int i = 0;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                indent(sb, depth + 1);
                quote(sb, String.valueOf(e.getKey()));
                sb.append(':');
                render(sb, e.getValue(), depth + 1);
                sb.append(++i < m.size() ? ",\n" : "\n");
            }
            indent(sb, depth);
            sb.append('}');
        } else if (v instanceof List<?> l) {
            sb.append("[\n");
            for (int i = 0; i < l.size(); i++) {
                indent(sb, depth + 1);
                render(sb, l.get(i), depth + 1);
                sb.append(i + 1 < l.size() ? ",\n" : "\n");
            }
            indent(sb, depth);
            sb.append(']');
        } else if (v instanceof String s) {
            quote(sb, s);
        } else if (v instanceof Long x) {
            sb.append(Long.toUnsignedString(x));
        } else {
            sb.append(v);
        }
    }

    private static void indent(StringBuilder sb, int depth) {
        sb.append("  ".repeat(depth));
    }

    private static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '/' -> sb.append("\\/");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
