package org.vmemsim.mm.hotplug;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vmemsim.mm.hotplug.HotplugFixture.BOOT_START;
import static org.vmemsim.mm.hotplug.HotplugFixture.HOT_BASE;
import static org.vmemsim.mm.hotplug.HotplugFixture.boot;
import static org.vmemsim.mm.hotplug.HotplugFixture.capture;
import static org.vmemsim.mm.hotplug.HotplugFixture.assertUnchanged;
import static org.vmemsim.util.Sz.SZ_128M;
import static org.vmemsim.util.Sz.SZ_1G;
import static org.vmemsim.util.Sz.SZ_256M;
import static org.vmemsim.util.Sz.SZ_2M;
import static org.vmemsim.util.Sz.SZ_64M;

import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.vmemsim.arch.Granule;
import org.vmemsim.arch.KernelProfile;
import org.vmemsim.kernel.Kernel;
import org.vmemsim.mm.alloc.ZoneType;
import org.vmemsim.util.Errno;
import org.vmemsim.view.IomemView;

/** {@code mm/memory_hotplug.c}: add_memory*, try_remove_memory and memmap_on_memory blocks. */
class RamHotplugTest {
    /** 4K: a 128 MiB block is 32768 pages; its memmap 32768 x 64 B = 2 MiB = 512 pages. */
    static final long BLOCK_PAGES_4K = SZ_128M / 4096;
    static final long MEMMAP_PAGES_4K = BLOCK_PAGES_4K * 64 / 4096;

    @Nested
    class AddMemoryDriverManaged {
        /**
         * Spec 10.9. Mainline 4K, memmap_on_memory=Y, 1 GiB as "System RAM (kmem)":
         * <pre>
         * 0x20_0000_0000 [blk 1024][blk 1025] ... [blk 1031] 0x20_4000_0000
         *                [512 memmap pfns | 32256 pfns to the buddy] per block
         * </pre>
         */
        @Test
        void addMemoryDriverManaged_mainline4kOneGigWithMemmapOnMemory() {
            Kernel k = boot(Granule.G4K, KernelProfile.MAINLINE, "Y");
            long free0 = k.mm.buddy.nrFreePages();
            int ret = k.ramHotplug.addMemoryDriverManaged(0, HOT_BASE, SZ_1G, "System RAM (kmem)",
                    RamHotplug.MHP_MEMMAP_ON_MEMORY);
            assertThat(ret).isZero();
            List<MemoryBlock> mems = k.ramHotplug.blocks.walkMemoryBlocks(HOT_BASE, SZ_1G);
            assertThat(mems).hasSize(8);
            for (int i = 0; i < 8; i++) {
                MemoryBlock mem = mems.get(i);
                long base = (HOT_BASE >>> 12) + i * BLOCK_PAGES_4K;
                assertThat(mem.id).isEqualTo((HOT_BASE + i * SZ_128M) / SZ_128M);
                assertThat(mem.state).isEqualTo(MemoryBlock.State.OFFLINE);
                assertThat(mem.altmap.basePfn).isEqualTo(base);
                assertThat(mem.altmap.endPfn).isEqualTo(base + 32_767);
                assertThat(mem.altmap.reserve).isZero();
                assertThat(mem.altmap.free).isEqualTo(512);
                assertThat(mem.altmap.alloc).isEqualTo(512);
                assertThat(mem.altmap.align).isZero();
            }
            // 515 pre-existing RAM pages for tables: vmemmap 1 PUD + 1 PMD table, linear 1 PMD + 512 PTE tables
            assertThat(free0 - k.mm.buddy.nrFreePages()).isEqualTo(515);
            assertThat(IomemView.lines(k)).contains("2000000000-203fffffff : System RAM (kmem)");

            long present0 = k.mm.buddy.presentPages();
            long managed0 = k.mm.buddy.totalramPages();
            for (MemoryBlock mem : mems) {
                long p = k.mm.buddy.presentPages();
                long m = k.mm.buddy.totalramPages();
                assertThat(k.ramHotplug.blocks.deviceOnline(mem, MemoryBlock.OnlineType.MMOP_ONLINE_KERNEL)).isZero();
                assertThat(k.mm.buddy.presentPages() - p).isEqualTo(32_768);
                assertThat(k.mm.buddy.totalramPages() - m).isEqualTo(32_256);
            }
            assertThat(k.mm.buddy.presentPages() - present0).isEqualTo(8 * 32_768);
            // 1 GiB - 16 MiB of memmap = 1008 MiB = 258048 pages became free RAM
            assertThat(k.mm.buddy.nrFreePages() - free0).isEqualTo(258_048 - 515);
            assertThat(k.mm.buddy.totalramPages() - managed0).isEqualTo(258_048);
        }

