package org.vmemsim.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.vmemsim.arch.Granule;
import org.vmemsim.arch.KernelProfile;
import org.vmemsim.mm.alloc.PageAlloc;
import org.vmemsim.mm.alloc.Slab;
import org.vmemsim.mm.memremap.DevPagemap;
import org.vmemsim.mm.memremap.MemoryType;
import org.vmemsim.mm.phys.FrameStore;
import org.vmemsim.mm.vmemmap.VmemAltmap;
import org.vmemsim.view.Accounting;

/**
 * The machine and device of kernel-semantics.md 10.0, and the arithmetic of sections 1, 8.1 and 8.2
 * written out again here so the worked-example tests compare the model against numbers that do not
 * come from the code under test.
 *
 * <pre>
 * RAM     [0x4000_0000 ............ 0x1_4000_0000)   4 GiB, node 0, memstart_addr = 0x4000_0000
 * device  [0x20_0000_0000 ....... + 1 GiB / 16 GiB)  nvdimm namespace, PFN_MODE_PMEM, align 2 MiB
 *         [reserve][ free: memmap pool ][ data ]
 * </pre>
 */
final class SpecMachine {
    private SpecMachine() {}

    static final long K = 1024;
    static final long M = K * K;
    static final long G = M * K;
    static final long RAM_BASE = 0x4000_0000L;
    static final long RAM_SIZE = 4 * G;
    /** The namespace start of 10.0 (128 GiB). */
    static final long DEV = 0x20_0000_0000L;
    static final int STRUCT_PAGE = 64;

    /** Boots the machine of 10.0 with the granule's default VA size (48, 16K: 47). */
    static Kernel boot(KernelProfile p, Granule gran, boolean rodataFull) {
        MachineSpec s = new MachineSpec();
        s.profile = p;
        s.granule = gran;
        s.rodataFull = rodataFull;
        s.ram.add(new RamRange(RAM_BASE, RAM_SIZE, 0));
        return Kernel.boot(s);
    }

    static Kernel boot(KernelProfile p, Granule gran) {
        return boot(p, gran, true);
    }

    /** sizeof(struct mem_section): 32 with CONFIG_PAGE_EXTENSION (the Debian 6.1/6.12 configs), else 16. */
    static long memSectionSize(KernelProfile p) {
        return p == KernelProfile.V6_1 || p == KernelProfile.V6_12 ? 32 : 16;
    }

    /** SECTION_SIZE_BITS (spec 1.4): 30 before v5.12; 27 for 4K/16K and 29 for 64K after. */
    static int sectionSizeBits(KernelProfile p, Granule gran) {
        if (p == KernelProfile.V5_8 || p == KernelProfile.V5_9) {
            return 30;
        }
        return gran == Granule.G64K ? 29 : 27;
    }

    /** Root indices (SPARSEMEM_EXTREME) of the sections touched by {@code [start, end)}. */
    static List<Long> roots(KernelProfile p, Granule gran, long start, long end) {
        long perRoot = gran.pageSize() / memSectionSize(p);
        int bits = sectionSizeBits(p, gran);
        List<Long> out = new ArrayList<>();
        for (long nr = start >>> bits; nr <= (end - 1) >>> bits; nr++) {
            long r = nr / perRoot;
            if (!out.contains(r)) {
                out.add(r);
            }
        }
        return out;
    }

    /**
     * The pfn-device layout of spec 8.1/8.2 for a 2 MiB aligned namespace start.
     *
     * @param dataoff bytes from the namespace start to the first data page
     * @param reserve pfns of the info-block reserve
     * @param free pfns of the memmap pool (PMEM mode)
     */
    record PfnLayout(long pageSize, long dataoff, long npfns, long reserve, long free, long basePfn, long endPfn) {
        static long alignUp(long x, long a) {
            return (x + a - 1) / a * a;
        }

