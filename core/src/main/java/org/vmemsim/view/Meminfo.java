package org.vmemsim.view;

import java.util.LinkedHashMap;
import java.util.Map;
import org.vmemsim.kernel.Kernel;

/** The {@code /proc/meminfo} lines vmemsim can read off its state ({@code fs/proc/meminfo.c}). */
public final class Meminfo {
    private Meminfo() {}

    public static Map<String, Object> of(Kernel k) {
        long kb = k.g.pageSize / 1024;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("MemTotal_kB", k.mm.buddy.totalramPages() * kb);
        m.put("MemFree_kB", k.mm.buddy.nrFreePages() * kb);
        return m;
    }

    public static String text(Kernel k) {
        long kb = k.g.pageSize / 1024;
        return String.format("MemTotal:       %8d kB%nMemFree:        %8d kB%n", k.mm.buddy.totalramPages() * kb,
                k.mm.buddy.nrFreePages() * kb);
    }
}
