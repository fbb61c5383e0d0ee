package org.vmemsim.mm.vmemmap;

import org.vmemsim.arch.Geometry;
import org.vmemsim.mm.pgtable.KernelPgtable;
import org.vmemsim.mm.pgtable.MmCore;
import org.vmemsim.mm.phys.PgTable;
import org.vmemsim.util.Errno;
import org.vmemsim.util.U64;

/**
 * The generic sparse-vmemmap code ({@code mm/sparse-vmemmap.c}): block allocation for the memmap
 * (from the buddy allocator, from memblock during boot, or from a {@link VmemAltmap}), population of
 * the page tables that map it, base-page and PMD-block population, and
 * {@code __populate_section_memmap}.
 *
 * <p>Blocks are returned as pfns (-1 for the kernel's NULL). Page-table pages always come from
 * system RAM ({@link #vmemmapAllocBlockZero}); the altmap is only ever used for leaf memmap
 * backing. The device-dax memmap deduplication lives in {@link VmemmapCompound}.
 */
public final class SparseVmemmap {
    private final MmCore mm;
    private final Geometry g;
    private ArchVmemmap arch;
    /** The boot memmap buffer while sparse_init runs, else inactive. */
    public final SparseBuffer sparseBuffer;
    /** The function-local {@code static bool warned} of vmemmap_alloc_block: one report per boot. */
    private boolean vmemmapAllocWarned;
    /** pr_warn_once state of altmap_alloc_block_buf. */
    private boolean altmapSizeWarned;
    private final VmemmapCompound compound;

    public SparseVmemmap(MmCore mm) {
        this.mm = mm;
        this.g = mm.g;
        this.sparseBuffer = new SparseBuffer(mm);
        this.compound = new VmemmapCompound(mm, this);
    }

    public void setArch(ArchVmemmap arch) {
        this.arch = arch;
    }

    public ArchVmemmap arch() {
        return arch;
    }

    /**
     * Allocates {@code size} bytes of memmap or table backing from system RAM on {@code node}: the
     * buddy allocator once the slab allocator is up, memblock (aligned to the size) before that.
     * Returns the first pfn or -1. Not zeroed. The first buddy failure after boot is reported with
     * {@code warn_alloc} (a pr_warn with a stack dump, not a WARN), later ones silently.
     *
     * @kernel mm/sparse-vmemmap.c: vmemmap_alloc_block
     */
    public long vmemmapAllocBlock(long size, int node, String site) {
        if (mm.slabAvailable) {
            int order = U64.getOrder(size, g.pageShift);
            long pfn = mm.buddy.allocPagesNode(node, order, site);
            if (pfn == -1 && !vmemmapAllocWarned) {
                mm.log.warning("vmemmap_alloc_block", "vmemmap alloc failure: order:" + order);
                vmemmapAllocWarned = true;
            }
            return pfn;
        }
        long pa = mm.memblock.memblockAllocTryNid(size, size, node, site);
        return pa == -1 ? -1 : pa >>> g.pageShift;
    }

    /**
     * A zeroed page-table page: always system RAM, never an altmap (invariant I2). Zeroing happens
     * when the caller installs the table.
     *
     * @kernel mm/sparse-vmemmap.c: vmemmap_alloc_block_zero
     */
    public long vmemmapAllocBlockZero(long size, int node, String site) {
        return vmemmapAllocBlock(size, node, site);
    }

    /**
     * Memmap backing: from the altmap when one is given, with no fallback to RAM (E5.9+); else from
     * the boot buffer during boot, else from RAM. In profile 5.8 the function had no altmap argument;
     * arm64 callers then pass null.
     *
     * @kernel mm/sparse-vmemmap.c: vmemmap_alloc_block_buf
     */
    public long vmemmapAllocBlockBuf(long size, int node, VmemAltmap altmap) {
        if (altmap != null) {
            return altmapAllocBlockBuf(size, altmap);
        }
        if (sparseBuffer.active()) {
            long pa = sparseBuffer.sparseBufferAlloc(size);
            if (pa != -1) {
                return pa >>> g.pageShift;
            }
        }
        return vmemmapAllocBlock(size, node, "vmemmap_alloc_block_buf");
    }

