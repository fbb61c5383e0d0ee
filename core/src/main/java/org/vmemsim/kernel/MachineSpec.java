package org.vmemsim.kernel;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.vmemsim.arch.Arch;
import org.vmemsim.arch.Geometry;
import org.vmemsim.arch.Granule;
import org.vmemsim.arch.KernelProfile;
import org.vmemsim.arch.arm64.Arm64Geometry;
import org.vmemsim.arch.ppc64.Ppc64Geometry;
import org.vmemsim.arch.ia64.Ia64Geometry;
import org.vmemsim.arch.riscv.RiscvGeometry;
import org.vmemsim.arch.x86.X86Geometry;
import org.vmemsim.util.Sz;
import org.vmemsim.util.U64;

/**
 * The description of a machine to boot: architecture, granule, VA size, kernel profile, kernel
 * command-line switches and the boot RAM per node. {@link #validate()} checks it and builds the
 * geometry; every problem is reported as one line naming the value and the rule.
 */
public final class MachineSpec {
    public static final int MAX_NUMNODES = 64;

    public Arch arch = Arch.ARM64;
    public Granule granule = Granule.G4K;
    public Integer vaBits; // null: the granule's default
    public KernelProfile profile = KernelProfile.MAINLINE;
    /** arm64 rodata_full (CONFIG_RODATA_FULL_DEFAULT_ENABLED=y makes it true; "rodata=on" makes it false); ignored on x86_64. */
    public boolean rodataFull = true;
    /** memory_hotplug.memmap_on_memory: "N", "Y" or "force". */
    public String memmapOnMemory = "N";
    public final List<RamRange> ram = new ArrayList<>();
    /** Persistent-memory regions (NVDIMM / CXL pmem), one libnvdimm region each. */
    public final List<RamRange> pmem = new ArrayList<>();

    /** The default machine: arm64, 4K, 48-bit VA, mainline, 4 GiB of RAM at 0x4000_0000. */
    public static MachineSpec defaults() {
        MachineSpec m = new MachineSpec();
        m.ram.add(new RamRange(0x4000_0000L, Sz.SZ_4G, 0));
        return m;
    }

    /** The granule a machine gets when none is named: 64K on ppc64 (radix 64K), else 4K. */
    public static Granule defaultGranule(Arch arch) {
        return switch (arch) {
            case PPC64 -> Granule.G64K;
            case IA64 -> Granule.G16K; // CONFIG_IA64_PAGE_SIZE_16KB, the default
            default -> Granule.G4K;
        };
    }

    public int effectiveVaBits() {
        if (vaBits != null) {
            return vaBits;
        }
        return switch (arch) {
            case X86_64 -> X86Geometry.defaultVaBits();
            case PPC64 -> Ppc64Geometry.defaultVaBits();
            case RISCV64 -> RiscvGeometry.defaultVaBits();
            case IA64 -> Ia64Geometry.defaultVaBits(granule);
            case ARM64 -> Arm64Geometry.defaultVaBits(granule);
        };
    }

