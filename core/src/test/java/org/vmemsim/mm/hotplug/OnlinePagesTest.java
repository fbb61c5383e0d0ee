package org.vmemsim.mm.hotplug;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vmemsim.mm.hotplug.HotplugFixture.HOT_BASE;
import static org.vmemsim.mm.hotplug.HotplugFixture.assertUnchanged;
import static org.vmemsim.mm.hotplug.HotplugFixture.boot;
import static org.vmemsim.mm.hotplug.HotplugFixture.capture;
import static org.vmemsim.util.Sz.SZ_128M;
import static org.vmemsim.util.Sz.SZ_1G;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.vmemsim.arch.Granule;
import org.vmemsim.arch.KernelProfile;
import org.vmemsim.kernel.Kernel;
import org.vmemsim.mm.alloc.ZoneType;
import org.vmemsim.mm.sparse.MemSection;
import org.vmemsim.util.Errno;

/** Online/offline of memory blocks ({@code mm/memory_hotplug.c}, {@code drivers/base/memory.c}). */
class OnlinePagesTest {
    @Nested
    class PreventBootmemRemoveNotifier {
        /**
         * v5.10+: offlining the first boot block (memory8 = [0x4000_0000, 0x4800_0000) with 128 MiB
         * blocks) is refused by arm64's notifier with NOTIFY_BAD = -EPERM.
         */
        @ParameterizedTest
        @EnumSource(value = KernelProfile.class, names = {"V6_1", "V6_12", "MAINLINE"})
        void offlinePages_bootMemoryRefused(KernelProfile p) {
            Kernel k = boot(Granule.G4K, p, "N");
            MemoryBlock mem = k.ramHotplug.blocks.findMemoryBlockById(0x4000_0000L / SZ_128M);
            assertThat(mem.early).isTrue();
            var before = capture(k);
            assertThat(k.ramHotplug.blocks.deviceOffline(mem)).isEqualTo(Errno.EPERM.neg());
            assertThat(k.log.lastError()).endsWith("notifier failure: Boot memory [40000000 48000000] offlining attempted");
            var last = k.log.events().get(k.log.events().size() - 1);
            assertThat(last.function()).isEqualTo("prevent_bootmem_remove_notifier");
            assertThat(last.message()).isEqualTo("Boot memory [40000000 48000000] offlining attempted");
            assertThat(mem.state).isEqualTo(MemoryBlock.State.ONLINE);
            assertUnchanged(k, before);
        }

        /** 5.9 (H6): no notifier yet; a boot block whose pages are all free goes offline (1 GiB = 262144 pages). */
        @Test
        void offlinePages_59BootMemoryAllowed() {
            Kernel k = boot(Granule.G4K, KernelProfile.V5_9, "N");
            MemoryBlock mem = k.ramHotplug.blocks.findMemoryBlockById(1);
            long managed0 = k.mm.buddy.totalramPages();
            assertThat(k.ramHotplug.blocks.deviceOffline(mem)).isZero();
            assertThat(mem.state).isEqualTo(MemoryBlock.State.OFFLINE);
            assertThat(managed0 - k.mm.buddy.totalramPages()).isEqualTo(SZ_1G / 4096);
            assertThat(k.sparse.nrToSection(1).online()).isFalse();
            assertThat(k.ramHotplug.blocks.deviceOnline(mem, MemoryBlock.OnlineType.MMOP_ONLINE_KERNEL)).isZero();
            assertThat(k.mm.buddy.totalramPages()).isEqualTo(managed0);
        }
    }

    @Nested
    class OfflinePages {
        /** A page in use (allocated from the new node's Normal zone) makes offlining fail with -EBUSY. */
        @Test
        void offlinePages_pageInUseIsEbusy() {
            Kernel k = boot(Granule.G4K, KernelProfile.MAINLINE, "N");
            assertThat(k.ramHotplug.addMemory(1, HOT_BASE, SZ_128M, 0)).isZero();
            assertThat(k.ramHotplug.onlineNodes()).containsExactly(0, 1);
            MemoryBlock mem = k.ramHotplug.blocks.findMemoryBlockById(HOT_BASE / SZ_128M);
            assertThat(k.ramHotplug.blocks.deviceOnline(mem, MemoryBlock.OnlineType.MMOP_ONLINE_KERNEL)).isZero();
            long pfn = k.mm.buddy.allocPagesNode(1, 0, "test");
            assertThat(pfn).isEqualTo(HOT_BASE >>> 12);
            var before = capture(k);
            assertThat(k.ramHotplug.blocks.deviceOffline(mem)).isEqualTo(Errno.EBUSY.neg());
            assertThat(k.log.lastError()).startsWith(
                    "memory offlining [mem 0x2000000000-0x2007ffffff] failed due to unmovable page");
            assertThat(mem.state).isEqualTo(MemoryBlock.State.ONLINE);
            assertUnchanged(k, before);
            k.mm.buddy.freePages(pfn, 0);
            assertThat(k.ramHotplug.offlineAndRemoveMemory(HOT_BASE, SZ_128M)).isZero();
            assertThat(k.ramHotplug.onlineNodes()).containsExactly(0); // the hot-added node went offline again
        }

