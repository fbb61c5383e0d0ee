package org.vmemsim.drivers.nvdimm;

import org.vmemsim.arch.Arch;
import org.vmemsim.arch.Geometry;
import org.vmemsim.arch.KernelProfile;
import org.vmemsim.mm.vmemmap.VmemAltmap;
import org.vmemsim.util.Dmesg;
import org.vmemsim.util.Errno;
import org.vmemsim.util.Sz;
import org.vmemsim.util.U64;

/**
 * {@code drivers/nvdimm/pfn_devs.c}: the arithmetic by which a pmem namespace in fsdax or devdax mode
 * decides where its data starts and, with {@code --map=dev}, hands a {@code vmem_altmap} to
 * {@code memremap_pages}.
 *
 * <pre>
 * namespace  [start ....................................................... start + size)
 *            [8K reserve][ memmap: 64 B x npfns, padded to align ][ data: npfns pages ][end_trunc]
 *            ^base_pfn   ^base_pfn + reserve                      ^start + dataoff
 * altmap     [reserve   ][ free                                  ]
 * </pre>
 *
 * <p>Configuration facts this class relies on, checked against the kernel sources:
 * <ul>
 *   <li>{@code CONFIG_TRANSPARENT_HUGEPAGE} is assumed on, so {@code has_transparent_hugepage()} is
 *       true and the default alignment is {@code HPAGE_PMD_SIZE} (= PMD_SIZE: 2M / 32M / 512M for
 *       4K / 16K / 64K pages).</li>
 *   <li>{@code has_transparent_pud_hugepage()} is false on arm64: {@code arch/arm64/Kconfig} selects
 *       {@code HAVE_ARCH_TRANSPARENT_HUGEPAGE} but not {@code HAVE_ARCH_TRANSPARENT_HUGEPAGE_PUD}
 *       (x86_64, powerpc book3s64 and riscv64 do; an arm64 patch adding it was posted but is not in
 *       the kernels modelled). So {@code HPAGE_PUD_SIZE} (1 GiB on 4K) is never a supported
 *       alignment here: writing 1 GiB to the {@code align} attribute fails with -EINVAL on arm64.</li>
 *   <li>{@code memremap_compat_align()} is the generic {@code SUBSECTION_SIZE} (2 MiB): only powerpc
 *       overrides it ({@code CONFIG_ARCH_HAS_MEMREMAP_COMPAT_ALIGN}).</li>
 *   <li>{@code sizeof(struct page)} is 64 in vmemsim, so the v6.3+ refusal of larger struct pages
 *       ({@link #SIZEOF_STRUCT_PAGE} &gt; {@link #MAX_STRUCT_PAGE_SIZE} without
 *       {@code page_struct_override}) never triggers; it is kept as a documented constant.</li>
 * </ul>
 *
 * <p>Left out: badblock clearing ({@code nd_pfn_clear_memmap_errors}), the checksum, uuid/claim
 * management and the sysfs attributes other than {@code align}.
 */
public final class PfnDevs {
    private PfnDevs() {}

    /** {@code MAX_STRUCT_PAGE_SIZE}: bytes reserved on the media per data page for its struct page. */
    public static final int MAX_STRUCT_PAGE_SIZE = 64;
    /** {@code sizeof(struct page)} in vmemsim. */
    public static final int SIZEOF_STRUCT_PAGE = Geometry.STRUCT_PAGE_SIZE;
    /** Bytes at the namespace start kept for the label area and the info block ({@code SZ_8K}). */
    public static final long INFO_BLOCK_AREA = Sz.SZ_8K;

    /**
     * {@code has_transparent_pud_hugepage()} per architecture: false on arm64 (see the class comment).
     *
     * @kernel arch/arm64/Kconfig: HAVE_ARCH_TRANSPARENT_HUGEPAGE_PUD (not selected)
     */
    static boolean hasTransparentPudHugepage(Geometry g) {
        if (g.arch == Arch.PPC64) {
            // book3s64 selects HAVE_ARCH_TRANSPARENT_HUGEPAGE_PUD from v6.6 (radix only)
            return g.profile.ordinal100 >= 606;
        }
        return g.arch != Arch.ARM64;
    }

