package org.vmemsim.mm.vmemmap;

import org.vmemsim.arch.Geometry;
import org.vmemsim.mm.pgtable.MmCore;
import org.vmemsim.util.Errno;
import org.vmemsim.util.KernelBug;
import org.vmemsim.util.U64;

/**
 * Device-dax vmemmap deduplication, the compound-page part of {@code mm/sparse-vmemmap.c}
 * ({@code vmemmap_populate_compound_pages}, {@code reuse_compound_section},
 * {@code compound_section_tail_page}) with the gate {@code vmemmap_can_optimize} of
 * {@code include/linux/mm.h}.
 *
 * <p>The struct pages of one compound device page of {@code 2^vmemmap_shift} pages fill
 * {@code 2^vmemmap_shift * 64} bytes of vmemmap. Only the memmap page holding the head and the
 * first memmap page of tails get their own RAM page; every later memmap page of the same compound
 * page is a PTE to that first tail page, which takes one page reference per extra mapping:
 * <pre>
 *   vmemmap of one 2 MiB compound page (8 memmap pages of 4 KiB)
 *   VA   [ head ][ tail0 ][ t ][ t ][ t ][ t ][ t ][ t ]
 *   RAM  [  H   ][   T   ]  '----'----'----'----'----'--> T   (T's refcount: 1 + 6)
 * </pre>
 * A compound page larger than a section (1 GiB on x86 with 128 MiB sections) is mapped section by
 * section: every section after its first maps all its memmap to the last page mapped by the
 * section before it. The whole memmap is PTE-mapped from RAM: no PMD blocks, never an altmap.
 *
 * <p>Freeing needs nothing special: the arch's {@code vmemmap_free} frees the page behind every
 * PTE, and {@code free_pages} only frees a shared page with its last reference.
 */
public final class VmemmapCompound {
    /** Memmap pages of a compound page that keep their own backing: the head's and the first tail's. @kernel include/linux/mm.h: VMEMMAP_RESERVE_NR */
    public static final int VMEMMAP_RESERVE_NR = 2;

    private final MmCore mm;
    private final Geometry g;
    private final SparseVmemmap sv;

    VmemmapCompound(MmCore mm, SparseVmemmap sv) {
        this.mm = mm;
        this.g = mm.g;
        this.sv = sv;
    }

    /**
     * True when the memmap of {@code pgmap} is deduplicated: the architecture opts in (a named
     * switch of the profile), there is a pgmap, no altmap, and one compound page's memmap spans
     * more than {@link #VMEMMAP_RESERVE_NR} pages. {@code sizeof(struct page)} is 64, a power of two.
     *
     * @kernel include/linux/mm.h: vmemmap_can_optimize
     */
    public boolean vmemmapCanOptimize(VmemAltmap altmap, VmemmapPgmap pgmap) {
        if (!g.profile.archWantOptimizeDaxVmemmap(g.arch) || pgmap == null || altmap != null) {
            return false;
        }
        long nrVmemmapPages = (pgmap.pgmapVmemmapNr() * Geometry.STRUCT_PAGE_SIZE) >>> g.pageShift;
        return nrVmemmapPages > VMEMMAP_RESERVE_NR;
    }

    /**
     * True when the section at {@code startPfn} begins inside a compound page (it is larger than a
     * sub-section and the offset from the range start is not a multiple of it): its memmap is all
     * tail pages, mapped to the page populated for the section before.
     *
     * @kernel mm/sparse-vmemmap.c: reuse_compound_section
     */
    public boolean reuseCompoundSection(long startPfn, VmemmapPgmap pgmap) {
        long nrPages = pgmap.pgmapVmemmapNr();
        long offset = startPfn - (pgmap.currentRangeStart() >>> g.pageShift);
        return !U64.isAligned(offset, nrPages) && U64.gt(nrPages, g.pagesPerSubsection);
    }

    /**
     * The pfn mapped by the vmemmap PTE just below {@code addr}: the last tail page the previous
     * section populated. The kernel assumes sections are populated in order and reads that PTE
     * unchecked; finding none is reported as a kernel BUG here.
     *
     * @kernel mm/sparse-vmemmap.c: compound_section_tail_page
     */
    public long compoundSectionTailPage(long addr) {
        long prev = addr - g.pageSize;
        long pte = mm.pgtable.tableAt(prev, g.leafLevel());
        long pfn = pte == -1 ? -1 : sv.ptePfn(pte, prev);
        if (pfn == -1) {
            throw new KernelBug(String.format(
                    "compound_section_tail_page: no vmemmap PTE at 0x%016x (the previous section is not populated)", prev));
        }
        return pfn;
    }

    /**
     * Populates the memmap {@code [start, end)} of the pfns from {@code startPfn} for compound pages
     * of {@code pgmap}: per compound page a RAM page for the head's memmap page and one for the
     * first tail's, every further memmap page mapped to that tail page. Returns 0 or -ENOMEM; no
     * rollback (the caller's section_deactivate frees what was mapped).
     *
     * @kernel mm/sparse-vmemmap.c: vmemmap_populate_compound_pages
     */
    public int vmemmapPopulateCompoundPages(long startPfn, long start, long end, int node, VmemmapPgmap pgmap) {
        final String fn = "vmemmap_populate_compound_pages";
        if (reuseCompoundSection(startPfn, pgmap)) {
            long reuse = compoundSectionTailPage(start);
            return sv.vmemmapPopulateRange(start, end, node, null, reuse, fn);
        }
        long size = U64.min(end - start, pgmap.pgmapVmemmapNr() * Geometry.STRUCT_PAGE_SIZE);
        SparseVmemmap.PteCursor cur = new SparseVmemmap.PteCursor();
        for (long addr = start; U64.lt(addr, end); addr += size) {
            long last = addr + size;
            if (sv.vmemmapPopulateAddress(addr, node, null, -1, cur) == -1) {
                return fail(fn, addr, "head");
            }
            long next = addr + g.pageSize;
            long pte = sv.vmemmapPopulateAddress(next, node, null, -1, cur);
            if (pte == -1) {
                return fail(fn, next, "first tail");
            }
            long reuse = sv.ptePfn(pte, next);
            next += g.pageSize;
            if (sv.vmemmapPopulateRange(next, last, node, null, reuse, fn, cur) != 0) {
                return Errno.ENOMEM.neg();
            }
        }
        return 0;
    }

    private int fail(String fn, long addr, String what) {
        return mm.log.fail(Errno.ENOMEM, fn, String.format(
                "no page-table or memmap page for the %s memmap page at vmemmap address 0x%016x", what, addr));
    }
}