        /** Offlining shrinks the zone span back: the Movable zone spans nothing again. */
        @Test
        void removePfnRangeFromZone_shrinksSpan() {
            Kernel k = boot(Granule.G4K, KernelProfile.MAINLINE, "Y");
            assertThat(k.ramHotplug.addMemory(0, HOT_BASE, SZ_128M, RamHotplug.MHP_MEMMAP_ON_MEMORY)).isZero();
            MemoryBlock mem = k.ramHotplug.blocks.findMemoryBlockById(HOT_BASE / SZ_128M);
            assertThat(k.ramHotplug.blocks.deviceOnline(mem, MemoryBlock.OnlineType.MMOP_ONLINE_MOVABLE)).isZero();
            var movable = k.mm.buddy.zone(0, ZoneType.MOVABLE);
            assertThat(movable.spanStart()).isEqualTo(HOT_BASE >>> 12); // the vmemmap pages are in the zone too
            assertThat(movable.spanEnd()).isEqualTo((HOT_BASE + SZ_128M) >>> 12);
            assertThat(movable.present()).isEqualTo(32_768);
            assertThat(movable.managed()).isEqualTo(32_768 - 512);
            assertThat(k.sparse.pfnToSection(HOT_BASE >>> 12).flags & MemSection.SECTION_IS_ONLINE).isNotZero();
            assertThat(k.ramHotplug.online.selfHosted()).containsEntry(HOT_BASE >>> 12, 512L);
            assertThat(k.ramHotplug.blocks.deviceOffline(mem)).isZero();
            assertThat(movable.spanEmpty()).isTrue();
            assertThat(movable.present()).isZero();
            assertThat(movable.managed()).isZero();
            assertThat(k.ramHotplug.online.selfHosted()).isEmpty();
            assertThat(k.sparse.pfnToSection(HOT_BASE >>> 12).online()).isFalse();
        }

        @Test
        void memorySubsysOffline_offlineBlockIsEinval() {
            Kernel k = boot(Granule.G4K, KernelProfile.MAINLINE, "N");
            assertThat(k.ramHotplug.addMemory(0, HOT_BASE, SZ_128M, 0)).isZero();
            MemoryBlock mem = k.ramHotplug.blocks.findMemoryBlockById(HOT_BASE / SZ_128M);
            var before = capture(k);
            assertThat(k.ramHotplug.blocks.deviceOffline(mem)).isEqualTo(Errno.EINVAL.neg());
            assertUnchanged(k, before);
        }
    }

    @Nested
    class ValidZones {
        @Test
        void validZones_offlineHotBlockOffersNormalThenMovable() {
            Kernel k = boot(Granule.G4K, KernelProfile.MAINLINE, "N");
            assertThat(k.ramHotplug.addMemory(0, HOT_BASE, 2 * SZ_128M, 0)).isZero();
            MemoryBlock a = k.ramHotplug.blocks.findMemoryBlockById(HOT_BASE / SZ_128M);
            MemoryBlock b = k.ramHotplug.blocks.findMemoryBlockById(HOT_BASE / SZ_128M + 1);
            assertThat(k.ramHotplug.blocks.validZones(a)).isEqualTo("Normal Movable");
            assertThat(k.ramHotplug.blocks.deviceOnline(a, MemoryBlock.OnlineType.MMOP_ONLINE_MOVABLE)).isZero();
            assertThat(k.ramHotplug.blocks.validZones(a)).isEqualTo("Movable");
            assertThat(k.ramHotplug.blocks.validZones(k.ramHotplug.blocks.findMemoryBlockById(8))).isEqualTo("Normal");
            assertThat(k.ramHotplug.blocks.validZones(b)).isEqualTo("Normal Movable");
        }
    }
}