    /**
     * Bump-allocates {@code size} bytes from the altmap, naturally aligned to the lowest set bit of
     * the request in pfns; on failure returns -1 and changes nothing. A size that is not a page
     * multiple is reported once with pr_warn_once (not a WARN).
     *
     * @kernel mm/sparse-vmemmap.c: altmap_alloc_block_buf
     */
    public long altmapAllocBlockBuf(long size, VmemAltmap altmap) {
        if ((size & (g.pageSize - 1)) != 0) {
            if (!altmapSizeWarned) {
                mm.log.warning("altmap_alloc_block_buf", "allocations must be multiple of PAGE_SIZE (" + size + ")");
                altmapSizeWarned = true;
            }
            return -1;
        }
        if (mm.faults.shouldFail("altmap_alloc_block_buf")) {
            return -1;
        }
        long pfn = altmap.vmemAltmapNextPfn();
        long nrPfns = size >>> g.pageShift;
        long unit = 1L << U64.ffs0(nrPfns);
        long nrAlign = U64.alignUp(pfn, unit) - pfn;
        if (U64.gt(nrPfns + nrAlign, altmap.vmemAltmapNrFree())) {
            return -1;
        }
        altmap.alloc += nrPfns;
        altmap.align += nrAlign;
        return pfn + nrAlign;
    }

    /**
     * Makes sure every table above {@code toLevel} exists for {@code va}, allocating missing ones from
     * RAM, and returns the pfn of the table at {@code toLevel}; -1 on allocation failure. Returns -1
     * as well when a block descriptor above {@code toLevel} already maps {@code va} (callers check
     * with {@link #blockAbove}). This is the chain of {@code vmemmap_pgd_populate},
     * {@code vmemmap_p4d_populate}, {@code vmemmap_pud_populate} and {@code vmemmap_pmd_populate}
     * over the hardware levels: each allocates the next-level table for an empty entry of its level.
     *
     * @kernel mm/sparse-vmemmap.c: vmemmap_pmd_populate
     */
    public long vmemmapTablePopulate(long va, int toLevel, int node) {
        KernelPgtable pt = mm.pgtable;
        long t = pt.pgdPfn;
        for (int l = 0; l < toLevel; l++) {
            PgTable tab = pt.table(t);
            int idx = g.index(va, l);
            long d = tab.get(idx);
            if (d == 0) {
                String site = "vmemmap_" + g.entryName(l).toLowerCase(java.util.Locale.ROOT) + "_populate";
                long child = vmemmapAllocBlockZero(g.pageSize, node, site);
                if (child == -1) {
                    return -1;
                }
                pt.installTable(t, idx, child, l + 1);
                t = child;
            } else if (pt.isTable(d, l)) {
                t = pt.nextTablePfn(d);
            } else {
                return -1;
            }
        }
        return t;
    }

    /** True when a block at a level above {@code toLevel} maps {@code va}. */
    public boolean blockAbove(long va, int toLevel) {
        KernelPgtable pt = mm.pgtable;
        long t = pt.pgdPfn;
        for (int l = 0; l < toLevel; l++) {
            long d = pt.table(t).get(g.index(va, l));
            if (!pt.isTable(d, l)) {
                return d != 0;
            }
            t = pt.nextTablePfn(d);
        }
        return false;
    }

    /**
     * Maps the memmap page containing {@code addr} unless a PTE already does (sharing a page with a
     * neighbour). Returns false when the backing cannot be allocated.
     *
     * @kernel mm/sparse-vmemmap.c: vmemmap_pte_populate
     */
    public boolean vmemmapPtePopulate(long pteTablePfn, long addr, int node, VmemAltmap altmap) {
        return vmemmapPtePopulate(pteTablePfn, addr, node, altmap, -1);
    }

    /**
     * As {@link #vmemmapPtePopulate(long, long, int, VmemAltmap)}; with {@code reusePfn} != -1 an
     * empty PTE maps that already populated RAM page instead of a new one, taking a page reference
     * that the free path drops (device-dax memmap deduplication).
     *
     * @kernel mm/sparse-vmemmap.c: vmemmap_pte_populate
     */
    public boolean vmemmapPtePopulate(long pteTablePfn, long addr, int node, VmemAltmap altmap, long reusePfn) {
        PgTable t = mm.pgtable.table(pteTablePfn);
        int idx = g.index(addr, g.leafLevel());
        if (t.get(idx) == 0) {
            long pfn = reusePfn;
            if (pfn == -1) {
                pfn = vmemmapAllocBlockBuf(g.pageSize, node, altmap);
                if (pfn == -1) {
                    return false;
                }
            } else {
                mm.buddy.getPage(pfn);
            }
            t.set(idx, mm.fmt.mkPageKernel(pfn << g.pageShift));
        }
        return true;
    }

    /**
     * The PTE table last found for one PTE-table window. Once the tables above exist, finding the
     * table again neither allocates nor changes anything, so callers stepping through the vmemmap
     * keep the table while the address stays in its window instead of walking from the PGD again.
     */
    public static final class PteCursor {
        long window = -1;
        long pte = -1;
    }

