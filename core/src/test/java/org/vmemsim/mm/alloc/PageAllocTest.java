package org.vmemsim.mm.alloc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.vmemsim.util.Dmesg;

/**
 * The buddy allocator with MAX_PAGE_ORDER 10 (4K pages: 4 MiB blocks).
 *
 * <pre>
 *  pfn  0x40000 ........................................ 0x40800   (2048 pages = two order-10 blocks)
 * </pre>
 */
class PageAllocTest {
    private FaultInjector faults;
    private PageAlloc buddy;

    @BeforeEach
    void setUp() {
        faults = new FaultInjector();
        buddy = new PageAlloc(10, faults, new Dmesg());
        buddy.freePagesCore(0, ZoneType.NORMAL, 0x40000, 2048);
    }

    @Nested
    class FreePagesCore {
        @Test
        void freePagesCore_alignedRange_becomesMaxOrderBlocks() {
            Zone z = buddy.zone(0, ZoneType.NORMAL);
            assertThat(z.freeBlocks(10)).isEqualTo(2);
            assertThat(z.nrFree()).isEqualTo(2048);
            assertThat(buddy.totalramPages()).isEqualTo(2048);
        }

        @Test
        void freePagesCore_unalignedRange_splitsIntoLargestAlignedBlocks() {
            PageAlloc b = new PageAlloc(10, faults, new Dmesg());
            // [0x40001, 0x40401): 1 + 2 + 4 + ... + 512 pages up to 0x40400, then one page
            b.freePagesCore(0, ZoneType.NORMAL, 0x40001, 1024);
            Zone z = b.zone(0, ZoneType.NORMAL);
            for (int o = 0; o < 10; o++) {
                assertThat(z.freeBlocks(o)).as("order %d", o).isEqualTo(o == 0 ? 2 : 1);
            }
            assertThat(z.nrFree()).isEqualTo(1024);
        }
    }

    @Nested
    class AllocPagesNode {
        @Test
        void allocPagesNode_order0_splitsTheLowestBlockAllTheWayDown() {
            long pfn = buddy.allocPagesNode(0, 0, "test");
            assertThat(pfn).isEqualTo(0x40000);
            Zone z = buddy.zone(0, ZoneType.NORMAL);
            for (int o = 0; o < 10; o++) {
                assertThat(z.freeBlocks(o)).as("order %d", o).isEqualTo(1);
            }
            assertThat(z.freeBlocks(10)).isEqualTo(1);
            assertThat(buddy.nrFreePages()).isEqualTo(2047);
            assertThat(buddy.isFree(0x40000)).isFalse();
            assertThat(buddy.isFree(0x40001)).isTrue();
        }

        @Test
        void allocPagesNode_order9_isNaturallyAligned() {
            buddy.allocPagesNode(0, 0, "a");
            long pfn = buddy.allocPagesNode(0, 9, "b");
            assertThat(pfn % 512).isZero();
            assertThat(pfn).isEqualTo(0x40200);
        }

        @Test
        void allocPagesNode_exhausted_returnsMinusOneAndChangesNothing() {
            buddy.allocPagesNode(0, 10, "a");
            buddy.allocPagesNode(0, 10, "b");
            assertThat(buddy.allocPagesNode(0, 0, "c")).isEqualTo(-1);
            assertThat(buddy.nrFreePages()).isZero();
        }

        @Test
        void allocPagesNode_injectedFault_failsOnlyTheNamedSite() {
            faults.failSite("victim", 0);
            assertThat(buddy.allocPagesNode(0, 0, "victim")).isEqualTo(-1);
            assertThat(buddy.allocPagesNode(0, 0, "other")).isNotEqualTo(-1);
        }
    }

    @Nested
    class FreePages {
        @Test
        void freePages_mergesBuddiesBackToMaxOrder() {
            long a = buddy.allocPagesNode(0, 0, "a");
            long b = buddy.allocPagesNode(0, 3, "b");
            buddy.freePages(a, 0);
            buddy.freePages(b, 3);
            Zone z = buddy.zone(0, ZoneType.NORMAL);
            assertThat(z.freeBlocks(10)).isEqualTo(2);
            assertThat(z.nrFree()).isEqualTo(2048);
            assertThat(buddy.liveAllocations()).isZero();
        }

        @Test
        void freePages_wrongOrder_isRefused() {
            long a = buddy.allocPagesNode(0, 2, "a");
            assertThatThrownBy(() -> buddy.freePages(a, 0)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("order 2");
        }
    }

    @Nested
    class TakeOffFreeLists {
        @Test
        void takeOffFreeLists_allFree_removesThemFromManaged() {
            assertThat(buddy.takeOffFreeLists(0, ZoneType.NORMAL, 0x40400, 1024)).isZero();
            assertThat(buddy.nrFreePages()).isEqualTo(1024);
            assertThat(buddy.totalramPages()).isEqualTo(1024);
        }

        @Test
        void takeOffFreeLists_pageInUse_isEbusyAndChangesNothing() {
            long a = buddy.allocPagesNode(0, 0, "pin");
            assertThat(a).isEqualTo(0x40000);
            assertThat(buddy.takeOffFreeLists(0, ZoneType.NORMAL, 0x40000, 1024)).isEqualTo(-16);
            assertThat(buddy.nrFreePages()).isEqualTo(2047);
            assertThat(buddy.totalramPages()).isEqualTo(2048);
        }
    }
}
