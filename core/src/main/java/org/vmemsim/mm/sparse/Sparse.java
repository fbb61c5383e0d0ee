package org.vmemsim.mm.sparse;

import org.vmemsim.arch.Geometry;
import org.vmemsim.arch.KernelProfile;
import org.vmemsim.mm.pgtable.MmCore;
import org.vmemsim.mm.vmemmap.SparseVmemmap;
import org.vmemsim.mm.vmemmap.VmemAltmap;
import org.vmemsim.mm.vmemmap.VmemmapPgmap;
import org.vmemsim.util.Errno;
import org.vmemsim.util.U64;

/**
 * SPARSEMEM_EXTREME sections and sub-sections ({@code mm/sparse.c}): the {@code mem_section} roots,
 * the sub-section bitmaps, and adding/removing the memmap of a range within one section
 * ({@code sparse_add_section}, {@code section_activate}, {@code section_deactivate},
 * {@code sparse_remove_section}).
 */
public final class Sparse {
    private final MmCore mm;
    private final Geometry g;
    private final KernelProfile p;
    private final SparseVmemmap sv;
    private final MemSection[][] roots;
    private final long[] rootSlab;
    private final long usageBytes;
    /** /proc/vmstat nr_memmap_pages and nr_memmap_boot_pages (v6.11+). */
    private long nrMemmapPages;
    private long nrMemmapBootPages;
    private long highestPresentSection = -1;
    /** Scratch sub-section mask of fill/clear_subsection_map (one per model; the model is single-threaded). */
    private final long[] maskScratch;

    public Sparse(MmCore mm, SparseVmemmap sv) {
        this.mm = mm;
        this.g = mm.g;
        this.p = g.profile;
        this.sv = sv;
        long nrRoots = U64.divRoundUp(g.nrMemSections, g.sectionsPerRoot);
        this.roots = new MemSection[(int) nrRoots][];
        this.rootSlab = new long[(int) nrRoots];
        this.usageBytes = memSectionUsageSize();
        this.maskScratch = new long[(g.subsectionsPerSection + 63) / 64];
    }

    /** Bytes of one usage map: sub-section bitmap, pageblock flags, and (v6.1+) an rcu head. */
    public long memSectionUsageSize() {
        long subsectionBytes = ((g.subsectionsPerSection + 63) / 64) * 8L;
        long blockflagsBits = (g.pagesPerSection >>> g.pageblockOrder) * 4;
        long usemap = ((blockflagsBits + 63) / 64) * 8;
        long rcu = p.ordinal100 >= 601 ? 16 : 0;
        return rcu + subsectionBytes + usemap;
    }

    public long rootOf(long nr) {
        return nr / g.sectionsPerRoot;
    }

    /** The section, or null when its root does not exist. @kernel include/linux/mmzone.h: __nr_to_section */
    public MemSection nrToSection(long nr) {
        if (nr < 0 || nr >= g.nrMemSections) {
            return null;
        }
        MemSection[] root = roots[(int) rootOf(nr)];
        return root == null ? null : root[(int) (nr % g.sectionsPerRoot)];
    }

    public MemSection pfnToSection(long pfn) {
        return nrToSection(g.pfnToSection(pfn));
    }

    /**
     * Allocates the root array holding section {@code nr} if it does not exist yet; roots are never
     * freed.
     *
     * @kernel mm/sparse.c: sparse_index_init
     */
    public int sparseIndexInit(long nr, int nid) {
        int r = (int) rootOf(nr);
        if (roots[r] != null) {
            return 0;
        }
        long id = mm.slabAvailable ? mm.slab.kzalloc(g.sectionsPerRoot * p.memSectionSize(), "sparse_index_alloc")
                : mm.slab.bootAlloc(g.sectionsPerRoot * p.memSectionSize(), "sparse_index_alloc");
        if (id == -1) {
            return mm.log.fail(Errno.ENOMEM, "sparse_index_init", "cannot allocate the mem_section root " + r);
        }
        MemSection[] root = new MemSection[(int) g.sectionsPerRoot];
        for (int i = 0; i < root.length; i++) {
            root[i] = new MemSection();
        }
        roots[r] = root;
        rootSlab[r] = id;
        return 0;
    }

    /** Roots that exist, for reports (index, slab object). */
    public long[] existingRoots() {
        int n = 0;
        for (MemSection[] r : roots) {
            n += r == null ? 0 : 1;
        }
        long[] out = new long[n];
        int k = 0;
        for (int i = 0; i < roots.length; i++) {
            if (roots[i] != null) {
                out[k++] = i;
            }
        }
        return out;
    }