    /**
     * Makes sure {@code addr} is mapped by a PTE (tables and backing as needed, or {@code reusePfn})
     * and returns the pfn of its PTE table, or -1 on allocation failure.
     *
     * @kernel mm/sparse-vmemmap.c: vmemmap_populate_address
     */
    public long vmemmapPopulateAddress(long addr, int node, VmemAltmap altmap, long reusePfn) {
        return vmemmapPopulateAddress(addr, node, altmap, reusePfn, new PteCursor());
    }

    /** As {@link #vmemmapPopulateAddress(long, int, VmemAltmap, long)}, through {@code cur}. @kernel mm/sparse-vmemmap.c: vmemmap_populate_address */
    public long vmemmapPopulateAddress(long addr, int node, VmemAltmap altmap, long reusePfn, PteCursor cur) {
        long window = addr & -g.entrySpan(g.leafLevel() - 1);
        if (cur.pte == -1 || cur.window != window) {
            cur.pte = vmemmapTablePopulate(addr, g.leafLevel(), node);
            cur.window = window;
        }
        long pte = cur.pte;
        if (pte == -1 || !vmemmapPtePopulate(pte, addr, node, altmap, reusePfn)) {
            return -1;
        }
        vmemmapVerify(pte, addr, node);
        return pte;
    }

    /** The pfn a present PTE of table {@code pteTablePfn} maps for {@code addr}, or -1 when none. @kernel include/linux/pgtable.h: pte_pfn */
    public long ptePfn(long pteTablePfn, long addr) {
        long d = mm.pgtable.table(pteTablePfn).get(g.index(addr, g.leafLevel()));
        return mm.fmt.present(d) ? mm.fmt.outputAddress(d) >>> g.pageShift : -1;
    }

    /**
     * Maps {@code [start, end)} of the vmemmap with base pages, stepping a page at a time from
     * {@code start} (which need not be page aligned). No rollback on failure: the caller's
     * section_deactivate frees what was populated.
     *
     * @kernel mm/sparse-vmemmap.c: vmemmap_populate_basepages
     */
    public int vmemmapPopulateBasepages(long start, long end, int node, VmemAltmap altmap) {
        return vmemmapPopulateRange(start, end, node, altmap, -1, "vmemmap_populate_basepages");
    }

    /**
     * Maps {@code [start, end)} a page at a time, each PTE to a new page or to {@code reusePfn}.
     * {@code fn} names the kernel caller in error messages.
     *
     * @kernel mm/sparse-vmemmap.c: vmemmap_populate_range
     */
    public int vmemmapPopulateRange(long start, long end, int node, VmemAltmap altmap, long reusePfn, String fn) {
        return vmemmapPopulateRange(start, end, node, altmap, reusePfn, fn, new PteCursor());
    }

    /** As {@link #vmemmapPopulateRange(long, long, int, VmemAltmap, long, String)}, through {@code cur}. @kernel mm/sparse-vmemmap.c: vmemmap_populate_range */
    public int vmemmapPopulateRange(long start, long end, int node, VmemAltmap altmap, long reusePfn, String fn,
                                    PteCursor cur) {
        long windowMask = -g.entrySpan(g.leafLevel() - 1);
        for (long addr = start; U64.lt(addr, end); addr += g.pageSize) {
            if (cur.pte == -1 || (addr & windowMask) != cur.window) {
                cur.pte = vmemmapTablePopulate(addr, g.leafLevel(), node);
                cur.window = addr & windowMask;
            }
            long pte = cur.pte;
            if (pte == -1) {
                return mm.log.fail(Errno.ENOMEM, fn, String.format("no page-table page for vmemmap address 0x%016x", addr));
            }
            if (!vmemmapPtePopulate(pte, addr, node, altmap, reusePfn)) {
                return mm.log.fail(Errno.ENOMEM, fn, String.format(
                        "no memmap page for vmemmap address 0x%016x (%s)", addr,
                        altmap == null ? "system RAM exhausted" : "altmap " + altmap.owner + " exhausted: " + altmap));
            }
            vmemmapVerify(pte, addr, node);
        }
        return 0;
    }

