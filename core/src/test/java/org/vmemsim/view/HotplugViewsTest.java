package org.vmemsim.view;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vmemsim.arch.KernelProfile;
import org.vmemsim.kernel.Kernel;
import org.vmemsim.kernel.MachineSpec;
import org.vmemsim.mm.alloc.ZoneType;

/** /proc/iomem, lsmem and memoryN sysfs views of the hot-plug state. */
class HotplugViewsTest {
    static final long HOT_BASE = 0x20_0000_0000L;

    @Test
    void iomem_bootSystemRamWithIndentedChildren() {
        Kernel k = Kernel.boot(MachineSpec.defaults());
        List<String> lines = IomemView.lines(k);
        assertThat(lines.get(0)).isEqualTo("40000000-13fffffff : System RAM");
        assertThat(lines.subList(1, lines.size())).allMatch(l -> l.startsWith("  ") && l.endsWith(" : reserved"));
    }

    @Test
    void lsmem_bootAndHotAddedRanges() {
        Kernel k = Kernel.boot(MachineSpec.defaults());
        assertThat(k.hotplugActions.addMemory(HOT_BASE, 3L << 27, 0, false)).isZero();
        assertThat(k.hotplugActions.online(HOT_BASE >>> 27, ZoneType.MOVABLE)).isZero();
        String out = MemoryBlocksView.lsmem(k);
        assertThat(out.lines().findFirst().orElseThrow()).matches("RANGE +SIZE +STATE REMOVABLE +BLOCK");
        assertThat(out).containsPattern("0x0000000040000000-0x000000013fffffff +4G +online +yes +8-39\n");
        assertThat(out).containsPattern("0x0000002000000000-0x0000002007ffffff +128M +online +yes +1024\n");
        assertThat(out).containsPattern("0x0000002008000000-0x0000002017ffffff +256M +offline +yes +1025-1026\n");
        assertThat(out).contains("Memory block size:       128M\n").contains("Total online memory:     4.1G\n")
                .contains("Total offline memory:    256M\n");
    }

    @Test
    void sysfs_memoryBlockAttributes() {
        Kernel k = Kernel.boot(MachineSpec.defaults());
        assertThat(k.hotplugActions.addMemory(HOT_BASE, 1L << 27, 0, false)).isZero();
        Map<String, Object> sys = MemoryBlocksView.sysfs(k);
        assertThat(sys.get("block_size_bytes")).isEqualTo("8000000");
        assertThat(sys.get("memory8")).isEqualTo(Map.of("state", "online", "online", "1", "phys_index", "00000008",
                "phys_device", "0", "removable", "1", "valid_zones", "Normal", "node", "0"));
        @SuppressWarnings("unchecked")
        Map<String, String> hot = (Map<String, String>) sys.get("memory1024");
        assertThat(hot).containsEntry("state", "offline").containsEntry("phys_index", "00000400")
                .containsEntry("valid_zones", "Normal Movable");
    }

    @Test
    void vmstat_onlyFrom611() {
        MachineSpec s = MachineSpec.defaults();
        s.profile = KernelProfile.V6_1;
        assertThat(VmstatView.text(Kernel.boot(s))).isEmpty();
        // 4 GiB of 4K pages = 1048576 struct pages x 64 B = 64 MiB = 16384 pages of boot memmap
        assertThat(VmstatView.text(Kernel.boot(MachineSpec.defaults()))).isEqualTo(
                "nr_memmap_pages 0\nnr_memmap_boot_pages 16384\n");
    }

    @Test
    void human_lsmemSuffixes() {
        assertThat(MemoryBlocksView.human(0)).isEqualTo("0B");
        assertThat(MemoryBlocksView.human(128L << 20)).isEqualTo("128M");
        assertThat(MemoryBlocksView.human(4L << 30)).isEqualTo("4G");
        assertThat(MemoryBlocksView.human((4L << 30) + (128L << 20))).isEqualTo("4.1G");
    }
}
