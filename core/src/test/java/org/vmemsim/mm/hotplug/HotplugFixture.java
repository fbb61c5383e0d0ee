package org.vmemsim.mm.hotplug;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.vmemsim.arch.Granule;
import org.vmemsim.arch.KernelProfile;
import org.vmemsim.kernel.Kernel;
import org.vmemsim.kernel.MachineSpec;
import org.vmemsim.mm.alloc.Memblock;
import org.vmemsim.mm.alloc.PageAlloc;
import org.vmemsim.mm.alloc.Slab;
import org.vmemsim.mm.alloc.ZoneType;
import org.vmemsim.util.Dmesg;
import org.vmemsim.view.Accounting;
import org.vmemsim.view.IomemView;
import org.vmemsim.view.MemoryBlocksView;
import org.vmemsim.view.VmstatView;

/** Machines and state snapshots shared by the hot-plug tests. */
final class HotplugFixture {
    /** Where DIMMs and dax devices go: 128 GiB, as in spec 10.0. */
    static final long HOT_BASE = 0x20_0000_0000L;
    /** Boot RAM of spec 10.0: 4 GiB at 1 GiB. */
    static final long BOOT_START = 0x4000_0000L;

    private HotplugFixture() {}

    static Kernel boot(Granule granule, KernelProfile profile, String memmapOnMemory) {
        MachineSpec s = MachineSpec.defaults();
        s.granule = granule;
        s.profile = profile;
        s.memmapOnMemory = memmapOnMemory;
        return Kernel.boot(s);
    }

    static long pages(Kernel k, long bytes) {
        return bytes >>> k.g.pageShift;
    }

    static long present(Kernel k) {
        return k.mm.buddy.presentPages();
    }

    static long managed(Kernel k) {
        return k.mm.buddy.totalramPages();
    }

    static long free(Kernel k) {
        return k.mm.buddy.nrFreePages();
    }

    static long zonePresent(Kernel k, ZoneType z) {
        return k.mm.buddy.zone(0, z).present();
    }

    /** Everything a failed action must leave as it was. */
    record State(Map<String, Object> accounting, PageAlloc buddy, Memblock memblock, Slab slab, Object[] sections,
                 String iomem, String blocks, String vmstat, String phys, String zoneRanges) {}

    static State capture(Kernel k) {
        return new State(Accounting.of(k), k.mm.buddy.copy(k.faults, new Dmesg()), k.mm.memblock.copy(k.faults),
                k.mm.slab.copy(k.faults), k.sparse.snapshot(), IomemView.text(k),
                MemoryBlocksView.blocks(k).toString() + MemoryBlocksView.sysfs(k), VmstatView.of(k).toString(),
                k.mm.phys.ranges().toString(), k.ramHotplug.online.zoneRanges().toString());
    }

    static void assertUnchanged(Kernel k, State before) {
        State now = capture(k);
        assertThat(now.accounting()).isEqualTo(before.accounting());
        assertThat(k.mm.buddy.sameState(before.buddy())).as("buddy allocator state").isTrue();
        assertThat(k.mm.memblock.sameState(before.memblock())).as("memblock").isTrue();
        assertThat(k.mm.slab.sameState(before.slab())).as("slab objects").isTrue();
        assertThat(k.sparse.diff(before.sections())).as("sections").isNull();
        assertThat(now.iomem()).isEqualTo(before.iomem());
        assertThat(now.blocks()).isEqualTo(before.blocks());
        assertThat(now.vmstat()).isEqualTo(before.vmstat());
        assertThat(now.phys()).isEqualTo(before.phys());
        assertThat(now.zoneRanges()).isEqualTo(before.zoneRanges());
    }

    static List<MemoryBlock> blocksIn(Kernel k, long start, long size) {
        return new ArrayList<>(k.ramHotplug.blocks.walkMemoryBlocks(start, size));
    }
}
