package org.vmemsim.mm.alloc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * memblock allocations are top-down and adjacent reservations merge.
 *
 * <pre>
 *  memory  [0x4000_0000 ......................... 0x4100_0000)   16 MiB, node 0
 *  reserve                                [top-down allocations]
 * </pre>
 */
class MemblockTest {
    private Memblock mb;

    @BeforeEach
    void setUp() {
        mb = new Memblock(new FaultInjector());
        mb.memblockAddNode(0x4000_0000L, 16L << 20, 0);
    }

    @Test
    void memblockAllocTryNid_topDown_andMerged() {
        long a = mb.memblockAllocTryNid(4096, 4096, 0, "a");
        long b = mb.memblockAllocTryNid(4096, 4096, 0, "b");
        assertThat(a).isEqualTo(0x4100_0000L - 4096);
        assertThat(b).isEqualTo(a - 4096);
        assertThat(mb.reserved()).hasSize(1);
        assertThat(mb.reservedBytes()).isEqualTo(8192);
    }

    @Test
    void memblockAllocTryNid_alignedRequest_skipsBelowReserved() {
        mb.memblockAllocTryNid(4096, 4096, 0, "a");
        long big = mb.memblockAllocTryNid(2L << 20, 2L << 20, 0, "big");
        assertThat(big).isEqualTo(0x4100_0000L - (4L << 20));
        assertThat(mb.isReserved(big, 4096)).isTrue();
        assertThat(mb.isReserved(big - 4096, 4096)).isFalse();
    }

    @Test
    void memblockAllocTryNid_tooLarge_failsWithoutReserving() {
        assertThat(mb.memblockAllocTryNid(32L << 20, 4096, 0, "x")).isEqualTo(-1);
        assertThat(mb.reservedBytes()).isZero();
    }

    @Test
    void memblockPhysFree_splitsAReservation() {
        long a = mb.memblockAllocTryNid(3 * 4096, 4096, 0, "a");
        mb.memblockPhysFree(a + 4096, 4096);
        assertThat(mb.reserved()).hasSize(2);
        assertThat(mb.reservedBytes()).isEqualTo(2 * 4096);
        assertThat(mb.isReserved(a + 4096, 4096)).isFalse();
    }
}
