package org.vmemsim.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.vmemsim.arch.Arch;
import org.vmemsim.arch.Geometry;
import org.vmemsim.arch.arm64.Arm64Pte;
import org.vmemsim.arch.ia64.Ia64Pte;
import org.vmemsim.arch.ia64.mm.Ia64Discontig;
import org.vmemsim.arch.ia64.mm.Ia64Init;
import org.vmemsim.arch.riscv.RiscvGeometry;
import org.vmemsim.arch.riscv.RiscvPte;
import org.vmemsim.arch.riscv.mm.RiscvInit;
import org.vmemsim.arch.x86.X86Pte;
import org.vmemsim.arch.x86.mm.X86Init64;
import org.vmemsim.arch.arm64.mm.Arm64LinearMap;
import org.vmemsim.arch.arm64.mm.Arm64Mmu;
import org.vmemsim.arch.ppc64.Ppc64Pte;
import org.vmemsim.arch.ppc64.mm.Ppc64Init64;
import org.vmemsim.arch.ppc64.mm.Ppc64Mem;
import org.vmemsim.drivers.nvdimm.Nvdimm;
import org.vmemsim.drivers.dax.DaxKmem;
import org.vmemsim.mm.alloc.FaultInjector;
import org.vmemsim.mm.alloc.Memblock;
import org.vmemsim.mm.alloc.ZoneType;
import org.vmemsim.mm.hotplug.MemoryHotplug;
import org.vmemsim.mm.hotplug.RamHotplug;
import org.vmemsim.mm.memremap.DevPagemap;
import org.vmemsim.mm.memremap.MemoryType;
import org.vmemsim.mm.memremap.Memremap;
import org.vmemsim.mm.pgtable.KernelPgtable;
import org.vmemsim.mm.pgtable.MmCore;
import org.vmemsim.mm.phys.Iomem;
import org.vmemsim.mm.phys.PhysMap;
import org.vmemsim.mm.phys.PhysRange;
import org.vmemsim.mm.sparse.Sparse;
import org.vmemsim.mm.vmemmap.SparseVmemmap;
import org.vmemsim.mm.vmemmap.VmemAltmap;
import org.vmemsim.util.Dmesg;
import org.vmemsim.util.Errno;
import org.vmemsim.util.KernelError;
import org.vmemsim.util.Sz;
import org.vmemsim.util.U64;

/**
 * One simulated machine: boots from a {@link MachineSpec} the way arm64 does
 * ({@code setup_arch → paging_init → bootmem_init/sparse_init → mem_init}), then takes hot-plug
 * actions through the kernel's own entry points. Every layer below is reachable read-only for views.
 */
public final class Kernel {
    public final MachineSpec spec;
    public final Geometry g;
    public final Dmesg log = new Dmesg();
    public final FaultInjector faults = new FaultInjector();
    public final MmCore mm;
    public final SparseVmemmap sparseVmemmap;
    /** arm64's vmemmap code; null on other architectures. */
    public final Arm64Mmu mmu;
    /** arm64's linear map; null on other architectures. */
    public final Arm64LinearMap linearMap;
    /** x86-64's vmemmap, direct map and hot-plug code; null on other architectures. */
    public final X86Init64 x86;
    /** powerpc64 radix vmemmap code (init_64.c, radix_pgtable.c); null on other architectures. */
    public final Ppc64Init64 ppc64;
    /** powerpc64 hot-plug entry points (mem.c); null on other architectures. */
    public final Ppc64Mem ppc64Mem;
    /** riscv64's vmemmap, linear map and hot-plug code; null on other architectures. */
    public final RiscvInit riscv;
    /** ia64's hot-plug code (no linear-map page tables); null on other architectures. */
    public final Ia64Init ia64;
    public final Sparse sparse;
    public final MemoryHotplug hotplug;
    public final Memremap memremap;
    public final Nvdimm nvdimm;
    /** The iomem resource tree (/proc/iomem). */
    public final Iomem iomem = new Iomem();
    /** Hot-plugged RAM: add/remove, memory blocks, online/offline, memmap_on_memory. */
    public final RamHotplug ramHotplug;
    /** The dax kmem driver. */
    public final DaxKmem daxKmem;
    /** RAM hot-plug actions (add/remove memory, online/offline blocks, dax kmem). */
    public final HotplugActions hotplugActions;
    /** Pages reserved at boot by purpose (memblock labels), for the accounting view. */
    private final TreeMap<String, Long> bootReserved = new TreeMap<>();
    private long bootMemmapBytes;