    /**
     * Bytes at the namespace start that the altmap must never hand out: label + info block, rounded
     * up to a page: 8 KiB (4K), 16 KiB (16K), 64 KiB (64K).
     *
     * @kernel drivers/nvdimm/nd.h: nd_info_block_reserve
     */
    public static long ndInfoBlockReserve(Geometry g) {
        return U64.alignUp(INFO_BLOCK_AREA, g.pageSize);
    }

    /**
     * The alignment a new pfn/dax device starts with: {@code HPAGE_PMD_SIZE} (THP is configured).
     *
     * @kernel drivers/nvdimm/pfn_devs.c: nd_pfn_default_alignment
     */
    public static long ndPfnDefaultAlignment(Geometry g) {
        return g.pmdSize;
    }

    /**
     * The values the sysfs {@code align} attribute accepts, in the kernel's order:
     * {@code PAGE_SIZE}, {@code HPAGE_PMD_SIZE}, and {@code HPAGE_PUD_SIZE} only where PUD THP exists
     * (never on arm64).
     *
     * @kernel drivers/nvdimm/pfn_devs.c: nd_pfn_supported_alignments
     */
    public static long[] ndPfnSupportedAlignments(Geometry g) {
        if (hasTransparentPudHugepage(g)) {
            return new long[] {g.pageSize, g.pmdSize, g.pudSize};
        }
        return new long[] {g.pageSize, g.pmdSize};
    }

    /** @kernel drivers/nvdimm/pfn_devs.c: nd_supported_alignment */
    public static boolean ndSupportedAlignment(Geometry g, long align) {
        if (align == 0) {
            return false;
        }
        for (long a : ndPfnSupportedAlignments(g)) {
            if (a == align) {
                return true;
            }
        }
        return false;
    }

    /**
     * The smallest alignment a memremap_pages() range may have, as the architecture defines it: the
     * generic {@code SUBSECTION_SIZE} (2 MiB), or the override of powerpc (still 2 MiB under the radix
     * MMU; the hash MMU's 16 MiB linear page is not modelled).
     *
     * @kernel mm/memremap.c: memremap_compat_align (arch/powerpc/mm/book3s64/pgtable.c: memremap_compat_align)
     */
    public static long memremapCompatAlign(Geometry g) {
        return g.memremapCompatAlign;
    }

    /**
     * {@code nd_pfn_devinit}: a new pfn/dax device starts in mode NONE with the default alignment.
     *
     * @kernel drivers/nvdimm/pfn_devs.c: nd_pfn_devinit
     */
    public static NdPfn ndPfnDevinit(Geometry g, String name, boolean dax, String namespaceName, long nsStart,
                                     long nsSize) {
        return new NdPfn(name, dax, namespaceName, nsStart, nsSize, PfnMode.NONE, ndPfnDefaultAlignment(g));
    }

    /**
     * Writing the sysfs {@code align} attribute: the value must be one of
     * {@link #ndPfnSupportedAlignments}, else -EINVAL and nothing changes.
     *
     * @kernel drivers/nvdimm/pfn_devs.c: align_store
     * @kernel drivers/nvdimm/bus.c: nd_size_select_store
     */
    public static int alignStore(Geometry g, NdPfn nd, long value, Dmesg log) {
        if (!ndSupportedAlignment(g, value)) {
            return log.fail(Errno.EINVAL, "align_store", nd.name + ": align " + value + " is not one of "
                    + supportedText(g));
        }
        nd.align = value;
        return 0;
    }

    static String supportedText(Geometry g) {
        StringBuilder sb = new StringBuilder();
        for (long a : ndPfnSupportedAlignments(g)) {
            sb.append(sb.length() == 0 ? "" : " ").append(a);
        }
        return "supported_alignments [" + sb + "]";
    }

