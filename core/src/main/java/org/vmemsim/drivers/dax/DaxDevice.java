package org.vmemsim.drivers.dax;

import org.vmemsim.arch.Geometry;
import org.vmemsim.mm.memremap.DevPagemap;
import org.vmemsim.util.U64;

/**
 * The device-dax character device driver ({@code drivers/dax/device.c}), reduced to what its probe
 * does to the pgmap before {@code devm_memremap_pages}: the pages are built as compound pages of the
 * device alignment. Whether the memmap of those compound pages is then deduplicated is decided
 * further down, by {@code vmemmap_can_optimize}.
 */
public final class DaxDevice {
    private DaxDevice() {}

    /**
     * Sets {@code pgmap->vmemmap_shift} to {@code order_base_2(align >> PAGE_SHIFT)} when the
     * alignment is larger than a page (profiles with compound devmaps, v5.17+); leaves it 0 otherwise.
     *
     * @kernel drivers/dax/device.c: dev_dax_probe
     */
    public static void devDaxProbe(Geometry g, DevPagemap pgmap, long align) {
        if (!g.profile.daxCompoundDevmap() || !U64.gt(align, g.pageSize)) {
            return;
        }
        pgmap.vmemmapShift = orderBase2(align >>> g.pageShift);
    }

    /** ceil(log2(n)) for n >= 1. @kernel include/linux/log2.h: order_base_2 */
    static int orderBase2(long n) {
        return n <= 1 ? 0 : 64 - Long.numberOfLeadingZeros(n - 1);
    }
}
