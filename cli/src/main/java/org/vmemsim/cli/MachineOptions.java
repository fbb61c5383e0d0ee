package org.vmemsim.cli;

import java.util.ArrayList;
import java.util.List;
import org.vmemsim.arch.Arch;
import org.vmemsim.arch.Granule;
import org.vmemsim.arch.KernelProfile;
import org.vmemsim.kernel.MachineSpec;
import org.vmemsim.kernel.RamRange;
import picocli.CommandLine.Option;

/**
 * The options that describe a machine, shared by every command that boots one (a picocli mixin).
 * {@link #toSpec()} only copies them into a {@link MachineSpec}; checking is the spec's job.
 */
public final class MachineOptions {
    @Option(names = "--arch", paramLabel = "ARCH", defaultValue = "arm64",
            description = "Architecture: arm64, x86_64, ppc64 (radix MMU), riscv64 or ia64 (default: ${DEFAULT-VALUE}).")
    Arch arch;

    @Option(names = "--granule", paramLabel = "SIZE",
            description = "Translation granule (base page size): 4K, 16K or 64K (default: 4K; 64K on ppc64, 16K on ia64).")
    Granule granule;

    @Option(names = "--va-bits", paramLabel = "BITS",
            description = {"Kernel VA size in bits (default per arch: arm64 48 for 4K and 64K, 47 for 16K;",
                "x86_64 48; ppc64 52; riscv64 39 (Sv39); ia64 47 for 16K, 55 for 64K)."})
    Integer vaBits;

    @Option(names = "--kernel", paramLabel = "PROFILE", defaultValue = "mainline",
            description = "Kernel profile: 5.8, 5.9, 6.1, 6.12 or mainline (default: ${DEFAULT-VALUE}).")
    KernelProfile kernel;

    @Option(names = "--ram", paramLabel = "SIZE@ADDR[:NODE]",
            description = {"Boot RAM range on a NUMA node, e.g. 4G@0x40000000 or 2G@0x1_0000_0000:1;",
                "repeat for more ranges (default: one range 4G@0x40000000 on node 0)."})
    List<RamRange> ram = new ArrayList<>();

    @Option(names = "--pmem", paramLabel = "SIZE@ADDR[:NODE]",
            description = "A persistent-memory (NVDIMM/CXL pmem) region; repeat for more.")
    List<RamRange> pmem = new ArrayList<>();

    @Option(names = "--memmap-on-memory", paramLabel = "N|Y|force", defaultValue = "N",
            description = "memory_hotplug.memmap_on_memory (default: ${DEFAULT-VALUE}).")
    String memmapOnMemory;

    @Option(names = "--rodata-full", paramLabel = "true|false", arity = "1", defaultValue = "true",
            description = "rodata_full: map the linear map at page granularity (default: ${DEFAULT-VALUE}).")
    boolean rodataFull;

    /** The machine these options describe (not yet validated). */
    public MachineSpec toSpec() {
        MachineSpec spec = MachineSpec.defaults();
        spec.arch = arch;
        spec.granule = granule != null ? granule : MachineSpec.defaultGranule(arch);
        spec.vaBits = vaBits;
        spec.profile = kernel;
        spec.rodataFull = rodataFull;
        spec.memmapOnMemory = memmapOnMemory;
        spec.pmem.addAll(pmem);
        if (!ram.isEmpty()) {
            spec.ram.clear();
            spec.ram.addAll(ram);
        }
        return spec;
    }
}