    /**
     * Validates the description and returns its geometry.
     *
     * @throws IllegalArgumentException with one line naming the offending value and the rule
     */
    public Geometry validate() {
        Geometry g = switch (arch) {
            case ARM64 -> Arm64Geometry.of(granule, effectiveVaBits(), profile);
            case X86_64 -> X86Geometry.of(granule, effectiveVaBits(), profile);
            case PPC64 -> Ppc64Geometry.of(granule, effectiveVaBits(), profile);
            case RISCV64 -> RiscvGeometry.of(granule, effectiveVaBits(), profile);
            case IA64 -> Ia64Geometry.of(granule, effectiveVaBits(), profile);
        };
        if (!memmapOnMemory.equals("N") && !memmapOnMemory.equals("Y") && !memmapOnMemory.equals("force")) {
            throw new IllegalArgumentException("memmap_on_memory '" + memmapOnMemory + "' must be N, Y or force");
        }
        if (ram.isEmpty()) {
            throw new IllegalArgumentException("the machine has no RAM (give at least one --ram SIZE@ADDR)");
        }
        List<RamRange> sorted = new ArrayList<>(ram);
        sorted.sort(Comparator.comparing(RamRange::start, Long::compareUnsigned));
        for (RamRange r : sorted) {
            if (r.size() == 0) {
                throw new IllegalArgumentException("RAM range " + r + " has size 0");
            }
            if (r.node() < 0 || r.node() >= MAX_NUMNODES) {
                throw new IllegalArgumentException("RAM range " + r + ": node " + r.node() + " is outside 0.." + (MAX_NUMNODES - 1));
            }
            if (!U64.isAligned(r.start(), g.pageSize) || !U64.isAligned(r.size(), g.pageSize)) {
                throw new IllegalArgumentException("RAM range " + r + " is not aligned to the " + granule.label()
                        + " page size (start and size must be multiples of " + g.pageSize + ")");
            }
            if (U64.endOverflows(r.start(), r.size())) {
                throw new IllegalArgumentException("RAM range " + r + " passes the end of the 64-bit address space");
            }
            if (U64.gt(r.end(), g.maxPhysEnd())) {
                throw new IllegalArgumentException("RAM range " + r + " ends at " + U64.hex(r.end())
                        + ", beyond MAX_PHYSMEM_BITS=" + g.maxPhysmemBits + " (limit " + U64.hex(g.maxPhysEnd()) + ")");
            }
        }
        for (int i = 1; i < sorted.size(); i++) {
            RamRange a = sorted.get(i - 1);
            RamRange b = sorted.get(i);
            if (U64.lt(b.start(), a.end())) {
                throw new IllegalArgumentException("RAM ranges " + a + " and " + b + " overlap");
            }
        }
        for (RamRange d : pmem) {
            if (d.size() == 0 || !U64.isAligned(d.start(), g.pageSize) || !U64.isAligned(d.size(), g.pageSize)) {
                throw new IllegalArgumentException("pmem region " + d + " must be non-empty and " + granule.label() + "-page aligned");
            }
            if (U64.endOverflows(d.start(), d.size()) || U64.gt(d.end(), g.maxPhysEnd())) {
                throw new IllegalArgumentException("pmem region " + d + " ends beyond MAX_PHYSMEM_BITS=" + g.maxPhysmemBits);
            }
            for (RamRange r : sorted) {
                if (U64.overlaps(d.start(), d.end(), r.start(), r.end())) {
                    throw new IllegalArgumentException("pmem region " + d + " overlaps RAM range " + r);
                }
            }
            for (RamRange o : pmem) {
                if (o != d && U64.overlaps(d.start(), d.end(), o.start(), o.end())) {
                    throw new IllegalArgumentException("pmem regions " + d + " and " + o + " overlap");
                }
            }
        }
        // x86 and powerpc have no memstart_addr: the linear map starts at physical 0
        long memstart = arch != Arch.ARM64 ? 0 : U64.alignDown(sorted.get(0).start(), g.memstartAlign);
        long lastEnd = sorted.get(sorted.size() - 1).end();
        if (U64.gt(lastEnd - memstart, g.linearRegionSize())) {
            throw new IllegalArgumentException("RAM spans " + U64.hex(memstart) + ".." + U64.hex(lastEnd)
                    + ", more than the " + Sz.human(g.linearRegionSize()) + " linear map of a " + effectiveVaBits() + "-bit VA");
        }
        return g;
    }

    /** A short human description, e.g. "arm64 4K VA48 mainline rodata_full=1 RAM 4G@0x40000000". */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append(arch.label).append(' ').append(granule.label()).append(" VA").append(effectiveVaBits())
                .append(' ').append(profile.label);
        if (arch == Arch.ARM64) {
            sb.append(" rodata_full=").append(rodataFull ? 1 : 0);
        }
        sb.append(" RAM");
        for (RamRange r : ram) {
            sb.append(' ').append(r);
        }
        for (RamRange d : pmem) {
            sb.append(" pmem ").append(d);
        }
        return sb.toString();
    }
}