    private Kernel(MachineSpec spec, Geometry g) {
        this.spec = spec;
        this.g = g;
        PhysMap phys = new PhysMap();
        RiscvInit rv = null;
        Ia64Init ia = null;
        if (g.arch == Arch.X86_64) {
            this.mm = new MmCore(g, new X86Pte(), log, faults, phys);
            this.sparseVmemmap = new SparseVmemmap(mm);
            this.mmu = null;
            this.linearMap = null;
            this.x86 = new X86Init64(mm, sparseVmemmap);
            this.ppc64 = null;
            this.ppc64Mem = null;
            this.sparseVmemmap.setArch(x86);
            this.sparse = new Sparse(mm, sparseVmemmap);
            this.hotplug = new MemoryHotplug(mm, sparse, x86);
            this.x86.setHooks(hotplug);
        } else if (g.arch == Arch.PPC64) {
            this.mm = new MmCore(g, new Ppc64Pte(g), log, faults, phys);
            this.sparseVmemmap = new SparseVmemmap(mm);
            this.mmu = null;
            this.linearMap = null;
            this.x86 = null;
            this.ppc64 = new Ppc64Init64(mm, sparseVmemmap);
            this.ppc64Mem = new Ppc64Mem(mm, ppc64);
            this.sparseVmemmap.setArch(ppc64);
            this.sparse = new Sparse(mm, sparseVmemmap);
            this.ppc64.setPfnValid(sparse::pfnValid);
            this.hotplug = new MemoryHotplug(mm, sparse, ppc64Mem);
            this.ppc64Mem.setHooks(hotplug);
        } else if (g.arch == Arch.RISCV64) {
            this.mm = new MmCore(g, new RiscvPte(g.pageShift), log, faults, phys);
            this.mm.vmemmapFromPfnZero = RiscvGeometry.vmemmapFromPfnZero(g.profile);
            this.sparseVmemmap = new SparseVmemmap(mm);
            this.mmu = null;
            this.linearMap = null;
            this.x86 = null;
            this.ppc64 = null;
            this.ppc64Mem = null;
            rv = new RiscvInit(mm, sparseVmemmap);
            this.sparseVmemmap.setArch(rv);
            this.sparse = new Sparse(mm, sparseVmemmap);
            this.hotplug = new MemoryHotplug(mm, sparse, rv);
            rv.setHooks(hotplug);
        } else if (g.arch == Arch.IA64) {
            this.mm = new MmCore(g, new Ia64Pte(), log, faults, phys);
            this.mm.vmemmapFromPfnZero = true; // vmemmap = (struct page *)VMALLOC_END
            this.sparseVmemmap = new SparseVmemmap(mm);
            this.mmu = null;
            this.linearMap = null;
            this.x86 = null;
            this.ppc64 = null;
            this.ppc64Mem = null;
            this.sparseVmemmap.setArch(new Ia64Discontig(sparseVmemmap));
            this.sparse = new Sparse(mm, sparseVmemmap);
            ia = new Ia64Init(mm);
            this.hotplug = new MemoryHotplug(mm, sparse, ia);
            ia.setHooks(hotplug);
        } else {
            this.mm = new MmCore(g, new Arm64Pte(g.pageShift, g.maxPhysmemBits, g.profile), log, faults, phys);
            this.sparseVmemmap = new SparseVmemmap(mm);
            this.mmu = new Arm64Mmu(mm, sparseVmemmap);
            this.x86 = null;
            this.ppc64 = null;
            this.ppc64Mem = null;
            this.sparseVmemmap.setArch(mmu);
            this.linearMap = new Arm64LinearMap(mm, mmu, spec.rodataFull);
            this.sparse = new Sparse(mm, sparseVmemmap);
            this.hotplug = new MemoryHotplug(mm, sparse, linearMap);
            this.linearMap.setHooks(hotplug);
        }
        this.riscv = rv;
        this.ia64 = ia;
        this.memremap = new Memremap(mm, hotplug);
        this.nvdimm = new Nvdimm(mm, memremap);
        this.nvdimm.setIomem(iomem);
        this.ramHotplug = new RamHotplug(mm, hotplug, sparse, iomem, spec.memmapOnMemory);
        this.daxKmem = new DaxKmem(mm, ramHotplug, iomem);
        this.hotplugActions = new HotplugActions(this);
    }

