package org.vmemsim.drivers.nvdimm;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.UUID;
import org.vmemsim.util.U64;

/**
 * {@code struct nd_pfn} ({@code drivers/nvdimm/nd.h}) together with the namespace it claims: the
 * mutable state of one fsdax (pfn) or device-dax (dax) personality of a pmem namespace.
 *
 * <p>The namespace is a label-less {@code nd_namespace_io} (as on QEMU and most arm64 machines):
 * a physical range {@code [nsStart, nsStart + nsSize)} inside region {@link #regionId()}.
 * {@link #sb} models the info block on the media: null until {@code nd_pfn_init} writes one.
 *
 * <p>uuids are derived from the device names (name-based, RFC 4122 version 3), never random, so
 * every run prints the same {@code ndctl} output.
 */
public final class NdPfn {
    /** Device name: {@code pfnR.N} for fsdax, {@code daxR.N} for devdax. */
    public final String name;
    /** {@code is_nd_dax()}: a device-dax personality (DAX_SIG info block, char device). */
    public final boolean dax;
    /** The claimed namespace, {@code namespaceR.N}. */
    public final String namespaceName;
    /** {@code nsio->res.start}. */
    public final long nsStart;
    /** {@code resource_size(&nsio->res)}. */
    public final long nsSize;
    /** {@code nd_pfn->uuid}. */
    public final UUID uuid;
    /** {@code nd_dev_to_uuid(&ndns->dev)}: all zero for a label-less namespace. */
    public final UUID parentUuid;
    /** {@code nd_pfn->mode}. */
    public PfnMode mode;
    /** {@code nd_pfn->align}: the requested mapping alignment in bytes. */
    public long align;
    /** {@code nd_region->ro}: the region is read-only (no info block can be written). */
    public boolean readOnly;
    /** The info block on the media ({@code nd_pfn->pfn_sb}); null while none was written. */
    public NdPfnSb sb;
    /** {@code nd_pfn->npfns}. */
    public long npfns;

    /**
     * @throws IllegalArgumentException naming the values when the namespace is empty or passes 2^64
     */
    public NdPfn(String name, boolean dax, String namespaceName, long nsStart, long nsSize, PfnMode mode, long align) {
        if (nsSize == 0) {
            throw new IllegalArgumentException(namespaceName + ": empty namespace");
        }
        U64.end(nsStart, nsSize); // throws when [start, start + size) passes 2^64
        this.name = Objects.requireNonNull(name);
        this.dax = dax;
        this.namespaceName = Objects.requireNonNull(namespaceName);
        this.nsStart = nsStart;
        this.nsSize = nsSize;
        this.mode = Objects.requireNonNull(mode);
        this.align = align;
        this.uuid = nameUuid("vmemsim:" + namespaceName + ":" + name);
        this.parentUuid = new UUID(0, 0);
    }

    /** An fsdax device {@code pfnR.N} on {@code namespaceR.N}. */
    public static NdPfn fsdax(int region, int id, long nsStart, long nsSize, PfnMode mode, long align) {
        return new NdPfn("pfn" + region + "." + id, false, "namespace" + region + "." + id, nsStart, nsSize, mode, align);
    }

    /** A device-dax device {@code daxR.N} on {@code namespaceR.N}. */
    public static NdPfn devdax(int region, int id, long nsStart, long nsSize, PfnMode mode, long align) {
        return new NdPfn("dax" + region + "." + id, true, "namespace" + region + "." + id, nsStart, nsSize, mode, align);
    }

    /** A deterministic uuid for a name (version 3, MD5 of the UTF-8 bytes). */
    public static UUID nameUuid(String name) {
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code nsio->res.end}: the namespace's last byte. */
    public long nsEndInclusive() {
        return nsStart + nsSize - 1;
    }

    /** The region number R of {@code namespaceR.N} (0 when the name has another form). */
    public int regionId() {
        return nameNumber(0);
    }

    /** The namespace number N of {@code namespaceR.N}. */
    public int namespaceId() {
        return nameNumber(1);
    }

    /** {@code dev_name(&nd_region->dev)}. */
    public String regionName() {
        return "region" + regionId();
    }

    private int nameNumber(int part) {
        String digits = namespaceName.replaceFirst("^[a-z]+", "");
        String[] parts = digits.split("\\.");
        try {
            return parts.length > part ? Integer.parseInt(parts[part]) : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** A deep copy, for before/after comparisons of failed operations. */
    public NdPfn copy() {
        NdPfn c = new NdPfn(name, dax, namespaceName, nsStart, nsSize, mode, align);
        c.readOnly = readOnly;
        c.sb = sb;
        c.npfns = npfns;
        return c;
    }

    /** True when every field equals {@code o}'s (the info block compared by value). */
    public boolean sameState(NdPfn o) {
        return o != null && name.equals(o.name) && dax == o.dax && namespaceName.equals(o.namespaceName)
                && nsStart == o.nsStart && nsSize == o.nsSize && uuid.equals(o.uuid) && parentUuid.equals(o.parentUuid)
                && mode == o.mode && align == o.align && readOnly == o.readOnly && Objects.equals(sb, o.sb)
                && npfns == o.npfns;
    }

    @Override
    public String toString() {
        return String.format("%s{%s [0x%x+0x%x] mode=%s align=0x%x%s npfns=%d}", name, namespaceName, nsStart, nsSize,
                mode.sysfsName, align, readOnly ? " ro" : "", npfns);
    }
}
