package org.vmemsim.mm.sparse;

/**
 * {@code struct mem_section} ({@code include/linux/mmzone.h}). The encoded memmap pointer is not
 * stored: with SPARSEMEM_VMEMMAP it is always the vmemmap address of the section's first pfn, so
 * only the flag bits of {@code section_mem_map} and the usage map are kept.
 */
public final class MemSection {
    public static final int SECTION_MARKED_PRESENT = 1;
    public static final int SECTION_HAS_MEM_MAP = 1 << 1;
    public static final int SECTION_IS_ONLINE = 1 << 2;
    public static final int SECTION_IS_EARLY = 1 << 3;
    public static final int SECTION_TAINT_ZONE_DEVICE = 1 << 4;

    /** Flag bits of section_mem_map. */
    public int flags;
    public MemSectionUsage usage;
    /** Node the section was added on (section_to_node_table / page flags). */
    public int nid = -1;

    public boolean present() {
        return (flags & SECTION_MARKED_PRESENT) != 0;
    }

    public boolean valid() {
        return (flags & SECTION_HAS_MEM_MAP) != 0;
    }

    public boolean online() {
        return (flags & SECTION_IS_ONLINE) != 0;
    }

    public boolean early() {
        return (flags & SECTION_IS_EARLY) != 0;
    }

    public MemSection copy() {
        MemSection c = new MemSection();
        c.flags = flags;
        c.usage = usage == null ? null : usage.copy();
        c.nid = nid;
        return c;
    }

    public boolean sameState(MemSection o) {
        if (o == null) {
            return flags == 0 && usage == null;
        }
        if (flags != o.flags || nid != o.nid) {
            return false;
        }
        return usage == null ? o.usage == null : usage.sameState(o.usage);
    }
}
