package org.vmemsim.plan;

import java.util.List;
import org.vmemsim.arch.Arch;
import org.vmemsim.arch.Geometry;
import org.vmemsim.drivers.nvdimm.Nvdimm;
import org.vmemsim.kernel.MachineSpec;
import org.vmemsim.kernel.RamRange;
import org.vmemsim.util.Sz;
import org.vmemsim.util.U64;

/**
 * Where a plan puts RAM and devices when the user does not say, per architecture, so that one
 * and the same device can be compared across architectures.
 *
 * <pre>
 *   arm64    RAM at 0x4000_0000 (the QEMU virt / most SoC DRAM base)
 *   x86_64   RAM at 0
 *   ppc64    RAM at 0
 *   riscv64  RAM at 0x8000_0000 (the QEMU virt / most SoC DRAM base)
 *   ia64     RAM at 0
 *   devices  from 128 GiB (or the first 1 GiB boundary above RAM), each 1 GiB aligned; when that
 *            would leave the linear-mappable window (riscv64 Sv39: 132 GiB from the DRAM base on
 *            6.11+), from the first 1 GiB boundary above RAM instead
 * </pre>
 *
 * The placement only picks addresses; whether the kernel accepts them is still decided by the model
 * ({@code mhp_range_allowed}), so a device larger than the window fails with the kernel's errno.
 */
public final class PlanMachine {
    /** Where automatically placed devices start: 128 GiB. */
    public static final long DEVICE_BASE = 0x20_0000_0000L;

    private PlanMachine() {}

    /** The physical address of the default RAM range of an architecture. */
    public static long defaultRamStart(Arch arch) {
        return switch (arch) {
            case ARM64 -> 0x4000_0000L;
            case RISCV64 -> 0x8000_0000L;
            case X86_64, PPC64, IA64 -> 0;
        };
    }

    /** The RAM a plan machine gets when none is given: {@link Plan#defaultRamBytes} at the arch's base. */
    public static RamRange defaultRam(Arch arch, long totalDeviceBytes) {
        return new RamRange(defaultRamStart(arch), Plan.defaultRamBytes(totalDeviceBytes), 0);
    }

    /**
     * The physical window {@code [start, end)} the linear map of this machine can reach, before boot:
     * on arm64 and riscv64 the linear map starts at the DRAM base rounded down to the memstart
     * alignment and spans PAGE_END - PAGE_OFFSET; elsewhere it is {@code [0, 2^MAX_PHYSMEM_BITS)}.
     * Returns null when the machine itself is invalid (the spec reports that).
     */
    public static long[] linearWindow(MachineSpec spec) {
        Geometry g;
        try {
            g = spec.validate();
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (spec.arch != Arch.ARM64 && spec.arch != Arch.RISCV64) {
            return new long[] {0, g.maxPhysEnd()};
        }
        long first = -1;
        for (RamRange r : spec.ram) {
            first = first == -1 ? r.start() : U64.min(first, r.start());
        }
        long base = U64.alignDown(first, g.memstartAlign);
        long end = base + g.linearRegionSize();
        return new long[] {base, U64.lt(end, base) ? g.maxPhysEnd() : U64.min(end, g.maxPhysEnd())};
    }

    /**
     * Places the devices as pmem regions of {@code spec} (replacing any): a device with a start keeps
     * it; the others follow each other from {@link #DEVICE_BASE} or the 1 GiB boundary above RAM,
     * lowered to that boundary when the higher start would leave the linear window.
     */
    public static void place(MachineSpec spec, List<Plan.Device> devices) {
        spec.pmem.clear();
        long ramEnd = 0;
        for (RamRange r : spec.ram) {
            ramEnd = U64.max(ramEnd, U64.alignUp(r.end(), Sz.SZ_1G));
        }
        long need = 0;
        for (Plan.Device d : devices) {
            if (d.start() < 0) {
                need += U64.alignUp(U64.alignUp(d.size(), Nvdimm.REGION_ALIGN), Sz.SZ_1G);
            }
        }
        long next = U64.max(DEVICE_BASE, ramEnd);
        long[] w = linearWindow(spec);
        if (w != null && U64.gt(next + need, w[1]) && U64.le(ramEnd + need, w[1])) {
            next = ramEnd;
        }
        for (Plan.Device d : devices) {
            long start = d.start() >= 0 ? d.start() : next;
            long regionSize = U64.alignUp(d.size(), Nvdimm.REGION_ALIGN);
            spec.pmem.add(new RamRange(start, regionSize, 0));
            next = U64.max(next, U64.alignUp(start + regionSize, Sz.SZ_1G));
        }
    }
}