        @Test
        void addMemoryDriverManaged_rejectsBadResourceName() {
            Kernel k = boot(Granule.G4K, KernelProfile.MAINLINE, "Y");
            var before = capture(k);
            assertThat(k.ramHotplug.addMemoryDriverManaged(0, HOT_BASE, SZ_128M, "kmem", 0)).isEqualTo(Errno.EINVAL.neg());
            assertUnchanged(k, before);
        }
    }

    @Nested
    class AddMemoryResource {
        /** 6.1: MHP_MEMMAP_ON_MEMORY on two blocks is refused; nothing changes. */
        @Test
        void addMemoryResource_61MemmapOnMemoryTwoBlocksIsEinval() {
            Kernel k = boot(Granule.G4K, KernelProfile.V6_1, "Y");
            var before = capture(k);
            assertThat(k.ramHotplug.addMemory(0, HOT_BASE, SZ_256M, RamHotplug.MHP_MEMMAP_ON_MEMORY))
                    .isEqualTo(Errno.EINVAL.neg());
            assertUnchanged(k, before);
        }

        /** 6.1: one block hosts its memmap; the block records nr_vmemmap_pages = altmap.alloc = 512, no altmap kept. */
        @Test
        void addMemoryResource_61SingleBlockRecordsVmemmapPages() {
            Kernel k = boot(Granule.G4K, KernelProfile.V6_1, "Y");
            assertThat(k.ramHotplug.addMemory(0, HOT_BASE, SZ_128M, RamHotplug.MHP_MEMMAP_ON_MEMORY)).isZero();
            MemoryBlock mem = k.ramHotplug.blocks.findMemoryBlockById(HOT_BASE / SZ_128M);
            assertThat(mem.nrVmemmapPages).isEqualTo(MEMMAP_PAGES_4K);
            assertThat(mem.altmap).isNull();
        }

        @Test
        void checkHotplugMemoryRange_misalignedIsEinvalAndChangesNothing() {
            Kernel k = boot(Granule.G4K, KernelProfile.MAINLINE, "Y");
            var before = capture(k);
            assertThat(k.ramHotplug.addMemory(0, HOT_BASE + SZ_2M, SZ_128M, 0)).isEqualTo(Errno.EINVAL.neg());
            assertThat(k.log.lastError()).isEqualTo(
                    "Block size [0x8000000] unaligned hotplug range: start 0x2000200000, size 0x8000000");
            assertThat(k.ramHotplug.addMemory(0, HOT_BASE, SZ_64M, 0)).isEqualTo(Errno.EINVAL.neg());
            // size 0 already fails register_memory_resource: mhp_range_allowed wants start < start + size
            assertThat(k.ramHotplug.addMemory(0, HOT_BASE, 0, 0)).isEqualTo(Errno.E2BIG.neg());
            assertUnchanged(k, before);
        }

        /** 5.9: blocks are 1 GiB (SECTION_SIZE_BITS 30), so a 128 MiB add is misaligned. */
        @Test
        void checkHotplugMemoryRange_59BlockIsOneGig() {
            Kernel k = boot(Granule.G4K, KernelProfile.V5_9, "N");
            var before = capture(k);
            assertThat(k.ramHotplug.addMemory(0, HOT_BASE, SZ_128M, 0)).isEqualTo(Errno.EINVAL.neg());
            assertUnchanged(k, before);
            assertThat(k.ramHotplug.addMemory(0, HOT_BASE, SZ_1G, 0)).isZero();
            assertThat(k.ramHotplug.blocks.walkMemoryBlocks(HOT_BASE, SZ_1G)).hasSize(1);
        }

        @Test
        void registerMemoryResource_bootRamIsEexist() {
            Kernel k = boot(Granule.G4K, KernelProfile.MAINLINE, "N");
            var before = capture(k);
            assertThat(k.ramHotplug.addMemory(0, BOOT_START, SZ_128M, 0)).isEqualTo(Errno.EEXIST.neg());
            assertUnchanged(k, before);
        }

        /** VA48: the linear map reaches memstart + 2^47 - 1; a block at memstart + 2^47 is -E2BIG. */
        @Test
        void registerMemoryResource_beyondLinearMapIsE2big() {
            Kernel k = boot(Granule.G4K, KernelProfile.MAINLINE, "N");
            var before = capture(k);
            assertThat(k.ramHotplug.addMemory(0, BOOT_START + (1L << 47), SZ_128M, 0)).isEqualTo(Errno.E2BIG.neg());
            assertUnchanged(k, before);
        }
    }

