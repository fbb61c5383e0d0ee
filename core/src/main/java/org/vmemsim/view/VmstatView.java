package org.vmemsim.view;

import java.util.LinkedHashMap;
import java.util.Map;
import org.vmemsim.kernel.Kernel;

/**
 * The {@code /proc/vmstat} counters vmemsim keeps ({@code mm/vmstat.c}): {@code nr_memmap_pages}
 * and {@code nr_memmap_boot_pages}, present from v6.11 only ({@code KernelProfile.vmstatMemmapCounters}).
 * Older profiles print nothing.
 */
public final class VmstatView {
    private VmstatView() {}

    public static Map<String, Long> of(Kernel k) {
        Map<String, Long> m = new LinkedHashMap<>();
        if (k.g.profile.vmstatMemmapCounters()) {
            m.put("nr_memmap_pages", k.sparse.nrMemmapPages());
            m.put("nr_memmap_boot_pages", k.sparse.nrMemmapBootPages());
        }
        return m;
    }

    public static String text(Kernel k) {
        StringBuilder sb = new StringBuilder();
        for (var e : of(k).entrySet()) {
            sb.append(e.getKey()).append(' ').append(e.getValue()).append('\n');
        }
        return sb.toString();
    }
}
