package org.vmemsim.mm.vmemmap;

/**
 * The generic hot-plug entry points that architecture code calls back into: {@code arch_add_memory}
 * calls {@code __add_pages} and {@code arch_remove_memory} calls {@code __remove_pages}. Implemented
 * by the generic hot-plug layer and registered with the architecture, which sits below it.
 */
public interface HotplugHooks {
    /** @kernel mm/memory_hotplug.c: __add_pages */
    int addPages(int nid, long pfn, long nrPages, MhpParams params);

    /** @kernel mm/memory_hotplug.c: __remove_pages */
    void removePages(long pfn, long nrPages, VmemAltmap altmap);
}
