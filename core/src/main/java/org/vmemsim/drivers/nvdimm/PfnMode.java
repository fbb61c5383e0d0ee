package org.vmemsim.drivers.nvdimm;

import java.util.Locale;

/**
 * {@code enum nd_pfn_mode} ({@code drivers/nvdimm/nd.h}): where a pfn/dax device keeps the memmap of
 * its data pages.
 *
 * <p>Three spellings exist for each value: the on-media/kernel number ({@link #value}), the sysfs
 * {@code mode} attribute ({@link #sysfsName}, {@code mode_show} in {@code drivers/nvdimm/pfn_devs.c})
 * and ndctl's {@code --map} / JSON {@code "map"} name ({@link #ndctlMap}).
 */
public enum PfnMode {
    /** No mode chosen yet: {@code nd_pfn_devinit} starts here; {@code nd_pfn_init} refuses it. */
    NONE(0, "none", "none"),
    /** {@code --map=mem}: the memmap lives in system RAM, no vmem_altmap. */
    RAM(1, "ram", "mem"),
    /** {@code --map=dev}: the memmap lives on the device itself, described by a vmem_altmap. */
    PMEM(2, "pmem", "dev");

    /** The value stored in {@code nd_pfn_sb.mode}. */
    public final int value;
    /** The sysfs {@code mode} attribute spelling. */
    public final String sysfsName;
    /** ndctl's {@code --map} argument and JSON {@code "map"} value. */
    public final String ndctlMap;

    PfnMode(int value, String sysfsName, String ndctlMap) {
        this.value = value;
        this.sysfsName = sysfsName;
        this.ndctlMap = ndctlMap;
    }

    /** The mode with on-media number {@code value}, or null for a number the kernel does not know. */
    public static PfnMode ofValue(int value) {
        for (PfnMode m : values()) {
            if (m.value == value) {
                return m;
            }
        }
        return null;
    }

    /** Parses an ndctl {@code --map} value ("dev", "mem") or a sysfs spelling ("pmem", "ram", "none"). */
    public static PfnMode parse(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        for (PfnMode m : values()) {
            if (m.ndctlMap.equals(s) || m.sysfsName.equals(s)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown pfn map mode '" + text + "' (valid: dev, mem)");
    }
}
