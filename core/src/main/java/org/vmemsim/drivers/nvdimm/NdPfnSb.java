package org.vmemsim.drivers.nvdimm;

import java.util.UUID;

/**
 * {@code struct nd_pfn_sb} ({@code drivers/nvdimm/pfn.h}): the info block a pfn/dax device writes at
 * namespace offset 4 KiB, as the fields it holds. Versions 1.0..1.4 added fields over time; vmemsim
 * writes 1.4 blocks only (as the kernel has since v5.4).
 *
 * <pre>
 * namespace  [0 ...... 4K)[4K: info block ...)[8K ... dataoff)[dataoff ........ size - end_trunc)[end_trunc)
 *            [ label / unused  ][ nd_pfn_sb    ][ memmap (PMEM) ][ data pages (npfns)               ][ dropped ]
 * </pre>
 *
 * <p>Left out: the 3994 padding bytes and the fletcher64 {@code checksum} (vmemsim keeps the block as
 * a value, so it cannot be torn).
 *
 * @param signature {@link #PFN_SIG} (fsdax) or {@link #DAX_SIG} (devdax), without the NUL byte
 * @param uuid the pfn/dax device's uuid
 * @param parentUuid the namespace's uuid (all zero for a label-less {@code nd_namespace_io})
 * @param flags always 0 since version 1.3
 * @param dataoff bytes from the namespace start (plus {@code startPad}) to the first data page
 * @param npfns data pages, {@code PAGE_SIZE} each
 * @param startPad bytes skipped before the namespace start (always 0 since v5.7: misaligned starts fail)
 * @param endTrunc bytes dropped at the end so the data area ends on the mapping alignment
 * @param align {@code nd_pfn->align} when the block was written (not the effective alignment)
 * @param pageSize {@code PAGE_SIZE} of the kernel that wrote the block
 * @param pageStructSize bytes reserved per struct page ({@code MAX_STRUCT_PAGE_SIZE} = 64)
 */
public record NdPfnSb(String signature, UUID uuid, UUID parentUuid, int flags, int versionMajor, int versionMinor,
                      long dataoff, long npfns, PfnMode mode, long startPad, long endTrunc, long align,
                      long pageSize, int pageStructSize) {

    /** {@code PFN_SIG}: the signature of an fsdax (pfn) info block. */
    public static final String PFN_SIG = "NVDIMM_PFN_INFO";
    /** {@code DAX_SIG}: the signature of a device-dax info block. */
    public static final String DAX_SIG = "NVDIMM_DAX_INFO";
    /** Namespace offset of the info block. */
    public static final long INFO_BLOCK_OFFSET = 4096;

    /**
     * Bytes of usable data, what sysfs {@code size} shows while the device is enabled:
     * namespace size minus start_pad, end_trunc and dataoff.
     *
     * @kernel drivers/nvdimm/pfn_devs.c: size_show
     */
    public long dataSize(long namespaceSize) {
        return namespaceSize - startPad - endTrunc - dataoff;
    }

    /**
     * Physical address of the first data page, what sysfs {@code resource} shows.
     *
     * @kernel drivers/nvdimm/pfn_devs.c: resource_show
     */
    public long dataStart(long namespaceStart) {
        return namespaceStart + startPad + dataoff;
    }
}