    /**
     * Boots a machine.
     *
     * @throws IllegalArgumentException when the description is impossible (one line naming the value)
     */
    public static Kernel boot(MachineSpec spec) {
        Geometry g = spec.validate();
        Kernel k = new Kernel(spec, g);
        k.doBoot();
        return k;
    }

    private void doBoot() {
        for (RamRange r : spec.ram) {
            mm.phys.add(new PhysRange(r.start(), r.end(), r.node(), PhysRange.Kind.RAM, "System RAM"));
            mm.memblock.memblockAddNode(r.start(), r.size(), r.node());
        }
        for (RamRange d : spec.pmem) {
            mm.phys.add(new PhysRange(d.start(), d.end(), d.node(), PhysRange.Kind.DEVICE, "region" + nvdimm.regions().size()));
            nvdimm.addRegion(d.start(), d.size(), d.node());
        }
        // arm64_memblock_init: PHYS_OFFSET. x86 and powerpc have none (the linear map and vmemmap
        // start at pfn 0); riscv: phys_ram_base (start of DRAM & PMD_MASK); ia64's memstartAlign of
        // 2^50 makes it 0
        mm.memstartAddr = g.arch == Arch.X86_64 || g.arch == Arch.PPC64 ? 0
                : U64.alignDown(mm.memblock.memblockStartOfDram(), g.memstartAlign);
        // swapper_pg_dir lives in the kernel image; vmemsim reserves its page from memblock.
        long pgd = mm.memblock.memblockAllocOrPanic(g.pageSize, g.pageSize, -1, "swapper_pg_dir");
        mm.pgtable = new KernelPgtable(g, mm.fmt, mm.frames, pgd >>> g.pageShift);
        pagingInit();
        sparseInit();
        memInit();
        mm.slabAvailable = true;
        if (riscv != null) {
            riscv.pgtableCacheInit(); // mm_core_init → pgtable_cache_init, after mem_init
        }
        requestStandardResources();
        ramHotplug.bootInit();
    }

    /**
     * iomem at boot: a busy "System RAM" resource per memblock memory region, and "reserved"
     * children for the memblock reservations inside it.
     *
     * @kernel arch/arm64/kernel/setup.c: request_standard_resources, reserve_memblock_reserved_regions
     */
    private void requestStandardResources() {
        List<Iomem.Resource> ram = new ArrayList<>();
        for (Memblock.Region r : mm.memblock.memory()) {
            Iomem.Resource res = new Iomem.Resource(r.base(), r.end() - 1, "System RAM",
                    Iomem.IORESOURCE_SYSTEM_RAM | Iomem.IORESOURCE_BUSY);
            if (iomem.requestResource(iomem.root(), res) == 0) {
                ram.add(res);
            }
        }
        for (Memblock.Region res : mm.memblock.reserved()) {
            long start = U64.alignDown(res.base(), g.pageSize);
            long end = U64.alignUp(res.end(), g.pageSize) - 1;
            for (Iomem.Resource r : ram) {
                if (U64.le(r.start, end) && U64.ge(r.end, start)) {
                    iomem.requestResource(r, new Iomem.Resource(U64.max(start, r.start), U64.min(end, r.end), "reserved",
                            Iomem.IORESOURCE_MEM | Iomem.IORESOURCE_BUSY));
                }
            }
        }
        // firmware-described persistent memory (ACPI NFIT / device tree pmem-region)
        for (Nvdimm.Region r : nvdimm.regions()) {
            iomem.requestResource(iomem.root(), new Iomem.Resource(r.start(), r.end() - 1, "Persistent Memory",
                    Iomem.IORESOURCE_MEM));
        }
    }

