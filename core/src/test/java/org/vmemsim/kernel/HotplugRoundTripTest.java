package org.vmemsim.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vmemsim.kernel.SpecMachine.DEV;
import static org.vmemsim.kernel.SpecMachine.G;
import static org.vmemsim.kernel.SpecMachine.M;
import static org.vmemsim.kernel.SpecMachine.RAM_BASE;
import static org.vmemsim.kernel.SpecMachine.RAM_SIZE;
import static org.vmemsim.kernel.SpecMachine.addWithAltmap;
import static org.vmemsim.kernel.SpecMachine.addWithoutAltmap;
import static org.vmemsim.kernel.SpecMachine.boot;
import static org.vmemsim.kernel.SpecMachine.ramFreeBytes;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.vmemsim.arch.Granule;
import org.vmemsim.arch.KernelProfile;
import org.vmemsim.kernel.SpecMachine.PfnLayout;
import org.vmemsim.mm.vmemmap.VmemAltmap;
import org.vmemsim.view.Accounting;

/**
 * memremap_pages then memunmap_pages of the spec's device, for every kernel profile, granule (with
 * its default VA size), size and with or without an altmap: RAM returns exactly to what it was
 * (invariant list 9.1, "RAM accounting after a full add + full remove"), the altmap's {@code alloc}
 * returns to 0 (I9), and the only thing kept is a mem_section root array (L1), which vmemsim keeps
 * as slab bytes, not pages.
 */
class HotplugRoundTripTest {

    static Stream<Arguments> machines() {
        List<Arguments> out = new ArrayList<>();
        for (KernelProfile p : KernelProfile.values()) {
            for (Granule gran : Granule.values()) {
                for (long gib : new long[] {1, 16}) {
                    out.add(Arguments.of(p, gran, gib, true));
                    out.add(Arguments.of(p, gran, gib, false));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2} GiB altmap={3}")
    @MethodSource("machines")
    void memremapThenMemunmap_ramReturnsExactly(KernelProfile p, Granule gran, long gib, boolean withAltmap) {
        Kernel k = boot(p, gran);
        long size = gib * G;
        PfnLayout l = PfnLayout.pmem(gran.pageSize(), DEV, size, 2 * M);
        long bytes0 = ramFreeBytes(k);
        long total0 = k.mm.buddy.totalramPages();
        long slab0 = k.mm.slab.bytes();
        Accounting.Tables t0 = Accounting.tables(k);
        Map<String, Object> sections0 = sections(k);
        List<Long> roots0 = boxed(k.sparse.existingRoots());
        int warns0 = k.log.warnCount();

        int ret = withAltmap ? addWithAltmap(k, "pmem0", DEV, size, l) : addWithoutAltmap(k, "pmem0", DEV, size);
        assertThat(ret).as(k.log.lastError()).isZero();
        VmemAltmap a = SpecMachine.altmap(k, "pmem0");
        assertThat(ramFreeBytes(k)).as("the add costs RAM for tables").isLessThan(bytes0);
        k.check(k.memunmap("pmem0"));

        assertThat(ramFreeBytes(k)).as("ram_free_bytes").isEqualTo(bytes0);
        assertThat(k.mm.buddy.totalramPages()).isEqualTo(total0);
        assertThat(a.alloc).isZero();
        assertThat(k.log.warnCount()).as("no WARN: %s", k.log.events()).isEqualTo(warns0);
        Accounting.Tables t1 = Accounting.tables(k);
        assertThat(t1.vmemmap()).isEqualTo(t0.vmemmap());
        assertThat(t1.linear()).isEqualTo(t0.linear());
        assertThat(sections(k)).isEqualTo(sections0);
        assertThat(Accounting.memmap(k).deviceBytes()).isZero();
        assertThat(k.memremap.pgmaps()).isEmpty();

        // L1: roots of the device's sections that boot did not create stay, PAGE_SIZE bytes each
        List<Long> bootRoots = SpecMachine.roots(p, gran, RAM_BASE, RAM_BASE + RAM_SIZE);
        List<Long> newRoots = new ArrayList<>(SpecMachine.roots(p, gran, DEV, DEV + size));
        newRoots.removeAll(bootRoots);
        assertThat(roots0).containsExactlyElementsOf(bootRoots);
        List<Long> expectRoots = new ArrayList<>(bootRoots);
        expectRoots.addAll(newRoots);
        assertThat(boxed(k.sparse.existingRoots())).containsExactlyElementsOf(expectRoots);
        assertThat(k.mm.slab.bytes() - slab0).isEqualTo(newRoots.size() * gran.pageSize());
    }

    /** The sections object of the accounting view without the root count (roots are checked apart). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> sections(Kernel k) {
        Map<String, Object> m = new java.util.LinkedHashMap<>((Map<String, Object>) Accounting.of(k).get("sections"));
        m.remove("roots");
        return m;
    }

    static List<Long> boxed(long[] a) {
        List<Long> out = new ArrayList<>();
        for (long x : a) {
            out.add(x);
        }
        return out;
    }
}