    /**
     * Maps {@code [start, end)} with PMD blocks where it can; without an altmap a failed block
     * falls back to base pages, with an altmap it is an error.
     *
     * @kernel mm/sparse-vmemmap.c: vmemmap_populate_hugepages
     */
    public int vmemmapPopulateHugepages(long start, long end, int node, VmemAltmap altmap) {
        int pmdLevel = g.pmdLevel();
        long addr = start;
        while (U64.lt(addr, end)) {
            long next = pmdAddrEnd(addr, end);
            long pmdTable = vmemmapTablePopulate(addr, pmdLevel, node);
            if (pmdTable == -1) {
                return mm.log.fail(Errno.ENOMEM, "vmemmap_populate_hugepages",
                        String.format("no page-table page for vmemmap address 0x%016x", addr));
            }
            PgTable t = mm.pgtable.table(pmdTable);
            int idx = g.index(addr, pmdLevel);
            long d = t.get(idx);
            if (d == 0) {
                long pfn = vmemmapAllocBlockBuf(g.pmdSize, node, altmap);
                if (pfn != -1) {
                    arch.vmemmapSetPmd(pmdTable, idx, pfn << g.pageShift, node, addr, next);
                    addr = next;
                    continue;
                }
                if (altmap != null) {
                    return mm.log.fail(Errno.ENOMEM, "vmemmap_populate_hugepages", String.format(
                            "altmap %s cannot back the PMD block at 0x%016x: %s", altmap.owner, addr, altmap));
                }
            } else if (arch.vmemmapCheckPmd(d, node, addr, next) != 0) {
                addr = next;
                continue;
            }
            if (vmemmapPopulateBasepages(addr, next, node, altmap) != 0) {
                return Errno.ENOMEM.neg();
            }
            addr = next;
        }
        return 0;
    }

    /** pmd_addr_end: the next PMD boundary after {@code addr}, capped at {@code end}. */
    public long pmdAddrEnd(long addr, long end) {
        long boundary = (addr + g.pmdSize) & -g.pmdSize;
        return U64.lt(boundary - 1, end - 1) ? boundary : end;
    }

    /**
     * Warns when the page backing {@code addr} lives on another node than the one requested.
     *
     * @kernel mm/sparse-vmemmap.c: vmemmap_verify
     */
    public void vmemmapVerify(long addr, int node) {
        long pa = mm.pgtable.translatePhys(addr);
        if (pa == -1) {
            return;
        }
        int actual = mm.memblock.nidOf(pa);
        if (actual >= 0 && actual != node) {
            mm.log.warning("vmemmap_verify", String.format(
                    "[%016x-%016x] potential offnode page_structs", addr, addr + g.pageSize - 1));
        }
    }

    /**
     * {@link #vmemmapVerify(long, int)} for a page just mapped by a PTE of table {@code pteTablePfn}:
     * reads the PTE instead of walking the tables (the kernel passes the PTE pointer).
     *
     * @kernel mm/sparse-vmemmap.c: vmemmap_verify
     */
    public void vmemmapVerify(long pteTablePfn, long addr, int node) {
        long pfn = ptePfn(pteTablePfn, addr);
        if (pfn == -1) {
            return;
        }
        int actual = mm.memblock.nidOf(pfn << g.pageShift);
        if (actual >= 0 && actual != node) {
            mm.log.warning("vmemmap_verify", String.format(
                    "[%016x-%016x] potential offnode page_structs", addr, addr + g.pageSize - 1));
        }
    }

    /**
     * Populates the memmap of {@code [pfn, pfn + nrPages)}; both must be sub-section aligned. The
     * memmap of a device mapping with large compound pages is deduplicated when
     * {@link VmemmapCompound#vmemmapCanOptimize} allows it (by the architecture's own
     * {@code vmemmap_populate_compound_pages} when it has one, else the generic one); everything
     * else goes through the architecture's {@code vmemmap_populate}. Returns true on success (the kernel returns the
     * struct page pointer, NULL on failure).
     *
     * @kernel mm/sparse-vmemmap.c: __populate_section_memmap
     */
    public boolean populateSectionMemmap(long pfn, long nrPages, int nid, VmemAltmap altmap, VmemmapPgmap pgmap) {
        if (!U64.isAligned(pfn, g.pagesPerSubsection) || !U64.isAligned(nrPages, g.pagesPerSubsection)) {
            mm.log.warnOnce("__populate_section_memmap", "misaligned",
                    String.format("misaligned pfn 0x%x nr_pages %d", pfn, nrPages));
            return false;
        }
        long start = mm.pfnToPage(pfn);
        long end = start + nrPages * Geometry.STRUCT_PAGE_SIZE;
        if (compound.vmemmapCanOptimize(altmap, pgmap)) {
            int r = arch.hasVmemmapPopulateCompoundPages()
                    ? arch.vmemmapPopulateCompoundPages(pfn, start, end, nid, pgmap)
                    : compound.vmemmapPopulateCompoundPages(pfn, start, end, nid, pgmap);
            return r == 0;
        }
        return arch.vmemmapPopulate(start, end, nid, altmap) == 0;
    }

    /** The device-dax deduplication part of this file. */
    public VmemmapCompound compound() {
        return compound;
    }

    /** @kernel mm/sparse-vmemmap.c: vmemmap_free (via depopulate_section_memmap) */
    public void depopulateSectionMemmap(long pfn, long nrPages, VmemAltmap altmap) {
        long start = mm.pfnToPage(pfn);
        long end = start + nrPages * Geometry.STRUCT_PAGE_SIZE;
        arch.vmemmapFree(start, end, altmap);
    }
}
