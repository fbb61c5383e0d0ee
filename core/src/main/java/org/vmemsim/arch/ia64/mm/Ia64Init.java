package org.vmemsim.arch.ia64.mm;

import org.vmemsim.arch.Geometry;
import org.vmemsim.mm.pgtable.MmCore;
import org.vmemsim.mm.vmemmap.ArchMemory;
import org.vmemsim.mm.vmemmap.HotplugHooks;
import org.vmemsim.mm.vmemmap.MhpParams;
import org.vmemsim.mm.vmemmap.VmemAltmap;
import org.vmemsim.util.Errno;

/**
 * The memory hot-plug part of {@code arch/ia64/mm/init.c}. ia64 has no linear-map page tables:
 * region 7 is translated by the TLB miss handler ({@code alt_dtlb_miss} in {@code ivt.S}) straight
 * from the address, so there is nothing to map at boot or on hot-add and nothing to unmap on
 * hot-remove; {@code arch_add_memory} is {@code __add_pages} with a pgprot check, and
 * {@code arch_remove_memory} is {@code __remove_pages}.
 */
public final class Ia64Init implements ArchMemory {
    private final MmCore mm;
    private final Geometry g;
    private HotplugHooks hooks;

    public Ia64Init(MmCore mm) {
        this.mm = mm;
        this.g = mm.g;
    }

    public void setHooks(HotplugHooks hooks) {
        this.hooks = hooks;
    }

    /** Region 7 needs no page tables: nothing to do. @kernel arch/ia64/mm/init.c: paging_init (no linear map) */
    @Override
    public void bootMapMemory(long start, long size) {
        // identity-mapped by the TLB miss handler
    }

    /** The generic default, clamped to MAX_PHYSMEM_BITS. @kernel mm/memory_hotplug.c: arch_get_mappable_range */
    @Override
    public long[] archGetMappableRange() {
        return new long[] {0, g.maxPhysEnd() - 1};
    }

    /** @kernel arch/ia64/mm/init.c: arch_add_memory */
    @Override
    public int archAddMemory(int nid, long start, long size, MhpParams params) {
        if (!params.pgprot()) {
            mm.log.warnOnce("arch_add_memory", "pgprot", "pgprot is not PAGE_KERNEL");
            return mm.log.fail(Errno.EINVAL, "arch_add_memory", "pgprot is not PAGE_KERNEL");
        }
        int ret = hooks.addPages(nid, start >>> g.pageShift, size >>> g.pageShift, params);
        if (ret != 0) {
            mm.log.info("arch_add_memory", "Problem encountered in __add_pages() as ret=" + ret);
        }
        return ret;
    }

    /** @kernel arch/ia64/mm/init.c: arch_remove_memory */
    @Override
    public void archRemoveMemory(long start, long size, VmemAltmap altmap) {
        hooks.removePages(start >>> g.pageShift, size >>> g.pageShift, altmap);
    }
}
