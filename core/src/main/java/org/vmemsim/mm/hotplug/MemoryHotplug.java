package org.vmemsim.mm.hotplug;

import org.vmemsim.arch.Geometry;
import org.vmemsim.arch.KernelProfile;
import org.vmemsim.mm.pgtable.MmCore;
import org.vmemsim.mm.sparse.Sparse;
import org.vmemsim.mm.vmemmap.ArchMemory;
import org.vmemsim.mm.vmemmap.HotplugHooks;
import org.vmemsim.mm.vmemmap.MhpParams;
import org.vmemsim.mm.vmemmap.VmemAltmap;
import org.vmemsim.util.Errno;
import org.vmemsim.util.KernelBug;
import org.vmemsim.util.U64;

/**
 * The section-level core of {@code mm/memory_hotplug.c}: {@code __add_pages}, {@code __remove_pages},
 * {@code check_pfn_span} and the pluggable-range helpers. Memory blocks, add_memory and
 * online/offline build on this.
 */
public final class MemoryHotplug implements HotplugHooks {
    private final MmCore mm;
    private final Geometry g;
    private final KernelProfile p;
    private final Sparse sparse;
    private final ArchMemory arch;

    public MemoryHotplug(MmCore mm, Sparse sparse, ArchMemory arch) {
        this.mm = mm;
        this.g = mm.g;
        this.p = g.profile;
        this.sparse = sparse;
        this.arch = arch;
    }

    public ArchMemory arch() {
        return arch;
    }

    /**
     * The range must start and end on a sub-section boundary (SPARSEMEM_VMEMMAP).
     *
     * @kernel mm/memory_hotplug.c: check_pfn_span
     */
    public int checkPfnSpan(long pfn, long nrPages) {
        long minAlign = g.pagesPerSubsection;
        if (!U64.isAligned(pfn, minAlign) || !U64.isAligned(nrPages, minAlign)) {
            return Errno.EINVAL.neg();
        }
        return 0;
    }

    /**
     * Adds the sections of {@code [pfn, pfn + nrPages)} one by one; stops at the first failing section
     * and returns its error without removing the sections already added (hazard H7).
     *
     * @kernel mm/memory_hotplug.c: __add_pages
     */
    @Override
    public int addPages(int nid, long pfn, long nrPages, MhpParams params) {
        VmemAltmap altmap = params.altmap();
        if (!params.pgprot()) {
            mm.log.warnOnce("__add_pages", "pgprot", "zero pgprot");
            return mm.log.fail(Errno.EINVAL, "__add_pages", "pgprot is zero");
        }
        if (p.addPagesChecksAddressable()) {
            long maxAddr = ((pfn + nrPages) << g.pageShift) - 1;
            if ((maxAddr >>> g.maxPhysmemBits) != 0) {
                mm.log.warn("__add_pages", String.format(
                        "Hotplugged memory exceeds maximum addressable address, range=%#x-%#x, maximum=%#x",
                        pfn << g.pageShift, maxAddr, (1L << g.maxPhysmemBits) - 1));
                return mm.log.fail(Errno.E2BIG, "__add_pages", String.format(
                        "range ends at %#x, beyond MAX_PHYSMEM_BITS=%d", maxAddr, g.maxPhysmemBits));
            }
        } else if (!mhpRangeAllowed(pfn << g.pageShift, nrPages << g.pageShift, false)) {
            throw new KernelBug(String.format("__add_pages: VM_BUG_ON(!mhp_range_allowed(%#x, %#x))",
                    pfn << g.pageShift, nrPages << g.pageShift));
        }
        if (altmap != null) {
            if (altmap.basePfn != pfn || U64.gt(VmemAltmap.vmemAltmapOffset(altmap), nrPages)) {
                mm.log.warnOnce("__add_pages", "altmap", "memory add fail, invalid altmap");
                return mm.log.fail(Errno.EINVAL, "__add_pages", String.format(
                        "invalid altmap: base_pfn %#x vs first pfn %#x, reserve+free %d vs %d pages", altmap.basePfn, pfn,
                        VmemAltmap.vmemAltmapOffset(altmap), nrPages));
            }
            altmap.alloc = 0;
        }
        if (checkPfnSpan(pfn, nrPages) != 0) {
            mm.log.warn("__add_pages", String.format("Misaligned __add_pages start: %#x end: %#x", pfn, pfn + nrPages - 1));
            return mm.log.fail(Errno.EINVAL, "__add_pages", String.format(
                    "pfn range [%#x, %#x) is not aligned to a %d-page sub-section", pfn, pfn + nrPages, g.pagesPerSubsection));
        }
        long end = pfn + nrPages;
        int err = 0;
        for (long cur = pfn; cur < end; ) {
            long sectionEnd = (cur | (g.pagesPerSection - 1)) + 1;
            long n = Math.min(end, sectionEnd) - cur;
            err = sparse.sparseAddSection(nid, cur, n, altmap, params.pgmap());
            if (err != 0) {
                break;
            }
            cur += n;
        }
        return err;
    }

    /**
     * Removes the sections of {@code [pfn, pfn + nrPages)}; a misaligned range is a WARN and nothing
     * happens.
     *
     * @kernel mm/memory_hotplug.c: __remove_pages
     */
    @Override
    public void removePages(long pfn, long nrPages, VmemAltmap altmap) {
        long mapOffset = VmemAltmap.vmemAltmapOffset(altmap);
        if (checkPfnSpan(pfn, nrPages) != 0) {
            mm.log.warn("__remove_pages", String.format("Misaligned __remove_pages start: %#x end: %#x", pfn,
                    pfn + nrPages - 1));
            return;
        }
        long end = pfn + nrPages;
        for (long cur = pfn; cur < end; ) {
            long sectionEnd = (cur | (g.pagesPerSection - 1)) + 1;
            long n = Math.min(end, sectionEnd) - cur;
            sparse.sparseRemoveSection(cur, n, mapOffset, altmap);
            mapOffset = 0;
            cur += n;
        }
    }

    /**
     * The physical range memory may be hot-plugged into: {@code [0, 2^MAX_PHYSMEM_BITS - 1]}, clamped to
     * the arch's mappable range when it must be linearly mapped. Inclusive end.
     *
     * @kernel mm/memory_hotplug.c: mhp_get_pluggable_range
     */
    public long[] mhpGetPluggableRange(boolean needMapping) {
        long maxPhys = (1L << g.maxPhysmemBits) - 1;
        if (!needMapping) {
            return new long[] {0, maxPhys};
        }
        long[] r = arch.archGetMappableRange();
        if (U64.gt(r[0], maxPhys)) {
            return new long[] {0, 0};
        }
        return new long[] {r[0], U64.min(r[1], maxPhys)};
    }

    /** @kernel mm/memory_hotplug.c: mhp_range_allowed */
    public boolean mhpRangeAllowed(long start, long size, boolean needMapping) {
        long[] r = mhpGetPluggableRange(needMapping);
        long end = start + size;
        if (U64.lt(start, end) && U64.ge(start, r[0]) && U64.le(end - 1, r[1])) {
            return true;
        }
        mm.log.warning("mhp_range_allowed", String.format(
                "Hotplug memory [%#x-%#x] exceeds maximum addressable range [%#x-%#x]", start, end, r[0], r[1]));
        return false;
    }
}
