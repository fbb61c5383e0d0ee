package org.vmemsim.mm.vmemmap;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.vmemsim.arch.Granule;
import org.vmemsim.arch.KernelProfile;
import org.vmemsim.kernel.Kernel;
import org.vmemsim.kernel.MachineSpec;
import org.vmemsim.util.Dmesg;

/**
 * The vmem_altmap bump allocator of {@code mm/sparse-vmemmap.c} (kernel-semantics.md 2.2/2.3),
 * replayed on the altmap traces of section 10: 10.1 (eight 2 MiB blocks, the first after a 510-pfn
 * gap), 10.10 (a 510-pfn pool cannot hold one block), 10.11 mainline (base pages, then a block whose
 * gap is 254 pfns), 10.5 (one pfn at a time, never a gap).
 */
class SparseVmemmapTest {
    static final long SZ_2M = 2L << 20;
    /** base_pfn of the 10.0 device on 4K pages (0x20_0000_0000 >> 12). */
    static final long BASE = 0x2000000L;

    static SparseVmemmap sv(Granule gran) {
        MachineSpec s = MachineSpec.defaults();
        s.granule = gran;
        s.profile = KernelProfile.V5_9;
        return Kernel.boot(s).sparseVmemmap;
    }

    @Nested
    class AltmapAllocBlockBuf {
        /** 10.1 trace: block i at base + 512 * i (i = 1..8); alloc 512 * i, align 510; pool exactly used. */
        @Test
        void altmapAllocBlockBuf_e59OneGigTrace() {
            SparseVmemmap sv = sv(Granule.G4K);
            VmemAltmap a = new VmemAltmap("pmem0", BASE, BASE + 262_143, 2, 4_606);
            long nrFree = 4_606;
            for (int i = 1; i <= 8; i++) {
                long expectNext = i == 1 ? BASE + 2 : BASE + 512L * i;
                assertThat(a.vmemAltmapNextPfn()).isEqualTo(expectNext);
                assertThat(a.vmemAltmapNrFree()).isEqualTo(nrFree);
                long pfn = sv.altmapAllocBlockBuf(SZ_2M, a);
                assertThat(pfn).as("block %d", i).isEqualTo(BASE + 512L * i);
                assertThat(a.alloc).isEqualTo(512L * i);
                assertThat(a.align).isEqualTo(510);
                nrFree = 4_606 - 512L * i - 510;
            }
            assertThat(a.vmemAltmapNrFree()).isZero();
            assertThat(sv.altmapAllocBlockBuf(4096, a)).as("empty pool").isEqualTo(-1);
            assertThat(a.alloc).isEqualTo(4_096);
            assertThat(a.align).isEqualTo(510);
        }

        /** 10.10: next = base + 2, the block needs 510 + 512 = 1,022 pfns of 510: NULL, nothing changes. */
        @Test
        void altmapAllocBlockBuf_poolTooSmall_noStateChange() {
            SparseVmemmap sv = sv(Granule.G4K);
            VmemAltmap a = new VmemAltmap("pmem0", BASE, BASE + 16_383, 2, 510);
            assertThat(sv.altmapAllocBlockBuf(SZ_2M, a)).isEqualTo(-1);
            assertThat(a.alloc).isZero();
            assertThat(a.align).isZero();
        }

        /** 10.11 mainline: 256 base pages from base + 2, then a block at base + 512 after a 254-pfn gap. */
        @Test
        void altmapAllocBlockBuf_basePagesThenBlock() {
            SparseVmemmap sv = sv(Granule.G4K);
            long base = 0x2004000L;
            VmemAltmap a = new VmemAltmap("pmem0", base, base + 262_143, 2, 4_606);
            for (int i = 0; i < 256; i++) {
                assertThat(sv.altmapAllocBlockBuf(4096, a)).isEqualTo(base + 2 + i);
            }
            assertThat(a.align).isZero();
            assertThat(sv.altmapAllocBlockBuf(SZ_2M, a)).isEqualTo(base + 512);
            assertThat(a.alloc).isEqualTo(256 + 512);
            assertThat(a.align).isEqualTo(254);
        }

        /** 10.5: 64K, reserve 1: sixteen single pages from base + 1, no alignment gap. */
        @Test
        void altmapAllocBlockBuf_64K_onePfnAtATime() {
            SparseVmemmap sv = sv(Granule.G64K);
            long base = 0x200000L;
            VmemAltmap a = new VmemAltmap("pmem0", base, base + 0x3FFF, 1, 31);
            for (int i = 0; i < 16; i++) {
                assertThat(sv.altmapAllocBlockBuf(65536, a)).isEqualTo(base + 1 + i);
            }
            assertThat(a.alloc).isEqualTo(16);
            assertThat(a.align).isZero();
            assertThat(a.vmemAltmapNrFree()).isEqualTo(15);
        }

