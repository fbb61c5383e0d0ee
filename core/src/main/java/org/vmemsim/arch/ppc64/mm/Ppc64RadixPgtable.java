package org.vmemsim.arch.ppc64.mm;

import org.vmemsim.arch.Geometry;
import org.vmemsim.arch.ppc64.Ppc64Geometry;
import org.vmemsim.mm.pgtable.KernelPgtable;
import org.vmemsim.mm.pgtable.MmCore;
import org.vmemsim.mm.phys.PgTable;
import org.vmemsim.mm.vmemmap.SparseVmemmap;
import org.vmemsim.mm.vmemmap.VmemAltmap;
import org.vmemsim.util.Errno;
import org.vmemsim.util.KernelBug;
import org.vmemsim.util.U64;

/**
 * The radix kernel page-table code of {@code arch/powerpc/mm/book3s64/radix_pgtable.c}: the linear
 * map ({@code create_physical_mapping} with 1 GiB / 2 MiB / 64 KiB leaves, never larger than the
 * memory block size), {@code __map_kernel_page} with its boot variant {@code early_map_kernel_page}
 * (tables from memblock, a whole page each), the section mapping entry points used by hot-plug, the
 * 6.1-era vmemmap mapping helpers, and the 6.5+ radix vmemmap ({@code radix__vmemmap_populate}:
 * a 2 MiB PMD leaf from the altmap or RAM where the chunk allows it, else 64 KiB pages, each from
 * the altmap unless the page would describe pfns outside the device, with a RAM fallback).
 *
 * The 6.6+ vmemmap deduplication for compound device pages ({@code vmemmap_populate_compound_pages})
 * lives in {@link Ppc64RadixCompound}.
 *
 * <p>Not modelled: the kernel text/rodata boundaries ({@code next_boundary}, PAGE_KERNEL_X),
 * KFENCE's pool and debug_pagealloc.
 */
public final class Ppc64RadixPgtable {
    private final MmCore mm;
    private final Geometry g;
    private final SparseVmemmap sv;
    private final Ppc64Init64 init64;
    private boolean unalignedWarned;

    Ppc64RadixPgtable(MmCore mm, SparseVmemmap sv, Ppc64Init64 init64) {
        this.mm = mm;
        this.g = mm.g;
        this.sv = sv;
        this.init64 = init64;
    }

    /**
     * A page for a page table: memblock before the slab allocator is up (panics on failure), else the
     * page allocator (-1 on failure: the caller returns -ENOMEM).
     *
     * @kernel arch/powerpc/mm/book3s64/radix_pgtable.c: early_alloc_pgtable
     */
    long pgtableAlloc(int nid, String lateSite) {
        if (!mm.slabAvailable) {
            return mm.memblock.memblockAllocOrPanic(g.pageSize, g.pageSize, nid, "early_alloc_pgtable") >>> g.pageShift;
        }
        return mm.buddy.allocPagesNode(nid < 0 ? mm.buddy.firstNode() : nid, 0, lateSite);
    }

    /** The late allocator names of the tables below each level: pud_alloc, pmd_alloc, pte_alloc_kernel. */
    private static String siteFor(int childLevel) {
        return switch (childLevel) {
            case 1 -> "pud_alloc";
            case 2 -> "pmd_alloc";
            default -> "pte_alloc_kernel";
        };
    }

    /**
     * Walks to the table at {@code level} for {@code ea}, allocating missing tables; -1 when a table
     * cannot be allocated.
     */
    long tableFor(long ea, int level, int nid) {
        KernelPgtable pt = mm.pgtable;
        long t = pt.pgdPfn;
        for (int l = 0; l < level; l++) {
            PgTable tab = pt.table(t);
            int idx = g.index(ea, l);
            long d = tab.get(idx);
            if (d == 0) {
                long child = pgtableAlloc(nid, siteFor(l + 1));
                if (child == -1) {
                    return -1;
                }
                pt.installTable(t, idx, child, l + 1);
                t = child;
            } else if (pt.isTable(d, l)) {
                t = pt.nextTablePfn(d);
            } else {
                throw new KernelBug(String.format("__map_kernel_page: a leaf at level %d already maps 0x%016x", l, ea));
            }
        }
        return t;
    }

    /** The hardware level whose leaves are {@code mapPageSize} bytes. */
    private int levelOf(long mapPageSize) {
        if (mapPageSize == g.pudSize) {
            return g.pudLevel();
        }
        return mapPageSize == g.pmdSize ? g.pmdLevel() : g.leafLevel();
    }

    /**
     * Maps {@code ea} to {@code pa} with one leaf of {@code mapPageSize} (PAGE_KERNEL), allocating the
     * tables on the way. Returns 0 or -ENOMEM.
     *
     * @kernel arch/powerpc/mm/book3s64/radix_pgtable.c: __map_kernel_page
     */
    public int mapKernelPage(long ea, long pa, long mapPageSize, int nid) {
        int level = levelOf(mapPageSize);
        long t = tableFor(ea, level, nid);
        if (t == -1) {
            return Errno.ENOMEM.neg();
        }
        long d = level == g.leafLevel() ? mm.fmt.mkPageKernel(pa) : mm.fmt.mkBlockKernel(pa);
        mm.pgtable.table(t).set(g.index(ea, level), d);
        return 0;
    }

