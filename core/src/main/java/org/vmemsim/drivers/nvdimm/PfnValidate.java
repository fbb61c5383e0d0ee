package org.vmemsim.drivers.nvdimm;

import org.vmemsim.arch.Geometry;
import org.vmemsim.util.Dmesg;
import org.vmemsim.util.Errno;
import org.vmemsim.util.U64;

/**
 * {@code nd_pfn_validate} of {@code drivers/nvdimm/pfn_devs.c}: decides whether the info block
 * already on the media belongs to this device and still fits the namespace. -ENODEV means "no info
 * block of ours" (the caller then writes a new one); any other error refuses the device.
 *
 * <p>Follows the current text. Left out: reading the block (the media cannot fail here), the
 * checksum, fix-ups for version 1.0..1.3 blocks (vmemsim writes 1.4 only) and the probe path that
 * adopts a block's uuid, mode and alignment ({@code nd_pfn_probe}).
 */
final class PfnValidate {
    private PfnValidate() {}

    /** @kernel drivers/nvdimm/pfn_devs.c: nd_pfn_validate */
    static int ndPfnValidate(Geometry g, NdPfn nd, Dmesg log) {
        final String fn = "nd_pfn_validate";
        NdPfnSb sb = nd.sb;
        if (sb == null) {
            return Errno.ENODEV.neg();
        }
        String sig = nd.dax ? NdPfnSb.DAX_SIG : NdPfnSb.PFN_SIG;
        if (!sig.equals(sb.signature()) || !nd.parentUuid.equals(sb.parentUuid()) || !nd.uuid.equals(sb.uuid())) {
            return Errno.ENODEV.neg();
        }
        if (sb.mode() != PfnMode.RAM && sb.mode() != PfnMode.PMEM) {
            return log.fail(Errno.ENXIO, fn, nd.name + ": info block mode " + sb.mode().sysfsName);
        }
        long offset = sb.dataoff();
        long align = sb.align() != 0 ? sb.align() : (offset == 0 ? 0 : Long.highestOneBit(offset));
        boolean pmem = sb.mode() == PfnMode.PMEM;
        if (pmem && U64.gt(sb.pageSize(), g.pageSize)) {
            return err(log, nd, "init failed, page size mismatch " + sb.pageSize());
        }
        if (pmem && sb.pageStructSize() < PfnDevs.SIZEOF_STRUCT_PAGE) {
            return err(log, nd, "init failed, struct page size mismatch " + sb.pageStructSize());
        }
        if (nd.dax && !PfnDevs.ndSupportedAlignment(g, align)) {
            return err(log, nd, "init failed, alignment mismatch: " + nd.align + ":" + align);
        }
        if (nd.align != align || nd.mode != sb.mode()) {
            return err(log, nd, String.format("init failed, settings mismatch (align 0x%x:0x%x mode %s:%s)",
                    nd.align, align, nd.mode.sysfsName, sb.mode().sysfsName));
        }
        if (U64.gt(align, nd.nsSize)) {
            return err(log, nd, String.format("alignment: 0x%x exceeds capacity 0x%x", align, nd.nsSize));
        }
        if (U64.ge(offset, nd.nsSize)) {
            return err(log, nd, "pfn array size exceeds capacity of " + nd.namespaceName);
        }
        long compat = PfnDevs.memremapCompatAlign(g);
        long dataStart = nd.nsStart + sb.startPad() + offset;
        if ((align != 0 && !U64.isAligned(dataStart, align)) || !U64.isAligned(offset, g.pageSize)) {
            return err(log, nd, String.format("bad offset: 0x%x dax disabled align: 0x%x", offset, align));
        }
        if (!U64.isAligned(nd.nsStart + sb.startPad(), compat)) {
            return err(log, nd, String.format("resource start 0x%x misaligned", nd.nsStart + sb.startPad()));
        }
        if (!U64.isAligned(nd.nsStart + nd.nsSize - sb.endTrunc(), compat)) {
            return err(log, nd, String.format("resource end 0x%x misaligned", nd.nsStart + nd.nsSize - sb.endTrunc()));
        }
        if (PfnDevs.rejectsZeroSizedDevice(g.profile) && U64.ge(offset, nd.nsSize - sb.startPad() - sb.endTrunc())) {
            return err(log, nd, "bad offset with small namespace");
        }
        return 0;
    }

    private static int err(Dmesg log, NdPfn nd, String msg) {
        log.err("nd_pfn_validate", nd.name + ": " + msg);
        return log.fail(Errno.EOPNOTSUPP, "nd_pfn_validate", nd.name + ": " + msg);
    }
}
