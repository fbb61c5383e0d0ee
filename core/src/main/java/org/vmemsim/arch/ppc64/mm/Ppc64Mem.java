package org.vmemsim.arch.ppc64.mm;

import org.vmemsim.arch.Geometry;
import org.vmemsim.mm.pgtable.MmCore;
import org.vmemsim.mm.vmemmap.ArchMemory;
import org.vmemsim.mm.vmemmap.HotplugHooks;
import org.vmemsim.mm.vmemmap.MhpParams;
import org.vmemsim.mm.vmemmap.VmemAltmap;
import org.vmemsim.util.Errno;

/**
 * The memory hot-plug entry points of {@code arch/powerpc/mm/mem.c} on Book3S-64 radix:
 * {@code arch_add_memory} (linear mapping, then {@code __add_pages}; the mapping is removed again
 * when {@code __add_pages} fails), {@code arch_remove_memory}, the linear-mapping helpers, and the
 * boot linear map of {@code radix_init_pgtable}. The memory block size is the geometry's (256 MiB,
 * see {@code Ppc64Geometry}).
 */
public final class Ppc64Mem implements ArchMemory {
    private final MmCore mm;
    private final Geometry g;
    private final Ppc64RadixPgtable radix;
    private HotplugHooks hooks;

    public Ppc64Mem(MmCore mm, Ppc64Init64 init64) {
        this.mm = mm;
        this.g = mm.g;
        this.radix = init64.radix();
    }

    public void setHooks(HotplugHooks hooks) {
        this.hooks = hooks;
    }

    /**
     * Boot: maps one memblock region with tables from memblock; a failure is a WARN.
     *
     * @kernel arch/powerpc/mm/book3s64/radix_pgtable.c: radix_init_pgtable
     */
    @Override
    public void bootMapMemory(long start, long size) {
        if (radix.createPhysicalMapping(start, start + size, -1, g.memoryBlockSize) != 0) {
            mm.log.warn("radix_init_pgtable", String.format("create_physical_mapping failed for 0x%x+0x%x", start, size));
        }
    }

    /** The generic range: [0, 2^MAX_PHYSMEM_BITS - 1]. @kernel mm/memory_hotplug.c: arch_get_mappable_range */
    @Override
    public long[] archGetMappableRange() {
        return new long[] {0, g.maxPhysEnd() - 1};
    }

    /**
     * Creates the linear mapping of the range; on failure what was mapped stays and -EFAULT is returned.
     *
     * @kernel arch/powerpc/mm/mem.c: arch_create_linear_mapping
     */
    public int archCreateLinearMapping(int nid, long start, long size) {
        long va = mm.physToVirt(start);
        int rc = radix.radixCreateSectionMapping(va, va + size, nid); // create_section_mapping
        if (rc != 0) {
            return mm.log.fail(Errno.EFAULT, "arch_create_linear_mapping", String.format(
                    "Unable to create linear mapping for 0x%016x..0x%016x: %d", va, va + size, rc));
        }
        return 0;
    }

    /** @kernel arch/powerpc/mm/mem.c: arch_remove_linear_mapping */
    public void archRemoveLinearMapping(long start, long size) {
        long va = mm.physToVirt(start);
        radix.radixRemoveSectionMapping(va, va + size); // remove_section_mapping
    }

    /** @kernel arch/powerpc/mm/mem.c: arch_add_memory */
    @Override
    public int archAddMemory(int nid, long start, long size, MhpParams params) {
        int rc = archCreateLinearMapping(nid, start, size);
        if (rc != 0) {
            return rc;
        }
        rc = hooks.addPages(nid, start >>> g.pageShift, size >>> g.pageShift, params);
        if (rc != 0) {
            archRemoveLinearMapping(start, size);
        }
        return rc;
    }

    /** @kernel arch/powerpc/mm/mem.c: arch_remove_memory */
    @Override
    public void archRemoveMemory(long start, long size, VmemAltmap altmap) {
        hooks.removePages(start >>> g.pageShift, size >>> g.pageShift, altmap);
        archRemoveLinearMapping(start, size);
    }
}
