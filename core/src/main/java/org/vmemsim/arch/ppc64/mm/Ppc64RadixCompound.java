package org.vmemsim.arch.ppc64.mm;

import org.vmemsim.arch.Geometry;
import org.vmemsim.mm.pgtable.MmCore;
import org.vmemsim.mm.vmemmap.SparseVmemmap;
import org.vmemsim.mm.vmemmap.VmemmapPgmap;
import org.vmemsim.util.Errno;
import org.vmemsim.util.U64;

/**
 * Radix's own device-dax vmemmap deduplication (v6.6+), the compound-page part of
 * {@code arch/powerpc/mm/book3s64/radix_pgtable.c}: {@code vmemmap_populate_compound_pages},
 * {@code vmemmap_compound_tail_page} and {@code radix__vmemmap_populate_address}. It replaces the
 * generic version of {@code mm/sparse-vmemmap.c}, which assumes a section's memmap covers whole
 * pages: with 64K pages a 16 MiB section has 16 KiB of memmap, a quarter of a vmemmap page.
 *
 * <p>The loop walks the vmemmap a page at a time and decides per page:
 * <pre>
 *   PMD is a leaf (a nearby 2 MiB mapping)   -> skip to the PMD end, nothing deduplicated
 *   PTE already present                      -> skip (head / first tail page mapped by an earlier section)
 *   pfn is the first of a compound page      -> new page for the head, new page for the first tail
 *   otherwise                                -> map the compound page's first-tail page (created
 *                                               with its head page if missing); when it sits in a
 *                                               PMD leaf, a new page of its own instead
 * </pre>
 * With 64K pages only 1 GiB compound pages qualify ({@code vmemmap_can_optimize}: 16384 struct
 * pages = 16 memmap pages); each keeps 2 pages of RAM, the other 14 PTEs map the first tail page,
 * which takes one page reference per extra PTE:
 * <pre>
 *   memmap of one 1 GiB compound page (1 MiB of vmemmap = 16 pages of 64 KiB, 4 sections per page)
 *   VA   [ head ][ tail0 ][ t ][ t ] ... [ t ]
 *   RAM  [  H   ][   T   ]  '----'--...---'--> T   (T's refcount: 1 + 14)
 * </pre>
 * The pfn counter of the loop advances by one per vmemmap page (two for the head branch, a PMD's
 * worth of pfns for a skipped leaf) as in the kernel, although a vmemmap page describes 1024 pfns;
 * a call covers one section (16 KiB, less than a page), so the loop never runs a second page with
 * the stale counter. All backing is RAM; the altmap is never used here (vmemmap_can_optimize
 * refuses a pgmap with one).
 */
final class Ppc64RadixCompound {
    private final MmCore mm;
    private final Geometry g;
    private final SparseVmemmap sv;
    private final Ppc64RadixPgtable radix;

    Ppc64RadixCompound(MmCore mm, SparseVmemmap sv, Ppc64RadixPgtable radix) {
        this.mm = mm;
        this.g = mm.g;
        this.sv = sv;
        this.radix = radix;
    }

    /** vmemmap_pud_alloc + vmemmap_pmd_alloc: the PMD table for {@code addr}, or -1 on allocation failure. */
    private long pmdTableFor(long addr, int node) {
        return radix.tableFor(addr, g.pmdLevel(), node);
    }

    /** pmd_leaf of the PMD entry for {@code addr} in table {@code pmdTable}. */
    private boolean pmdLeaf(long pmdTable, long addr) {
        long d = mm.pgtable.table(pmdTable).get(g.index(addr, g.pmdLevel()));
        return d != 0 && mm.pgtable.isLeaf(d, g.pmdLevel());
    }

    /** vmemmap_pte_alloc: the PTE table for {@code addr} (the PMD is known not to be a leaf), or -1. */
    private long pteTableFor(long addr, int node) {
        return radix.tableFor(addr, g.leafLevel(), node);
    }

    private boolean pteNone(long pteTable, long addr) {
        return mm.pgtable.table(pteTable).get(g.index(addr, g.leafLevel())) == 0;
    }

    /**
     * Makes sure the vmemmap page at {@code addr} is PTE-mapped with a page of its own and returns
     * its PTE table, or -1 when a table cannot be allocated or a PMD leaf already maps the address.
     * As in the kernel, a failure to allocate the memmap page itself is not reported: the PTE stays
     * empty and the table is still returned.
     *
     * @kernel arch/powerpc/mm/book3s64/radix_pgtable.c: radix__vmemmap_populate_address
     */
    long radixVmemmapPopulateAddress(long addr, int node) {
        long pmd = pmdTableFor(addr, node);
        if (pmd == -1 || pmdLeaf(pmd, addr)) {
            return -1;
        }
        long pte = pteTableFor(addr, node);
        if (pte == -1) {
            return -1;
        }
        radix.radixVmemmapPtePopulate(pte, addr, node, null, -1); // result ignored by the kernel
        sv.vmemmapVerify(pte, addr, node);
        return pte;
    }