    private int subsectionIndex(long pfn) {
        return (int) ((pfn & (g.pagesPerSection - 1)) / g.pagesPerSubsection);
    }

    /** Whether the sub-section of {@code pfn} is marked active in its section's usage map. */
    public boolean subsectionActive(long pfn) {
        MemSection ms = pfnToSection(pfn);
        return ms != null && ms.usage != null && ms.usage.test(subsectionIndex(pfn));
    }

    /** Bits idx(pfn) .. idx(pfn + nr - 1) of a section. @kernel mm/sparse.c: subsection_mask_set */
    long[] subsectionMask(long pfn, long nrPages) {
        return subsectionMaskInto(pfn, nrPages, new long[(g.subsectionsPerSection + 63) / 64]);
    }

    /** {@link #subsectionMask} written into {@code mask} (every word is overwritten). */
    private long[] subsectionMaskInto(long pfn, long nrPages, long[] mask) {
        java.util.Arrays.fill(mask, 0);
        if (nrPages == 0) {
            return mask;
        }
        int first = subsectionIndex(pfn);
        int last = subsectionIndex(pfn + nrPages - 1);
        // bits first..last, a word at a time
        for (int w = first >>> 6; w <= last >>> 6; w++) {
            int lo = Math.max(first, w << 6) & 63;
            int hi = Math.min(last, (w << 6) + 63) & 63;
            mask[w] = (-1L >>> (63 - hi)) & (-1L << lo);
        }
        return mask;
    }

    private static boolean isEmpty(long[] m) {
        for (long w : m) {
            if (w != 0) {
                return false;
            }
        }
        return true;
    }

    /** @kernel mm/sparse.c: fill_subsection_map */
    public int fillSubsectionMap(long pfn, long nrPages) {
        MemSection ms = pfnToSection(pfn);
        long[] mask = subsectionMaskInto(pfn, nrPages, maskScratch);
        if (isEmpty(mask)) {
            return mm.log.fail(Errno.EINVAL, "fill_subsection_map", String.format("empty range at pfn 0x%x", pfn));
        }
        long[] map = ms.usage.subsectionMap;
        for (int i = 0; i < map.length; i++) {
            if ((map[i] & mask[i]) != 0) {
                return mm.log.fail(Errno.EEXIST, "fill_subsection_map", String.format(
                        "pfn range [0x%x, 0x%x) overlaps an active sub-section of section %d", pfn, pfn + nrPages,
                        g.pfnToSection(pfn)));
            }
        }
        for (int i = 0; i < map.length; i++) {
            map[i] |= mask[i];
        }
        return 0;
    }

    /** @kernel mm/sparse.c: clear_subsection_map */
    public int clearSubsectionMap(long pfn, long nrPages) {
        MemSection ms = pfnToSection(pfn);
        long[] mask = subsectionMaskInto(pfn, nrPages, maskScratch);
        if (ms == null || ms.usage == null) {
            mm.log.warn("clear_subsection_map", String.format("section already deactivated (pfn 0x%x)", pfn));
            return Errno.EINVAL.neg();
        }
        long[] map = ms.usage.subsectionMap;
        for (int i = 0; i < map.length; i++) {
            if ((map[i] & mask[i]) != mask[i]) {
                mm.log.warn("clear_subsection_map", String.format(
                        "section already deactivated: pfn range [0x%x, 0x%x)", pfn, pfn + nrPages));
                return Errno.EINVAL.neg();
            }
        }
        for (int i = 0; i < map.length; i++) {
            map[i] ^= mask[i];
        }
        return 0;
    }

    private long memmapPagesOf(long nrPages) {
        return U64.divRoundUp(nrPages * Geometry.STRUCT_PAGE_SIZE, g.pageSize);
    }