        /**
         * A request that is not a multiple of PAGE_SIZE: NULL, reported once. The kernel uses
         * pr_warn_once here, a log line without a WARN backtrace (spec 9.4 lists it among the WARNs).
         */
        @Test
        void altmapAllocBlockBuf_notPageMultiple_prWarnOnce() {
            Kernel k = Kernel.boot(MachineSpec.defaults());
            VmemAltmap a = new VmemAltmap("pmem0", BASE, BASE + 262_143, 2, 4_606);
            int w0 = k.log.warnCount();
            long mark = k.log.mark();
            assertThat(k.sparseVmemmap.altmapAllocBlockBuf(2048, a)).isEqualTo(-1);
            assertThat(k.sparseVmemmap.altmapAllocBlockBuf(2048, a)).isEqualTo(-1);
            assertThat(k.log.since(mark)).singleElement().satisfies(e -> {
                assertThat(e.level()).isEqualTo(Dmesg.Level.WARNING);
                assertThat(e.function()).isEqualTo("altmap_alloc_block_buf");
                assertThat(e.message()).contains("allocations must be multiple of PAGE_SIZE");
            });
            assertThat(k.log.warnCount()).isEqualTo(w0);
            assertThat(a.alloc).isZero();
        }

        /** vmemmap_alloc_block reports the first buddy failure once per boot, whatever the order. */
        @Test
        void vmemmapAllocBlock_failure_reportedOnceInTotal() {
            Kernel k = Kernel.boot(MachineSpec.defaults());
            long mark = k.log.mark();
            k.faults.failSite("vmemmap_alloc_block_buf", 0); // every allocation at that site fails
            assertThat(k.sparseVmemmap.vmemmapAllocBlock(SZ_2M, 0, "vmemmap_alloc_block_buf")).isEqualTo(-1);
            assertThat(k.sparseVmemmap.vmemmapAllocBlock(4096, 0, "vmemmap_alloc_block_buf")).isEqualTo(-1);
            assertThat(k.log.since(mark)).singleElement().satisfies(e -> {
                assertThat(e.level()).isEqualTo(Dmesg.Level.WARNING);
                assertThat(e.message()).isEqualTo("vmemmap alloc failure: order:9");
            });
        }
    }

    @Nested
    class VmemAltmapHelpers {
        /** vmem_altmap_free only moves alloc; align is never given back (I7). */
        @Test
        void vmemAltmapFree_onlyAlloc() {
            SparseVmemmap sv = sv(Granule.G4K);
            VmemAltmap a = new VmemAltmap("pmem0", BASE, BASE + 262_143, 2, 4_606);
            sv.altmapAllocBlockBuf(SZ_2M, a);
            a.vmemAltmapFree(512);
            assertThat(a.alloc).isZero();
            assertThat(a.align).isEqualTo(510);
            assertThat(a.vmemAltmapNextPfn()).isEqualTo(BASE + 2 + 510);
            assertThat(VmemAltmap.vmemAltmapOffset(a)).isEqualTo(4_608);
            assertThat(VmemAltmap.vmemAltmapOffset(null)).isZero();
        }
    }

    @Nested
    class VmemmapAllocBlockBuf {
        /** With an altmap there is no fallback to RAM (I3), even when RAM is plentiful. */
        @Test
        void vmemmapAllocBlockBuf_altmapExhausted_noRamFallback() {
            Kernel k = Kernel.boot(MachineSpec.defaults());
            VmemAltmap a = new VmemAltmap("pmem0", BASE, BASE + 16_383, 2, 510);
            long free0 = k.mm.buddy.nrFreePages();
            assertThat(k.sparseVmemmap.vmemmapAllocBlockBuf(SZ_2M, 0, a)).isEqualTo(-1);
            assertThat(k.mm.buddy.nrFreePages()).isEqualTo(free0);
        }

        /** Without an altmap after boot: an order-9 block from the buddy allocator. */
        @Test
        void vmemmapAllocBlockBuf_noAltmap_buddyOrder9() {
            Kernel k = Kernel.boot(MachineSpec.defaults());
            long free0 = k.mm.buddy.nrFreePages();
            long pfn = k.sparseVmemmap.vmemmapAllocBlockBuf(SZ_2M, 0, null);
            assertThat(pfn).isNotEqualTo(-1);
            assertThat(pfn % 512).isZero();
            assertThat(free0 - k.mm.buddy.nrFreePages()).isEqualTo(512);
            assertThat(k.mm.buddy.allocation(pfn).order()).isEqualTo(9);
        }
    }
}
