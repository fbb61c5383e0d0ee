package org.vmemsim.arch.arm64;

import java.util.ArrayList;
import java.util.List;
import org.vmemsim.arch.Geometry;
import org.vmemsim.util.Sz;
import org.vmemsim.util.U64;

/**
 * The {@code address_markers[]} of {@code arch/arm64/mm/ptdump.c} for each kernel VA layout,
 * computed from {@link Geometry} alone (no KASAN, no KASLR), with the region constants of
 * {@code arch/arm64/include/asm/memory.h} and {@code pgtable.h} of that layout.
 *
 * <pre>
 * 5.8/5.9 (vmemmap at the top, modules after a 128M BPF region, no BPF marker before v5.10):
 *   [linear PAGE_OFFSET..PAGE_END) [BPF 128M][modules 128M][vmalloc .. -PUD_SIZE-VMEMMAP_SIZE-64K)
 *   ... fixmap ... [PCI I/O 16M] 2M [vmemmap VMEMMAP_SIZE] 2M
 * 6.1 (v5.11..v6.8; modules 128M since BPF moved out in v5.15):
 *   [linear] [modules 128M][vmalloc .. VMEMMAP_START-256M) ... fixmap ... [PCI I/O 16M] 8M [vmemmap]
 * 6.12, mainline (v6.9 reorganisation; modules 2G since v6.5):
 *   [linear] [modules 2G][vmalloc .. VMEMMAP_START-8M) 8M [vmemmap .. -1G) 8M [PCI I/O 16M] ... fixmap
 * </pre>
 * The "Fixmap start"/"Fixmap end" pair is left out: FIXADDR_TOT_START depends on the fixmap slot
 * count of the kernel configuration (early ioremap slots, GHES, entry trampoline), which Geometry
 * does not describe. "Kasan shadow start/end" are left out because vmemsim models no KASAN.
 */
final class Arm64PtdumpMarkers {
    private Arm64PtdumpMarkers() {}

    /** SZ_8M (not in {@link Sz}): the guard gaps around vmemmap and PCI I/O from v5.11. */
    static final long SZ_8M = 1L << 23;
    /** PCI_IO_SIZE. */
    static final long PCI_IO_SIZE = Sz.SZ_16M;

    /**
     * Markers in the kernel's order (which is ascending VA order).
     *
     * @kernel arch/arm64/mm/ptdump.c: ptdump_init (address_markers[])
     */
    static List<Arm64Ptdump.Marker> of(Geometry g) {
        // _PAGE_END(VA_BITS_MIN): VMEMMAP_SIZE covers exactly [PAGE_OFFSET, _PAGE_END(VA_BITS_MIN)).
        long pageEndMin = g.pageOffset + (g.vmemmapSize << (g.pageShift - Geometry.STRUCT_PAGE_SHIFT));
        List<Arm64Ptdump.Marker> m = new ArrayList<>();
        m.add(new Arm64Ptdump.Marker(g.pageOffset, "Linear Mapping start"));
        m.add(new Arm64Ptdump.Marker(g.pageEnd, "Linear Mapping end"));
        switch (g.profile.vmemmapLayout()) {
            case E5_4 -> {
                // BPF_JIT_REGION_START = KASAN_SHADOW_END = _PAGE_END(VA_BITS_MIN) without KASAN
                long modules = pageEndMin + Sz.SZ_128M;
                long modulesEnd = modules + Sz.SZ_128M;
                // PUD_SIZE is PGDIR_SIZE when the pud level is folded (2 levels)
                long pudSize = g.levels >= 3 ? g.pudSize : g.entrySpan(0);
                long vmallocEnd = -pudSize - g.vmemmapSize - Sz.SZ_64K;
                long pciEnd = g.vmemmapStart - Sz.SZ_2M;
                addModulesVmalloc(m, modules, modulesEnd, vmallocEnd);
                m.add(new Arm64Ptdump.Marker(pciEnd - PCI_IO_SIZE, "PCI I/O start"));
                m.add(new Arm64Ptdump.Marker(pciEnd, "PCI I/O end"));
                addVmemmap(m, g);
            }
            case V5_11 -> {
                long modulesEnd = pageEndMin + Sz.SZ_128M;
                long vmallocEnd = g.vmemmapStart - Sz.SZ_256M;
                long pciEnd = g.vmemmapStart - SZ_8M;
                addModulesVmalloc(m, pageEndMin, modulesEnd, vmallocEnd);
                m.add(new Arm64Ptdump.Marker(pciEnd - PCI_IO_SIZE, "PCI I/O start"));
                m.add(new Arm64Ptdump.Marker(pciEnd, "PCI I/O end"));
                addVmemmap(m, g);
            }
            case V6_9 -> {
                long modulesEnd = pageEndMin + Sz.SZ_2G;
                // VMALLOC_END with vabits_actual == VA_BITS (VMEMMAP_UNUSED_NPAGES = 0)
                long vmallocEnd = g.vmemmapStart - SZ_8M;
                long pciStart = g.vmemmapEnd + SZ_8M;
                addModulesVmalloc(m, pageEndMin, modulesEnd, vmallocEnd);
                addVmemmap(m, g);
                m.add(new Arm64Ptdump.Marker(pciStart, "PCI I/O start"));
                m.add(new Arm64Ptdump.Marker(pciStart + PCI_IO_SIZE, "PCI I/O end"));
            }
        }
        for (int i = 1; i < m.size(); i++) {
            if (U64.lt(m.get(i).va(), m.get(i - 1).va())) {
                throw new IllegalStateException(String.format("ptdump markers out of order for %s: %s at 0x%016x"
                        + " below %s at 0x%016x", g, m.get(i).name(), m.get(i).va(), m.get(i - 1).name(),
                        m.get(i - 1).va()));
            }
        }
        return List.copyOf(m);
    }

    private static void addModulesVmalloc(List<Arm64Ptdump.Marker> m, long modules, long modulesEnd,
                                          long vmallocEnd) {
        m.add(new Arm64Ptdump.Marker(modules, "Modules start"));
        m.add(new Arm64Ptdump.Marker(modulesEnd, "Modules end"));
        // VMALLOC_START = MODULES_END in every profile modelled
        m.add(new Arm64Ptdump.Marker(modulesEnd, "vmalloc() area"));
        m.add(new Arm64Ptdump.Marker(vmallocEnd, "vmalloc() end"));
    }

    private static void addVmemmap(List<Arm64Ptdump.Marker> m, Geometry g) {
        m.add(new Arm64Ptdump.Marker(g.vmemmapStart, "vmemmap start"));
        m.add(new Arm64Ptdump.Marker(g.vmemmapEnd, "vmemmap end"));
    }
}