    @Nested
    class TryRemoveMemory {
        @Test
        void tryRemoveMemory_onlineBlockIsEbusy() {
            Kernel k = boot(Granule.G4K, KernelProfile.MAINLINE, "N");
            assertThat(k.ramHotplug.addMemory(0, HOT_BASE, SZ_128M, 0)).isZero();
            MemoryBlock mem = k.ramHotplug.blocks.findMemoryBlockById(HOT_BASE / SZ_128M);
            assertThat(k.ramHotplug.blocks.deviceOnline(mem, MemoryBlock.OnlineType.MMOP_ONLINE_MOVABLE)).isZero();
            var before = capture(k);
            assertThat(k.ramHotplug.removeMemory(HOT_BASE, SZ_128M)).isEqualTo(Errno.EBUSY.neg());
            assertThat(k.log.lastError()).isEqualTo(
                    "removing memory fails, because memory [0x0000002000000000-0x0000002007ffffff] is onlined");
            assertUnchanged(k, before);
        }

        /** Mainline: one block with an altmap and one without cannot be removed together (WARN, -EINVAL). */
        @Test
        void tryRemoveMemory_mixedAltmapsIsEinval() {
            Kernel k = boot(Granule.G4K, KernelProfile.MAINLINE, "Y");
            assertThat(k.ramHotplug.addMemory(0, HOT_BASE, SZ_128M, RamHotplug.MHP_MEMMAP_ON_MEMORY)).isZero();
            assertThat(k.ramHotplug.addMemory(0, HOT_BASE + SZ_128M, SZ_128M, 0)).isZero();
            var before = capture(k);
            int warns = k.log.warnCount();
            assertThat(k.ramHotplug.removeMemory(HOT_BASE, SZ_256M)).isEqualTo(Errno.EINVAL.neg());
            assertThat(k.log.warnCount()).isEqualTo(warns + 1);
            assertUnchanged(k, before);
            assertThat(k.ramHotplug.removeMemory(HOT_BASE, SZ_128M)).isZero();
            assertThat(k.ramHotplug.removeMemory(HOT_BASE + SZ_128M, SZ_128M)).isZero();
            assertThat(k.log.warnCount()).isEqualTo(warns + 1); // the altmap came back to alloc = 0
        }

        /** 6.1: a self-hosted block may only be removed on its own ("wrong granularity"). */
        @Test
        void tryRemoveMemory_61WrongGranularity() {
            Kernel k = boot(Granule.G4K, KernelProfile.V6_1, "Y");
            assertThat(k.ramHotplug.addMemory(0, HOT_BASE, SZ_128M, RamHotplug.MHP_MEMMAP_ON_MEMORY)).isZero();
            assertThat(k.ramHotplug.addMemory(0, HOT_BASE + SZ_128M, SZ_128M, 0)).isZero();
            var before = capture(k);
            assertThat(k.ramHotplug.removeMemory(HOT_BASE, SZ_256M)).isEqualTo(Errno.EINVAL.neg());
            assertThat(k.log.lastError()).isEqualTo("Refuse to remove 0x2000000000 - 0x2010000000,wrong granularity");
            assertUnchanged(k, before);
        }

        /** 6.1: removing the self-hosted block brings the temporary altmap back to 0 (no WARN) and frees everything. */
        @Test
        void tryRemoveMemory_61SelfHostedBlockComesBack() {
            Kernel k = boot(Granule.G4K, KernelProfile.V6_1, "Y");
            var before = capture(k);
            long free0 = k.mm.buddy.nrFreePages();
            assertThat(k.ramHotplug.addMemory(0, HOT_BASE, SZ_128M, RamHotplug.MHP_MEMMAP_ON_MEMORY)).isZero();
            assertThat(k.ramHotplug.removeMemory(HOT_BASE, SZ_128M)).isZero();
            assertThat(k.log.warnCount()).isZero();
            assertThat(k.mm.buddy.nrFreePages()).isEqualTo(free0);
            assertThat(k.ramHotplug.blocks.walkMemoryBlocks(HOT_BASE, SZ_128M)).isEmpty();
            assertThat(IomemView.text(k)).isEqualTo(before.iomem());
        }

        @Test
        void offlineAndRemoveMemory_offlinesThenRemoves() {
            Kernel k = boot(Granule.G4K, KernelProfile.MAINLINE, "Y");
            long total0 = k.mm.buddy.totalramPages();
            assertThat(k.ramHotplug.addMemory(0, HOT_BASE, SZ_256M, RamHotplug.MHP_MEMMAP_ON_MEMORY)).isZero();
            for (MemoryBlock mem : k.ramHotplug.blocks.walkMemoryBlocks(HOT_BASE, SZ_256M)) {
                assertThat(k.ramHotplug.blocks.deviceOnline(mem, MemoryBlock.OnlineType.MMOP_ONLINE)).isZero();
                assertThat(mem.zone).isEqualTo(ZoneType.NORMAL);
            }
            assertThat(k.ramHotplug.offlineAndRemoveMemory(HOT_BASE, SZ_256M)).isZero();
            assertThat(k.mm.buddy.totalramPages()).isEqualTo(total0);
            assertThat(k.log.warnCount()).isZero();
        }
    }
}