    /**
     * The first-tail memmap page of the compound page whose memmap holds {@code addr}
     * ({@code pfnOffset} pfns into it): its pfn, mapping it and the head's page first when nobody
     * has yet. -1 when it cannot be had (a table or the page cannot be allocated, or it lies in a
     * PMD leaf); the caller then gives {@code addr} a page of its own.
     *
     * @kernel arch/powerpc/mm/book3s64/radix_pgtable.c: vmemmap_compound_tail_page
     */
    long vmemmapCompoundTailPage(long addr, long pfnOffset, int node) {
        long mapAddr = addr - pfnOffset * Geometry.STRUCT_PAGE_SIZE + g.pageSize;
        long pmd = pmdTableFor(mapAddr, node);
        if (pmd == -1 || pmdLeaf(pmd, mapAddr)) {
            return -1;
        }
        long pte = pteTableFor(mapAddr, node);
        if (pte == -1) {
            return -1;
        }
        if (pteNone(pte, mapAddr)) {
            // nothing mapped to the left yet: the head's page first (it may sit in another PMD)
            if (radixVmemmapPopulateAddress(mapAddr - g.pageSize, node) == -1) {
                return -1;
            }
            if (!radix.radixVmemmapPtePopulate(pte, mapAddr, node, null, -1)) {
                return -1;
            }
            sv.vmemmapVerify(pte, mapAddr, node);
        }
        return sv.ptePfn(pte, mapAddr);
    }

    /**
     * Populates the memmap {@code [start, end)} of the pfns from {@code startPfn} (one section or
     * sub-section) for the compound pages of {@code pgmap}, per vmemmap page as described in the
     * class comment. Returns 0 or -ENOMEM; what was mapped before a failure stays mapped (the
     * caller's section_deactivate frees it).
     *
     * @kernel arch/powerpc/mm/book3s64/radix_pgtable.c: vmemmap_populate_compound_pages
     */
    int vmemmapPopulateCompoundPages(long startPfn, long start, long end, int node, VmemmapPgmap pgmap) {
        final String fn = "vmemmap_populate_compound_pages";
        long addrPfn = startPfn;
        long next;
        for (long addr = start; U64.lt(addr, end); addr = next) {
            long pmd = pmdTableFor(addr, node);
            if (pmd == -1) {
                return fail(fn, addr, "page-table page");
            }
            if (pmdLeaf(pmd, addr)) {
                addrPfn += g.pmdSize >>> g.pageShift;
                next = sv.pmdAddrEnd(addr, end);
                continue;
            }
            long pte = pteTableFor(addr, node);
            if (pte == -1) {
                return fail(fn, addr, "PTE table");
            }
            if (!pteNone(pte, addr)) {
                // the head's or first tail's page, mapped while populating an earlier section
                addrPfn += 1;
                next = addr + g.pageSize;
                continue;
            }
            long nrPages = pgmap.pgmapVmemmapNr();
            long pfnOffset = addrPfn - (addrPfn & -nrPages);
            if (pfnOffset == 0) {
                if (!radix.radixVmemmapPtePopulate(pte, addr, node, null, -1)) {
                    return fail(fn, addr, "memmap page (head)");
                }
                sv.vmemmapVerify(pte, addr, node);
                if (radixVmemmapPopulateAddress(addr + g.pageSize, node) == -1) {
                    return fail(fn, addr + g.pageSize, "first-tail mapping (no page-table page, or a PMD leaf maps it)");
                }
                addrPfn += 2;
                next = addr + 2 * g.pageSize;
                continue;
            }
            long tail = vmemmapCompoundTailPage(addr, pfnOffset, node);
            if (!radix.radixVmemmapPtePopulate(pte, addr, node, null, tail)) {
                return fail(fn, addr, "memmap page");
            }
            sv.vmemmapVerify(pte, addr, node);
            addrPfn += 1;
            next = addr + g.pageSize;
        }
        return 0;
    }

    private int fail(String fn, long addr, String what) {
        return mm.log.fail(Errno.ENOMEM, fn, String.format("no %s for vmemmap address 0x%016x", what, addr));
    }
}
