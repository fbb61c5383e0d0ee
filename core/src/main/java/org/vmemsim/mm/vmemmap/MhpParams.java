package org.vmemsim.mm.vmemmap;

/**
 * {@code struct mhp_params} ({@code include/linux/memory_hotplug.h}): what a hot-add passes down to
 * {@code arch_add_memory} and {@code __add_pages}. {@code pgprot} is modelled as a flag: PAGE_KERNEL
 * (true) or an invalid zero protection (false). {@code pgmap} is set by {@code memremap_pages}
 * (v5.17+) so that the memmap of compound device pages can be deduplicated; null otherwise.
 */
public record MhpParams(VmemAltmap altmap, boolean pgprot, VmemmapPgmap pgmap) {
    public static MhpParams kernel(VmemAltmap altmap) {
        return new MhpParams(altmap, true, null);
    }

    public static MhpParams kernel(VmemAltmap altmap, VmemmapPgmap pgmap) {
        return new MhpParams(altmap, true, pgmap);
    }
}