    /** map_mem: the linear map of all memblock memory. @kernel arch/arm64/mm/mmu.c: paging_init */
    private void pagingInit() {
        for (Memblock.Region r : mm.memblock.memory()) {
            hotplug.arch().bootMapMemory(r.base(), r.size());
        }
    }

    /** Boot memmap of every present section, from a per-node memblock buffer. @kernel mm/sparse.c: sparse_init */
    private void sparseInit() {
        // the NR_SECTION_ROOTS pointer array (memblock at boot)
        mm.slab.bootAlloc(sparse.nrRoots() * 8, "mem_section");
        TreeMap<Integer, List<Long>> sectionsByNode = new TreeMap<>();
        for (Memblock.Region r : mm.memblock.memory()) {
            long first = g.pfnToSection(r.base() >>> g.pageShift);
            long last = g.pfnToSection((r.end() - 1) >>> g.pageShift);
            for (long nr = first; nr <= last; nr++) {
                if (sparse.nrToSection(nr) == null || !sparse.nrToSection(nr).present()) {
                    sparse.memoryPresent(r.nid(), nr);
                    sectionsByNode.computeIfAbsent(r.nid(), n -> new ArrayList<>()).add(nr);
                }
            }
        }
        long sectionMapSize = U64.alignUp(g.memmapPerSection(), g.pmdSize);
        for (var e : sectionsByNode.entrySet()) {
            int nid = e.getKey();
            sparseVmemmap.sparseBuffer.sparseBufferInit(e.getValue().size() * sectionMapSize, sectionMapSize, nid);
            for (long nr : e.getValue()) {
                if (!sparseVmemmap.populateSectionMemmap(g.sectionToPfn(nr), g.pagesPerSection, nid, null, null)) {
                    throw new org.vmemsim.util.KernelBug("sparse_init: node[" + nid + "] memory map backing failed: "
                            + log.lastError());
                }
                sparse.sparseInitOneSectionEarly(nr);
                bootMemmapBytes += g.memmapPerSection();
            }
            sparseVmemmap.sparseBuffer.sparseBufferFini();
        }
    }

    /** memblock_free_all: every page not reserved goes to its node's buddy allocator. @kernel mm/memblock.c: memblock_free_all */
    private void memInit() {
        for (Memblock.Region r : mm.memblock.memory()) {
            long startPfn = r.base() >>> g.pageShift;
            long endPfn = r.end() >>> g.pageShift;
            mm.buddy.zone(r.nid(), ZoneType.NORMAL).adjustPresent(endPfn - startPfn);
            mm.buddy.spanZone(r.nid(), ZoneType.NORMAL, startPfn, endPfn - startPfn);
            long runStart = -1;
            for (Memblock.Region res : reservedWithin(r)) {
                long resStart = Math.max(startPfn, res.base() >>> g.pageShift);
                long resEnd = Math.min(endPfn, U64.divRoundUp(res.end(), g.pageSize));
                long from = runStart == -1 ? startPfn : runStart;
                if (resStart > from) {
                    mm.buddy.freePagesCore(r.nid(), ZoneType.NORMAL, from, resStart - from);
                }
                runStart = Math.max(from, resEnd);
            }
            long from = runStart == -1 ? startPfn : runStart;
            if (endPfn > from) {
                mm.buddy.freePagesCore(r.nid(), ZoneType.NORMAL, from, endPfn - from);
            }
        }
        for (Memblock.Region res : mm.memblock.reserved()) {
            bootReserved.merge(res.label(), res.size(), Long::sum);
        }
    }