    /**
     * Maps physical {@code [start, end)} at {@code __va(start)}: at each address the largest of 1 GiB,
     * 2 MiB and PAGE_SIZE that is aligned and fits in what is left, capped at
     * {@code maxMappingSize} (the memory block size). Returns 0 or the error of
     * {@link #mapKernelPage}; what was mapped before a failure stays mapped.
     *
     * @kernel arch/powerpc/mm/book3s64/radix_pgtable.c: create_physical_mapping
     */
    public int createPhysicalMapping(long start, long end, int nid, long maxMappingSize) {
        start = U64.alignUp(start, g.pageSize);
        end = U64.alignDown(end, g.pageSize);
        long mappingSize;
        for (long addr = start; U64.lt(addr, end); addr += mappingSize) {
            long gap = U64.min(end - addr, maxMappingSize);
            if (U64.isAligned(addr, g.pudSize) && U64.ge(gap, g.pudSize)) {
                mappingSize = g.pudSize;
            } else if (U64.isAligned(addr, g.pmdSize) && U64.ge(gap, g.pmdSize)) {
                mappingSize = g.pmdSize;
            } else {
                mappingSize = g.pageSize;
            }
            int rc = mapKernelPage(mm.physToVirt(addr), addr, mappingSize, nid);
            if (rc != 0) {
                return mm.log.fail(Errno.ENOMEM, "create_physical_mapping", String.format(
                        "no page-table page for the linear map of 0x%x", addr));
            }
        }
        return 0;
    }

    /** @kernel arch/powerpc/mm/book3s64/radix_pgtable.c: radix__create_section_mapping */
    public int radixCreateSectionMapping(long start, long end, int nid) {
        if (U64.ge(end, Ppc64Geometry.VMALLOC_START)) {
            mm.log.warning("radix__create_section_mapping", "Outside the supported range");
            return -1;
        }
        return createPhysicalMapping(mm.virtToPhys(start), mm.virtToPhys(end), nid, g.memoryBlockSize);
    }

    /** @kernel arch/powerpc/mm/book3s64/radix_pgtable.c: radix__remove_section_mapping */
    public int radixRemoveSectionMapping(long start, long end) {
        init64.remover().removePagetable(start, end, true, null);
        return 0;
    }

    // ---------------------------------------------------------------- vmemmap, 6.1 era

    /**
     * Maps one vmemmap chunk of {@code pageSize} (2 MiB) at {@code start} to {@code phys}. A failure
     * to allocate a table is a BUG in the kernel.
     *
     * @kernel arch/powerpc/mm/book3s64/radix_pgtable.c: radix__vmemmap_create_mapping
     */
    int radixVmemmapCreateMapping(long start, long pageSize, long phys) {
        if (U64.ge(start + pageSize, Ppc64Geometry.VMEMMAP_END)) {
            mm.log.warning("radix__vmemmap_create_mapping", "Outside the supported range");
            return -1;
        }
        int nid = mm.memblock.nidOf(phys);
        if (mapKernelPage(start, phys, pageSize, nid) != 0) {
            throw new KernelBug(String.format("radix__vmemmap_create_mapping: cannot map 0x%016x (BUG_ON)", start));
        }
        return 0;
    }

    /** @kernel arch/powerpc/mm/book3s64/radix_pgtable.c: radix__vmemmap_remove_mapping */
    void radixVmemmapRemoveMapping(long start, long pageSize) {
        init64.remover().removePagetable(start, start + pageSize, true, null);
    }

    // ---------------------------------------------------------------- vmemmap, 6.5+