    /**
     * v6.6+ ("nvdimm/pfn_dev: Prevent the creation of zero-sized namespaces", posted 2023-08-09):
     * nd_pfn_init compares dataoff with {@code size - end_trunc} instead of {@code size}, and
     * nd_pfn_validate gained the matching "bad offset with small namespace" check. Older kernels
     * create a device with 0 data pages. Belongs in {@code KernelProfile}; kept here until the lead
     * moves it. [exact release UNVERIFIED: in mainline, absent from the 5.x text]
     *
     * @kernel drivers/nvdimm/pfn_devs.c: nd_pfn_init
     */
    static boolean rejectsZeroSizedDevice(KernelProfile p) {
        return p == KernelProfile.V6_12 || p == KernelProfile.MAINLINE;
    }

    /**
     * Brings up the info block of a pfn/dax device (spec 8.1). An existing block that validates is
     * reused; without one, a version 1.4 block is computed from the namespace geometry, the mode and
     * {@code nd.align}. On success {@code nd.sb} and {@code nd.npfns} are set and 0 is returned; on
     * failure the kernel errno is returned and {@code nd} is unchanged.
     *
     * <p>Deliberate differences: the kernel assigns {@code nd_pfn->npfns} only in
     * {@code __nvdimm_setup_pfn} (to the same value); the kernel validates {@code align} when it is
     * written to sysfs ({@link #alignStore}), vmemsim checks it again here because scenarios may set
     * {@code nd.align} directly; the kernel leaves a zeroed {@code pfn_sb} attached after a failure,
     * vmemsim attaches the block only on success.
     *
     * @kernel drivers/nvdimm/pfn_devs.c: nd_pfn_init
     */
    public static int ndPfnInit(Geometry g, NdPfn nd, Dmesg log) {
        final String fn = "nd_pfn_init";
        if (!ndSupportedAlignment(g, nd.align)) {
            return log.fail(Errno.EINVAL, fn, nd.name + ": align " + nd.align + " (0x" + Long.toHexString(nd.align)
                    + ") is not one of " + supportedText(g) + " (rule of align_store)");
        }
        int rc = PfnValidate.ndPfnValidate(g, nd, log);
        if (rc == 0) {
            nd.npfns = nd.sb.npfns();
            return 0;
        }
        if (rc != Errno.ENODEV.neg()) {
            return rc;
        }
        // no (matching) info block: initialise one
        if (nd.readOnly) {
            String msg = nd.regionName() + " is read-only, unable to init metadata";
            log.info(fn, nd.name + ": " + msg);
            return log.fail(Errno.ENXIO, fn, nd.name + ": " + msg);
        }
        long start = nd.nsStart;
        long size = nd.nsSize;
        long compat = memremapCompatAlign(g);
        long align = U64.max(nd.align, compat);
        if (!U64.isAligned(start, compat)) {
            String msg = String.format("%s: start 0x%x misaligned to 0x%x", nd.namespaceName, start, compat);
            log.err(fn, nd.name + ": " + msg);
            return log.fail(Errno.EINVAL, fn, nd.name + ": " + msg);
        }
        long end = start + size;
        long endTrunc = end - U64.alignDown(end, align);
        if (nd.mode != PfnMode.PMEM && nd.mode != PfnMode.RAM) {
            return log.fail(Errno.ENXIO, fn, nd.name + ": mode " + nd.mode.sysfsName + " has no info block layout");
        }
        long offset;
        if (U64.le(size, INFO_BLOCK_AREA)) {
            offset = size; // the kernel's unsigned size - SZ_8K wraps; the result is the same refusal
        } else if (nd.mode == PfnMode.PMEM) {
            long npfnsUpper = g.pfn(size - INFO_BLOCK_AREA);
            if (SIZEOF_STRUCT_PAGE > MAX_STRUCT_PAGE_SIZE) { // v6.3+, never true in vmemsim
                return log.fail(Errno.EINVAL, fn, nd.name + ": Memory debug options prevent using pmem for the page map");
            }
            long pageMapSize = (long) MAX_STRUCT_PAGE_SIZE * npfnsUpper;
            offset = U64.alignUp(start + INFO_BLOCK_AREA + pageMapSize, align) - start;
        } else {
            offset = U64.alignUp(start + INFO_BLOCK_AREA, align) - start;
        }
        long limit = rejectsZeroSizedDevice(g.profile) ? size - endTrunc : size;
        if (U64.ge(offset, limit)) {
            String msg = String.format("%s unable to satisfy requested alignment (dataoff 0x%x, align 0x%x, size 0x%x%s)",
                    nd.namespaceName, offset, align, size,
                    limit == size ? "" : String.format(", end_trunc 0x%x", endTrunc));
            log.err(fn, nd.name + ": " + msg);
            return log.fail(Errno.ENXIO, fn, nd.name + ": " + msg);
        }
        long npfns = g.pfn(size - offset - endTrunc);
        nd.sb = new NdPfnSb(nd.dax ? NdPfnSb.DAX_SIG : NdPfnSb.PFN_SIG, nd.uuid, nd.parentUuid, 0, 1, 4,
                offset, npfns, nd.mode, 0, endTrunc, nd.align, g.pageSize, MAX_STRUCT_PAGE_SIZE);
        nd.npfns = npfns;
        return 0;
    }