    private List<Memblock.Region> reservedWithin(Memblock.Region m) {
        List<Memblock.Region> out = new ArrayList<>();
        for (Memblock.Region res : mm.memblock.reserved()) {
            if (U64.overlaps(res.base(), res.end(), m.base(), m.end())) {
                out.add(res);
            }
        }
        return out;
    }

    /** Boot memblock reservations by label (bytes). */
    public TreeMap<String, Long> bootReserved() {
        return new TreeMap<>(bootReserved);
    }

    public long bootMemmapBytes() {
        return bootMemmapBytes;
    }

    // ------------------------------------------------------------------ actions

    /**
     * The altmap size "auto": enough pool for the memmap of {@code nrPages} pfns starting at a 2 MiB
     * aligned base with {@code reserve} pfns reserved, laid out as libnvdimm does for map=dev:
     * {@code free = PFN(ALIGN(reserve * PAGE_SIZE + 64 * nrPages, 2 MiB)) - reserve}.
     */
    public long autoAltmapFree(long nrPages, long reserve) {
        long bytes = U64.alignUp(reserve * g.pageSize + nrPages * Geometry.STRUCT_PAGE_SIZE, Sz.SZ_2M);
        return (bytes >>> g.pageShift) - reserve;
    }

    /**
     * Hot-adds device memory as ZONE_DEVICE ({@code memremap_pages}); with {@code altmapFree >= 0} the
     * pgmap carries an altmap {base_pfn = first pfn, reserve, free}. Returns 0 or a negative errno;
     * on failure the model is as before (except where the kernel itself leaks, hazard H7).
     */
    public int memremap(String id, MemoryType type, long start, long size, long altmapReserve, long altmapFree, int nid) {
        log.clearLastError();
        if (size == 0 || !U64.isAligned(start, g.pageSize) || !U64.isAligned(size, g.pageSize)) {
            return log.fail(Errno.EINVAL, "memremap_pages", String.format(
                    "range %#x + %#x is empty or not %s-page aligned", start, size, g.granule.label()));
        }
        if (U64.endOverflows(start, size)) {
            return log.fail(Errno.EINVAL, "memremap_pages", String.format("range %#x + %#x passes 2^64", start, size));
        }
        VmemAltmap altmap = null;
        if (altmapFree >= 0) {
            long base = start >>> g.pageShift;
            altmap = new VmemAltmap(id, base, base + (size >>> g.pageShift) - 1, altmapReserve, altmapFree);
        }
        DevPagemap pgmap = new DevPagemap(id, type, start, size, altmap);
        PhysRange dev = null;
        if (mm.phys.findOverlap(start, start + size) == null) {
            dev = new PhysRange(start, start + size, nid, PhysRange.Kind.DEVICE, id);
            mm.phys.add(dev);
        }
        int ret = memremap.memremapPages(pgmap, nid);
        if (ret != 0 && dev != null) {
            mm.phys.remove(dev);
        }
        return ret;
    }

    /** Removes a ZONE_DEVICE mapping made by {@link #memremap}. */
    public int memunmap(String id) {
        log.clearLastError();
        DevPagemap pg = memremap.pgmaps().get(id);
        int ret = memremap.memunmapPages(id);
        if (ret == 0 && pg != null) {
            PhysRange r = mm.phys.byName(id);
            if (r != null && r.kind() == PhysRange.Kind.DEVICE) {
                mm.phys.remove(r);
            }
        }
        return ret;
    }

    /** Turns a negative errno return into an exception carrying the kernel's message. */
    public void check(int ret) {
        if (ret < 0) {
            throw new KernelError(Errno.of(ret), log.lastErrorFunction(), log.lastError());
        }
    }
}