    /**
     * Activates the sub-sections of {@code [pfn, pfn + nrPages)} and populates their memmap; on
     * failure undoes its own work with {@link #sectionDeactivate}. {@code pgmap} (may be null) is the
     * device mapping being added, for compound-page memmap deduplication.
     *
     * @kernel mm/sparse.c: section_activate
     */
    public int sectionActivate(int nid, long pfn, long nrPages, VmemAltmap altmap, VmemmapPgmap pgmap) {
        MemSection ms = pfnToSection(pfn);
        boolean allocatedUsage = false;
        if (ms.usage == null) {
            long id = mm.slab.kzalloc(usageBytes, "section_activate");
            if (id == -1) {
                return mm.log.fail(Errno.ENOMEM, "section_activate",
                        "cannot allocate the usage map of section " + g.pfnToSection(pfn));
            }
            ms.usage = new MemSectionUsage(g.subsectionsPerSection, id, false);
            allocatedUsage = true;
        }
        int rc = fillSubsectionMap(pfn, nrPages);
        if (rc != 0) {
            if (allocatedUsage) {
                mm.slab.kfree(ms.usage.slabId);
                ms.usage = null;
            }
            return rc;
        }
        if (nrPages < g.pagesPerSection && ms.early()) {
            return 0; // the boot memmap already covers the whole section
        }
        boolean ok = sv.populateSectionMemmap(pfn, nrPages, nid, altmap, pgmap);
        if (p.vmstatMemmapCounters()) {
            nrMemmapPages += memmapPagesOf(nrPages);
        }
        if (!ok) {
            String why = mm.log.lastError();
            sectionDeactivate(pfn, nrPages, altmap);
            return mm.log.fail(Errno.ENOMEM, "section_activate", String.format(
                    "memmap population failed for pfn range [0x%x, 0x%x)%s", pfn, pfn + nrPages,
                    why.isEmpty() ? "" : ": " + why));
        }
        return 0;
    }

    /**
     * Deactivates the sub-sections of {@code [pfn, pfn + nrPages)} and frees their memmap (only that
     * VA range for hot-added sections; the whole boot memmap of an early section once it empties).
     *
     * @kernel mm/sparse.c: section_deactivate
     */
    public void sectionDeactivate(long pfn, long nrPages, VmemAltmap altmap) {
        MemSection ms = pfnToSection(pfn);
        boolean early = ms.early();
        if (clearSubsectionMap(pfn, nrPages) != 0) {
            return;
        }
        boolean empty = ms.usage.empty();
        if (empty) {
            ms.flags &= ~MemSection.SECTION_HAS_MEM_MAP;
            if (!ms.usage.boot) {
                mm.slab.kfree(ms.usage.slabId);
                ms.usage = null;
            }
        }
        if (!early) {
            if (p.vmstatMemmapCounters()) {
                nrMemmapPages -= memmapPagesOf(nrPages);
            }
            sv.depopulateSectionMemmap(pfn, nrPages, altmap);
        } else if (empty) {
            if (p.vmstatMemmapCounters()) {
                nrMemmapBootPages -= memmapPagesOf(g.pagesPerSection);
            }
            long sectionStart = pfn & -g.pagesPerSection;
            sv.depopulateSectionMemmap(sectionStart, g.pagesPerSection, null); // free_map_bootmem
        }
        if (empty) {
            ms.flags = 0;
        }
    }

    /**
     * Adds {@code [startPfn, startPfn + nrPages)}, which lies within one section: root, usage map,
     * sub-sections, memmap; then marks the section present and valid.
     *
     * @kernel mm/sparse.c: sparse_add_section
     */
    public int sparseAddSection(int nid, long startPfn, long nrPages, VmemAltmap altmap, VmemmapPgmap pgmap) {
        long nr = g.pfnToSection(startPfn);
        int ret = sparseIndexInit(nr, nid);
        if (ret < 0) {
            return ret;
        }
        ret = sectionActivate(nid, startPfn, nrPages, altmap, pgmap);
        if (ret != 0) {
            return ret;
        }
        MemSection ms = nrToSection(nr);
        ms.flags |= MemSection.SECTION_MARKED_PRESENT | MemSection.SECTION_HAS_MEM_MAP;
        ms.nid = nid;
        highestPresentSection = Math.max(highestPresentSection, nr);
        return 0;
    }

    /** @kernel mm/sparse.c: sparse_remove_section */
    public void sparseRemoveSection(long pfn, long nrPages, long mapOffset, VmemAltmap altmap) {
        MemSection ms = pfnToSection(pfn);
        if (ms == null || !ms.valid()) {
            if (p.ordinal100 >= 601) {
                mm.log.warn("sparse_remove_section", String.format("section of pfn 0x%x is not valid", pfn));
                return;
            }
        }
        sectionDeactivate(pfn, nrPages, altmap);
    }

    /**
     * Whether a struct page exists for {@code pfn}. Up to 5.11 arm64 used its own test, which only
     * accepts memory in memblock (false for ZONE_DEVICE); later the generic sub-section test.
     *
     * @kernel include/linux/mmzone.h: pfn_valid
     */
    public boolean pfnValid(long pfn) {
        MemSection ms = pfnToSection(pfn);
        if (ms == null || !ms.valid()) {
            return false;
        }
        if (!p.pfnValidForZoneDevice()) {
            long pa = pfn << g.pageShift;
            boolean inMemblock = false;
            for (var r : mm.memblock.memory()) {
                inMemblock |= U64.inRange(pa, r.base(), r.end());
            }
            return inMemblock;
        }
        return ms.early() || ms.usage != null && ms.usage.test(subsectionIndex(pfn));
    }

