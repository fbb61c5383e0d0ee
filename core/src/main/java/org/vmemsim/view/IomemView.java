package org.vmemsim.view;

import java.util.ArrayList;
import java.util.List;
import org.vmemsim.kernel.Kernel;
import org.vmemsim.mm.phys.Iomem;

/**
 * {@code /proc/iomem} as the kernel prints it ({@code kernel/resource.c: r_show}): one line per
 * resource in tree order, two spaces of indentation per level, {@code %08llx-%08llx : name}
 * (iomem's end is ~0, so the width is 8; wider addresses print in full). Shown as root sees it.
 */
public final class IomemView {
    /** r_show prints at most this many levels (MAX_IORES_LEVEL). */
    public static final int MAX_IORES_LEVEL = 5;

    private IomemView() {}

    public static List<String> lines(Kernel k) {
        List<String> out = new ArrayList<>();
        for (Iomem.Resource r : k.iomem.all()) {
            int depth = Iomem.depth(r);
            if (depth >= MAX_IORES_LEVEL) {
                continue;
            }
            out.add(String.format("%s%08x-%08x : %s", "  ".repeat(depth), r.start, r.end, r.name));
        }
        return out;
    }

    public static String text(Kernel k) {
        StringBuilder sb = new StringBuilder();
        for (String l : lines(k)) {
            sb.append(l).append('\n');
        }
        return sb.toString();
    }
}