    /**
     * Populates {@code [start, end)} of the vmemmap: per PMD chunk, a 2 MiB leaf when the chunk is
     * allowed one (and its backing can be allocated), an existing leaf is reused, otherwise the page
     * holding {@code addr} is mapped with a 64 KiB page and the loop moves on by PAGE_SIZE.
     *
     * @kernel arch/powerpc/mm/book3s64/radix_pgtable.c: radix__vmemmap_populate
     */
    public int radixVmemmapPopulate(long start, long end, int node, VmemAltmap altmap) {
        boolean fixed = g.profile.ppc64VmemmapAlignStart();
        if (fixed) {
            if (!U64.isAligned(start, g.pageSize) && !unalignedWarned) {
                unalignedWarned = true; // pr_warn_once, not a WARN
                mm.log.warning("radix__vmemmap_populate", String.format(
                        "vmemmap region is not page aligned start:%d, end:%d, altmap:%d", start, end, altmap != null ? 1 : 0));
            }
            start = U64.alignDown(start, g.pageSize);
        }
        int pmdLevel = g.pmdLevel();
        long next;
        for (long addr = start; U64.lt(addr, end); addr = next) {
            next = sv.pmdAddrEnd(addr, end);
            long pmdTable = tableFor(addr, pmdLevel, node); // vmemmap_pud_alloc, vmemmap_pmd_alloc
            if (pmdTable == -1) {
                return mm.log.fail(Errno.ENOMEM, "radix__vmemmap_populate",
                        String.format("no page-table page for vmemmap address 0x%016x", addr));
            }
            PgTable t = mm.pgtable.table(pmdTable);
            int idx = g.index(addr, pmdLevel);
            long d = t.get(idx);
            if (d == 0) {
                boolean unaligned = !U64.isAligned(addr, g.pmdSize);
                boolean base = fixed
                        ? unaligned || (altmap != null && init64.altmapCrossBoundary(altmap, addr, g.pmdSize))
                        : altmap != null && (unaligned || init64.altmapCrossBoundary(altmap, addr, g.pmdSize));
                if (!base) {
                    long pfn = sv.vmemmapAllocBlockBuf(g.pmdSize, node, altmap);
                    if (pfn != -1) {
                        vmemmapSetPmd(pmdTable, idx, pfn << g.pageShift, node, addr, next);
                        continue;
                    }
                }
            } else if (vmemmapCheckPmd(d, node, addr, next) != 0) {
                continue;
            }
            // base_mapping
            long pte = tableFor(addr, g.leafLevel(), node); // vmemmap_pte_alloc
            if (pte == -1) {
                return mm.log.fail(Errno.ENOMEM, "radix__vmemmap_populate",
                        String.format("no PTE table for vmemmap address 0x%016x", addr));
            }
            if (!radixVmemmapPtePopulate(pte, addr, node, altmap)) {
                return mm.log.fail(Errno.ENOMEM, "radix__vmemmap_populate", String.format(
                        "no memmap page for vmemmap address 0x%016x (system RAM exhausted)", addr));
            }
            sv.vmemmapVerify(addr, node);
            next = addr + g.pageSize;
        }
        return 0;
    }

    /**
     * Maps the vmemmap page holding {@code addr} unless it is mapped: from the altmap unless that
     * page would cross the device boundary, falling back to RAM when the altmap is exhausted.
     *
     * @kernel arch/powerpc/mm/book3s64/radix_pgtable.c: radix__vmemmap_pte_populate
     */
    boolean radixVmemmapPtePopulate(long pteTablePfn, long addr, int node, VmemAltmap altmap) {
        return radixVmemmapPtePopulate(pteTablePfn, addr, node, altmap, -1);
    }

    /**
     * As {@link #radixVmemmapPtePopulate(long, long, int, VmemAltmap)}; with {@code reusePfn} != -1 an
     * empty PTE maps that already populated page instead, which takes one more page reference (the
     * free path drops it): the device-dax deduplication of {@link Ppc64RadixCompound}.
     *
     * @kernel arch/powerpc/mm/book3s64/radix_pgtable.c: radix__vmemmap_pte_populate
     */
    boolean radixVmemmapPtePopulate(long pteTablePfn, long addr, int node, VmemAltmap altmap, long reusePfn) {
        PgTable t = mm.pgtable.table(pteTablePfn);
        int idx = g.index(addr, g.leafLevel());
        if (t.get(idx) != 0) {
            return true;
        }
        long pfn = reusePfn;
        if (pfn == -1) {
            if (altmap != null && init64.altmapCrossBoundary(altmap, addr, g.pageSize)) {
                altmap = null;
            }
            pfn = sv.vmemmapAllocBlockBuf(g.pageSize, node, altmap);
            if (pfn == -1 && altmap != null) {
                pfn = sv.vmemmapAllocBlockBuf(g.pageSize, node, null);
            }
            if (pfn == -1) {
                return false;
            }
        } else {
            mm.buddy.getPage(pfn);
        }
        t.set(idx, mm.fmt.mkPageKernel(pfn << g.pageShift));
        return true;
    }

    /** @kernel arch/powerpc/mm/book3s64/radix_pgtable.c: vmemmap_set_pmd */
    void vmemmapSetPmd(long pmdTablePfn, int idx, long pa, int node, long addr, long next) {
        mm.pgtable.table(pmdTablePfn).set(idx, mm.fmt.mkSectNormal(pa));
        sv.vmemmapVerify(addr, node);
    }

    /** 1 when a PMD leaf already maps the chunk. @kernel arch/powerpc/mm/book3s64/radix_pgtable.c: vmemmap_check_pmd */
    int vmemmapCheckPmd(long pmdDesc, int node, long addr, long next) {
        if (mm.pgtable.isLeaf(pmdDesc, g.pmdLevel())) {
            sv.vmemmapVerify(addr, node);
            return 1;
        }
        return 0;
    }

    /** @kernel arch/powerpc/mm/book3s64/radix_pgtable.c: radix__vmemmap_free */
    public void radixVmemmapFree(long start, long end, VmemAltmap altmap) {
        init64.remover().removePagetable(start, end, false, altmap);
    }
}
