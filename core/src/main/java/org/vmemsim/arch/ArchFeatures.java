package org.vmemsim.arch;

/**
 * Which memory hot-plug features a kernel of one profile can be built with on one architecture:
 * {@code CONFIG_MEMORY_HOTPLUG} (needs {@code ARCH_ENABLE_MEMORY_HOTPLUG}) and {@code CONFIG_ZONE_DEVICE}
 * (needs {@code ARCH_HAS_PTE_DEVMAP} in the profiles modelled here, {@code mm/Kconfig}). Each query
 * returns null when the feature exists, else the one-line reason a request fails.
 *
 * <ul>
 *   <li>arm64, x86_64: both, in every modelled profile.</li>
 *   <li>riscv64: both from v6.11 (series "riscv: Memory Hot(Un)Plug support": f8c2a240556e enables
 *       hot-plug, 216e04bf1e4d ZONE_DEVICE); absent in 5.8, 5.9 and 6.1.</li>
 *   <li>ia64: hot-plug yes (ARCH_ENABLE_MEMORY_HOTPLUG/HOTREMOVE); ZONE_DEVICE never (ia64 does not select
 *       ARCH_HAS_PTE_DEVMAP).</li>
 * </ul>
 */
public final class ArchFeatures {
    private ArchFeatures() {}

    /** Null when add_memory/remove_memory exist; else why not. */
    public static String memoryHotplugUnavailable(Arch arch, KernelProfile p) {
        if (arch == Arch.RISCV64 && p.ordinal100 < 611) {
            return "CONFIG_MEMORY_HOTPLUG not available on riscv64 before 6.11 (kernel " + p.label + ")";
        }
        return null;
    }

    /** Null when memremap_pages (ZONE_DEVICE) exists; else why not. */
    public static String zoneDeviceUnavailable(Arch arch, KernelProfile p) {
        if (arch == Arch.RISCV64 && p.ordinal100 < 611) {
            return "CONFIG_ZONE_DEVICE not available on riscv64 before 6.11 (kernel " + p.label + ")";
        }
        if (arch == Arch.IA64) {
            return "CONFIG_ZONE_DEVICE not available on ia64 (no ARCH_HAS_PTE_DEVMAP)";
        }
        return null;
    }
}
