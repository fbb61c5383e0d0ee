package org.vmemsim.mm.pgtable;

import org.vmemsim.arch.Geometry;
import org.vmemsim.arch.PteFormat;
import org.vmemsim.mm.alloc.FaultInjector;
import org.vmemsim.mm.alloc.Memblock;
import org.vmemsim.mm.alloc.PageAlloc;
import org.vmemsim.mm.alloc.Slab;
import org.vmemsim.mm.phys.FrameStore;
import org.vmemsim.mm.phys.PhysMap;
import org.vmemsim.util.Dmesg;

/**
 * The lower layers of one simulated machine, handed to the layers above: geometry, the kernel
 * log, the fault injector, physical memory and its contents, memblock, the buddy allocator, slab
 * and the kernel page tables, plus the boot-time constants {@code memstart_addr} and whether the
 * slab allocator is up (boot allocations go to memblock before that).
 */
public final class MmCore {
    public final Geometry g;
    public final PteFormat fmt;
    public final Dmesg log;
    public final FaultInjector faults;
    public final PhysMap phys;
    public FrameStore frames;
    public Memblock memblock;
    public PageAlloc buddy;
    public Slab slab;
    public KernelPgtable pgtable;
    /** memstart_addr (PHYS_OFFSET). */
    public long memstartAddr;
    /**
     * The vmemmap is indexed from pfn 0 ({@code vmemmap = VMEMMAP_START}: ia64, riscv before 6.1)
     * rather than from the pfn of {@code memstart_addr}.
     */
    public boolean vmemmapFromPfnZero;
    /** slab_is_available(): false during early boot. */
    public boolean slabAvailable;

    public MmCore(Geometry g, PteFormat fmt, Dmesg log, FaultInjector faults, PhysMap phys) {
        this.g = g;
        this.fmt = fmt;
        this.log = log;
        this.faults = faults;
        this.phys = phys;
        this.frames = new FrameStore();
        this.memblock = new Memblock(faults);
        this.buddy = new PageAlloc(g.maxPageOrder, faults, log);
        this.slab = new Slab(faults);
    }

    /**
     * __phys_to_virt: the linear-map address of {@code pa}. arm64 ORs the offset from PHYS_OFFSET
     * into PAGE_OFFSET; other architectures add PAGE_OFFSET to the offset from memstart_addr (0 on
     * x86 and ia64, phys_ram_base on riscv).
     */
    public long physToVirt(long pa) {
        if (g.arch == org.vmemsim.arch.Arch.ARM64) {
            return (pa - memstartAddr) | g.pageOffset;
        }
        return pa - memstartAddr + g.pageOffset;
    }

    /** __lm_to_phys / __pa: the physical address behind a linear-map address. */
    public long virtToPhys(long va) {
        if (g.arch == org.vmemsim.arch.Arch.ARM64) {
            return (va & ~g.pageOffset) + memstartAddr;
        }
        return va - g.pageOffset + memstartAddr;
    }

    /** Address of the struct page of {@code pfn} in the vmemmap. */
    public long pfnToPage(long pfn) {
        return g.vmemmapStart + (pfn - vmemmapBasePfn()) * Geometry.STRUCT_PAGE_SIZE;
    }

    /** The pfn whose struct page lives at vmemmap address {@code va}. */
    public long pageToPfn(long va) {
        return Long.divideUnsigned(va - g.vmemmapStart, Geometry.STRUCT_PAGE_SIZE) + vmemmapBasePfn();
    }

    /** The pfn whose struct page sits at VMEMMAP_START. */
    public long vmemmapBasePfn() {
        return vmemmapFromPfnZero ? 0 : memstartAddr >>> g.pageShift;
    }

    public boolean inVmemmap(long va) {
        return Long.compareUnsigned(va, g.vmemmapStart) >= 0 && Long.compareUnsigned(va, g.vmemmapEnd) < 0;
    }

    public boolean inLinearMap(long va) {
        return Long.compareUnsigned(va, g.pageOffset) >= 0 && Long.compareUnsigned(va, g.pageEnd) < 0;
    }
}