        /** PFN_MODE_PMEM: {@code dataoff = ALIGN(start + 8K + 64 * PFN(size - 8K), align) - start}. */
        static PfnLayout pmem(long pageSize, long start, long size, long ndAlign) {
            long align = Math.max(ndAlign, 2 * M);
            long upper = (size - 8 * K) / pageSize;
            long dataoff = alignUp(start + 8 * K + STRUCT_PAGE * upper, align) - start;
            long endTrunc = (start + size) % align;
            long npfns = (size - dataoff - endTrunc) / pageSize;
            long reserve = alignUp(8 * K, pageSize) / pageSize;
            long free = dataoff / pageSize - reserve;
            return new PfnLayout(pageSize, dataoff, npfns, reserve, free, start / pageSize,
                    (start + size - endTrunc - 1) / pageSize);
        }

        /** vmem_altmap_offset: reserve + free. */
        long offset() {
            return reserve + free;
        }
    }

    /** Hot-adds the namespace with the altmap of {@code l} (FS_DAX, node 0). */
    static int addWithAltmap(Kernel k, String id, long start, long size, PfnLayout l) {
        return k.memremap(id, MemoryType.FS_DAX, start, size, l.reserve(), l.free(), 0);
    }

    /** Hot-adds the namespace without an altmap (PFN_MODE_RAM / --map=mem). */
    static int addWithoutAltmap(Kernel k, String id, long start, long size) {
        return k.memremap(id, MemoryType.FS_DAX, start, size, 0, -1, 0);
    }

    static VmemAltmap altmap(Kernel k, String id) {
        return k.memremap.pgmaps().get(id).altmap;
    }

    static DevPagemap pgmap(Kernel k, String id) {
        return k.memremap.pgmaps().get(id);
    }

    static long freePages(Kernel k) {
        return k.mm.buddy.nrFreePages();
    }

    static long ramFreeBytes(Kernel k) {
        return ((Number) Accounting.of(k).get("ram_free_bytes")).longValue();
    }

    /** memmapVA(pfn) = VMEMMAP_START + (pfn - PFN(memstart_addr)) * 64 (spec 1.6), with the spec's VMEMMAP_START. */
    static long memmapVa(long vmemmapStart, long pageShift, long pfn) {
        return vmemmapStart + (pfn - (RAM_BASE >>> pageShift)) * STRUCT_PAGE;
    }

    /** __phys_to_virt with memstart_addr = 0x4000_0000. */
    static long linearVa(long pageOffset, long pa) {
        return (pa - RAM_BASE) | pageOffset;
    }

    /** Table index of {@code va} at a level of the given shift and entry count. */
    static int idx(long va, int shift, int entries) {
        return (int) ((va >>> shift) & (entries - 1));
    }

    /**
     * Everything a failed operation must leave exactly as it was (architecture.md rule 6): buddy
     * allocator, slab objects, page-table frames, sections, pgmaps, the physical map and the
     * accounting view.
     */
    static final class State {
        private final PageAlloc buddy;
        private final Slab slab;
        private final FrameStore frames;
        private final Object[] sections;
        private final List<String> pgmaps;
        private final int physRanges;
        private final Map<String, Object> accounting;

        private State(Kernel k) {
            buddy = k.mm.buddy.copy(k.faults, k.log);
            slab = k.mm.slab.copy(k.faults);
            frames = k.mm.frames.copy();
            sections = k.sparse.snapshot();
            pgmaps = new ArrayList<>(k.memremap.pgmaps().keySet());
            physRanges = k.mm.phys.ranges().size();
            accounting = Accounting.of(k);
        }

        static State of(Kernel k) {
            return new State(k);
        }

        void assertUnchanged(Kernel k) {
            assertThat(k.mm.buddy.sameState(buddy)).as("buddy allocator state").isTrue();
            assertThat(k.mm.slab.sameState(slab)).as("slab objects").isTrue();
            assertThat(k.mm.frames.sameContents(frames)).as("page-table frames").isTrue();
            assertThat(k.sparse.diff(sections)).as("sections").isNull();
            assertThat(k.memremap.pgmaps().keySet()).as("pgmaps").containsExactlyElementsOf(pgmaps);
            assertThat(k.mm.phys.ranges()).as("physical map").hasSize(physRanges);
            assertThat(Accounting.of(k)).as("accounting view").isEqualTo(accounting);
        }
    }
}
