package org.vmemsim.mm.hotplug;

import org.vmemsim.arch.Geometry;
import org.vmemsim.arch.KernelProfile;
import org.vmemsim.util.U64;

/**
 * memmap_on_memory ({@code mm/memory_hotplug.c}): the {@code memory_hotplug.memmap_on_memory}
 * module parameter and the tests deciding whether hot-added RAM may host its own memmap.
 *
 * <p>Per profile ({@link KernelProfile#memmapOnMemory()}):
 * <ul>
 *   <li>NONE (5.8, 5.9): the parameter does not exist; never supported.</li>
 *   <li>SINGLE_BLOCK (v5.13..v6.5, profile 6.1): {@code mhp_supports_memmap_on_memory(size)} — only an
 *       add of exactly one memory block whose memmap fills whole PMDs and leaves whole pageblocks;
 *       "force" is not a value of the parameter (a bool there: vmemsim reads it as Y).</li>
 *   <li>PER_BLOCK (v6.6+, profiles 6.12 and mainline): {@code mhp_supports_memmap_on_memory()} with no
 *       size, per-block altmaps of {@link #memoryBlockMemmapOnMemoryPages()} pages; "force" rounds
 *       those pages up to a pageblock.</li>
 * </ul>
 * arm64 keeps the default {@code arch_supports_memmap_on_memory}: the memmap of a block must be a
 * multiple of PMD_SIZE. 4K: 128 MiB block → 2 MiB memmap = one PMD → supported. 16K: 128 MiB → 512 KiB,
 * not a multiple of 32 MiB → refused; 64K: 512 MiB → 512 KiB, not a multiple of 512 MiB → refused,
 * with or without "force".
 */
public final class MemmapOnMemory {
    /** The parameter's value. */
    public enum Mode {
        DISABLE("N"), ENABLE("Y"), FORCE("force");

        public final String label;

        Mode(String label) {
            this.label = label;
        }

        /**
         * Parses the command-line value: "force"/"FORCE", or a kernel bool (Y/N/1/0/on/off).
         *
         * @kernel mm/memory_hotplug.c: set_memmap_mode
         */
        public static Mode parse(String text) {
            String s = text.trim();
            if (s.equals("force") || s.equals("FORCE")) {
                return FORCE;
            }
            return switch (s.toLowerCase(java.util.Locale.ROOT)) {
                case "y", "1", "on", "yes", "true" -> ENABLE;
                case "n", "0", "off", "no", "false" -> DISABLE;
                default -> throw new IllegalArgumentException("memmap_on_memory '" + text + "' must be N, Y or force");
            };
        }
    }

    private final Geometry g;
    private final KernelProfile.MemmapOnMemory flavour;
    private final Mode mode;

    public MemmapOnMemory(Geometry g, String param) {
        this.g = g;
        this.flavour = g.profile.memmapOnMemory();
        Mode m = Mode.parse(param);
        // 6.1's parameter is a bool: "force" is not accepted there; vmemsim reads it as enabled.
        if (flavour == KernelProfile.MemmapOnMemory.SINGLE_BLOCK && m == Mode.FORCE) {
            m = Mode.ENABLE;
        }
        // ia64 never selects ARCH_MHP_MEMMAP_ON_MEMORY_ENABLE: the parameter does not exist there
        this.mode = flavour == KernelProfile.MemmapOnMemory.NONE || g.arch == org.vmemsim.arch.Arch.IA64 ? Mode.DISABLE : m;
    }

    public Mode mode() {
        return mode;
    }

    public KernelProfile.MemmapOnMemory flavour() {
        return flavour;
    }

    /** @kernel mm/memory_hotplug.c: mhp_memmap_on_memory */
    public boolean mhpMemmapOnMemory() {
        return mode != Mode.DISABLE;
    }

    /** Bytes of memmap of one memory block. @kernel mm/memory_hotplug.c: memory_block_memmap_size */
    public long memoryBlockMemmapSize() {
        return (g.memoryBlockSize >>> g.pageShift) * Geometry.STRUCT_PAGE_SIZE;
    }

    /**
     * Pages reserved at the start of each block for its memmap; rounded up to a pageblock in force
     * mode.
     *
     * @kernel mm/memory_hotplug.c: memory_block_memmap_on_memory_pages
     */
    public long memoryBlockMemmapOnMemoryPages() {
        long nrPages = U64.divRoundUp(memoryBlockMemmapSize(), g.pageSize);
        if (mode == Mode.FORCE) {
            return U64.alignUp(nrPages, 1L << g.pageblockOrder);
        }
        return nrPages;
    }

    /** arm64 uses the generic rule: the memmap spans whole PMDs. @kernel mm/memory_hotplug.c: arch_supports_memmap_on_memory */
    public boolean archSupportsMemmapOnMemory(long vmemmapSize) {
        return U64.isAligned(vmemmapSize, g.pmdSize);
    }

    /**
     * v6.6+: whether hot-added memory blocks may host their memmap.
     *
     * @kernel mm/memory_hotplug.c: mhp_supports_memmap_on_memory
     */
    public boolean mhpSupportsMemmapOnMemory() {
        long vmemmapSize = memoryBlockMemmapSize();
        long memmapPages = memoryBlockMemmapOnMemoryPages();
        if (!mhpMemmapOnMemory()) {
            return false;
        }
        if (!U64.isAligned(vmemmapSize, g.pageSize)) {
            return false;
        }
        if (!U64.isAligned(memmapPages, 1L << g.pageblockOrder)) {
            return false;
        }
        if (memmapPages == g.memoryBlockSize >>> g.pageShift) {
            return false;
        }
        return archSupportsMemmapOnMemory(vmemmapSize);
    }

    /**
     * v5.13..v6.5: whether an add of {@code size} bytes may host its memmap — only exactly one
     * memory block, memmap a PMD multiple, the rest whole pageblocks.
     *
     * @kernel mm/memory_hotplug.c: mhp_supports_memmap_on_memory (6.1, with size)
     */
    public boolean mhpSupportsMemmapOnMemory(long size) {
        long vmemmapSize = (size >>> g.pageShift) * Geometry.STRUCT_PAGE_SIZE;
        long remaining = size - vmemmapSize;
        return mhpMemmapOnMemory() && size == g.memoryBlockSize && U64.isAligned(vmemmapSize, g.pmdSize)
                && U64.isAligned(remaining, g.pageSize << g.pageblockOrder);
    }

    /** The profile's variant: {@code size} is used only by the single-block (6.1) rule. */
    public boolean supports(long size) {
        return switch (flavour) {
            case NONE -> false;
            case SINGLE_BLOCK -> mhpSupportsMemmapOnMemory(size);
            case PER_BLOCK -> mhpSupportsMemmapOnMemory();
        };
    }
}
