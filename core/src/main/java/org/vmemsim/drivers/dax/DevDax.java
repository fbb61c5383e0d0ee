package org.vmemsim.drivers.dax;

/**
 * {@code struct dev_dax} ({@code drivers/dax/dax-private.h}), reduced to what kmem uses: the
 * device name ("dax0.0"), one physical range {@code [start, start + size)}, the target node and
 * the per-device memmap_on_memory switch (sysfs {@code memmap_on_memory}, v6.8+).
 */
public record DevDax(String name, long start, long size, int targetNode, boolean memmapOnMemory) {
    /** Inclusive end, as {@code struct range.end}. */
    public long end() {
        return start + size - 1;
    }
}