    /**
     * Sets up a pfn/dax device for {@code memremap_pages}: brings up the info block
     * ({@link #ndPfnInit}), then turns it into the pgmap range and, in PMEM mode, the altmap
     * (spec 8.2):
     * <pre>
     * base_pfn = SUBSECTION_ALIGN_DOWN(PFN(start + start_pad))
     * reserve  = PFN(nd_info_block_reserve()) + (PFN(start + start_pad) - base_pfn)
     * free     = PFN(dataoff - nd_info_block_reserve())      end_pfn = PFN(last byte)
     * </pre>
     * so {@code vmem_altmap_offset = reserve + free = PFN(dataoff)} for an aligned start.
     * {@code out} and {@code nd.npfns} are written only on success.
     *
     * @kernel drivers/nvdimm/pfn_devs.c: nvdimm_setup_pfn
     * @kernel drivers/nvdimm/pfn_devs.c: __nvdimm_setup_pfn
     */
    public static int nvdimmSetupPfn(Geometry g, NdPfn nd, PfnSetup out, Dmesg log) {
        int rc = ndPfnInit(g, nd, log);
        if (rc != 0) {
            return rc;
        }
        return setupFromInfoBlock(g, nd, out, log);
    }

    /** The {@code __nvdimm_setup_pfn} half of {@link #nvdimmSetupPfn}. */
    private static int setupFromInfoBlock(Geometry g, NdPfn nd, PfnSetup out, Dmesg log) {
        final String fn = "__nvdimm_setup_pfn";
        NdPfnSb sb = nd.sb;
        long offset = sb.dataoff();
        long reserve = ndInfoBlockReserve(g);
        long base = nd.nsStart + sb.startPad();
        long end = nd.nsEndInclusive() - sb.endTrunc();
        long basePfnExact = g.pfn(base);
        long basePfn = U64.alignDown(basePfnExact, g.pagesPerSubsection);
        long reservePfns = g.pfn(reserve) + (basePfnExact - basePfn);
        long endPfn = g.pfn(end);
        long npfns;
        VmemAltmap altmap = null;
        if (nd.mode == PfnMode.RAM) {
            if (U64.lt(offset, reserve)) {
                return log.fail(Errno.EINVAL, fn, String.format("%s: dataoff 0x%x below the info block reserve 0x%x",
                        nd.name, offset, reserve));
            }
            npfns = sb.npfns();
        } else if (nd.mode == PfnMode.PMEM) {
            npfns = g.pfn(end - base + 1 - offset);
            if (U64.gt(sb.npfns(), npfns)) {
                log.info(fn, nd.name + ": number of pfns truncated from " + sb.npfns() + " to " + npfns);
            }
            altmap = new VmemAltmap(nd.name, basePfn, endPfn, reservePfns, g.pfn(offset - reserve));
        } else {
            return log.fail(Errno.ENXIO, fn, nd.name + ": mode " + nd.mode.sysfsName + " cannot be set up");
        }
        nd.npfns = npfns;
        out.rangeStart = base;
        out.rangeEndInclusive = end;
        out.altmap = altmap;
        out.npfns = npfns;
        return 0;
    }
}
