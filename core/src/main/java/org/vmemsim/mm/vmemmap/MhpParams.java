package org.vmemsim.mm.vmemmap;

/**
 * {@code struct mhp_params} ({@code include/linux/memory_hotplug.h}): what a hot-add passes down to
 * {@code arch_add_memory} and {@code __add_pages}. {@code pgprot} is modelled as a flag: PAGE_KERNEL
 * (true) or an invalid zero protection (false).
 */
public record MhpParams(VmemAltmap altmap, boolean pgprot) {
    public static MhpParams kernel(VmemAltmap altmap) {
        return new MhpParams(altmap, true);
    }
}