    /** @kernel mm/sparse.c: online_mem_sections */
    public void onlineMemSections(long startPfn, long endPfn) {
        for (long pfn = startPfn; pfn < endPfn; pfn += g.pagesPerSection) {
            MemSection ms = pfnToSection(pfn);
            if (ms != null && ms.present()) {
                ms.flags |= MemSection.SECTION_IS_ONLINE;
            }
        }
    }

    /** @kernel mm/sparse.c: offline_mem_sections */
    public void offlineMemSections(long startPfn, long endPfn) {
        for (long pfn = startPfn; pfn < endPfn; pfn += g.pagesPerSection) {
            MemSection ms = pfnToSection(pfn);
            if (ms != null && ms.present()) {
                ms.flags &= ~MemSection.SECTION_IS_ONLINE;
            }
        }
    }

    /** Marks a boot section present (memory_present / memblocks_present). */
    public void memoryPresent(int nid, long nr) {
        sparseIndexInit(nr, nid);
        MemSection ms = nrToSection(nr);
        // boot sections start out online (memory_present sets SECTION_IS_ONLINE)
        ms.flags |= MemSection.SECTION_MARKED_PRESENT | MemSection.SECTION_IS_ONLINE;
        ms.nid = nid;
        highestPresentSection = Math.max(highestPresentSection, nr);
    }

    /** Finishes a boot section: boot usage map, early + valid. @kernel mm/sparse.c: sparse_init_one_section */
    public void sparseInitOneSectionEarly(long nr) {
        MemSection ms = nrToSection(nr);
        long id = mm.slab.bootAlloc(usageBytes, "sparse_usage_init");
        ms.usage = new MemSectionUsage(g.subsectionsPerSection, id, true);
        long[] map = ms.usage.subsectionMap;
        for (int i = 0; i < g.subsectionsPerSection; i++) {
            map[i >>> 6] |= 1L << (i & 63);
        }
        ms.flags |= MemSection.SECTION_HAS_MEM_MAP | MemSection.SECTION_IS_EARLY;
        if (p.vmstatMemmapCounters()) {
            nrMemmapBootPages += memmapPagesOf(g.pagesPerSection);
        }
    }

    public long nrMemmapPages() {
        return nrMemmapPages;
    }

    public long nrMemmapBootPages() {
        return nrMemmapBootPages;
    }

    public long highestPresentSection() {
        return highestPresentSection;
    }

    public long nrRoots() {
        return roots.length;
    }

    /** Visits every section whose root exists and that has any flag set, ascending. */
    public void forEachSection(SectionVisitor v) {
        for (int r = 0; r < roots.length; r++) {
            MemSection[] root = roots[r];
            if (root == null) {
                continue;
            }
            for (int i = 0; i < root.length; i++) {
                if (root[i].flags != 0 || root[i].usage != null) {
                    v.section((long) r * g.sectionsPerRoot + i, root[i]);
                }
            }
        }
    }

    /** Callback of {@link #forEachSection}. */
    public interface SectionVisitor {
        void section(long nr, MemSection ms);
    }

    /** Deep copy of the section state (roots, flags, usage) for before/after comparison. */
    public Object[] snapshot() {
        MemSection[][] c = new MemSection[roots.length][];
        for (int r = 0; r < roots.length; r++) {
            if (roots[r] != null) {
                c[r] = new MemSection[roots[r].length];
                for (int i = 0; i < roots[r].length; i++) {
                    c[r][i] = roots[r][i].copy();
                }
            }
        }
        return new Object[] {c, nrMemmapPages, nrMemmapBootPages};
    }

    /** Compares with a {@link #snapshot()}; returns null when equal, else a description of the first difference. */
    public String diff(Object[] snap) {
        MemSection[][] c = (MemSection[][]) snap[0];
        for (int r = 0; r < roots.length; r++) {
            if ((roots[r] == null) != (c[r] == null)) {
                return "mem_section root " + r + (roots[r] == null ? " vanished" : " appeared");
            }
            if (roots[r] == null) {
                continue;
            }
            for (int i = 0; i < roots[r].length; i++) {
                if (!roots[r][i].sameState(c[r][i])) {
                    return "section " + ((long) r * g.sectionsPerRoot + i) + " changed";
                }
            }
        }
        if ((long) snap[1] != nrMemmapPages || (long) snap[2] != nrMemmapBootPages) {
            return "nr_memmap counters changed";
        }
        return null;
    }
}
