package org.vmemsim.mm.alloc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Slab objects, checked against a sorted map of records. */
class SlabTest {
    private static final String[] SITES = {"section_activate", "sparse_index_alloc", "sparse_usage_init", "mem_section"};

    @Test
    void kzallocKfree_matchASortedMap() {
        SplittableRandom rnd = new SplittableRandom(7);
        Slab slab = new Slab(new FaultInjector());
        TreeMap<Long, Slab.Obj> ref = new TreeMap<>();
        List<Long> ids = new ArrayList<>();
        long bytes = 0;
        for (int step = 0; step < 30_000; step++) {
            if (!ids.isEmpty() && rnd.nextInt(3) == 0) {
                long id = ids.remove(rnd.nextInt(ids.size()));
                slab.kfree(id);
                bytes -= ref.remove(id).bytes();
            } else {
                long size = 16 + rnd.nextInt(4096);
                String site = SITES[rnd.nextInt(SITES.length)];
                boolean boot = rnd.nextInt(5) == 0;
                long id = boot ? slab.bootAlloc(size, site) : slab.kzalloc(size, site);
                ref.put(id, new Slab.Obj(id, size, site, boot));
                ids.add(id);
                bytes += size;
            }
            assertThat(slab.bytes()).isEqualTo(bytes);
            assertThat(slab.count()).isEqualTo(ref.size());
        }
        assertThat(slab.objects()).containsExactlyEntriesOf(ref);
        Slab copy = slab.copy(new FaultInjector());
        assertThat(copy.sameState(slab)).isTrue();
        copy.kfree(ids.get(0));
        assertThat(copy.sameState(slab)).isFalse();
        assertThat(slab.objects()).containsExactlyEntriesOf(ref);
    }

    @Test
    void kfree_unknownOrTwice_throws() {
        Slab slab = new Slab(new FaultInjector());
        long id = slab.kzalloc(40, "section_activate");
        slab.kfree(id);
        assertThatThrownBy(() -> slab.kfree(id)).isInstanceOf(IllegalStateException.class).hasMessageContaining("" + id);
        assertThatThrownBy(() -> slab.kfree(999)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> slab.kfree(0)).isInstanceOf(IllegalStateException.class);
        assertThat(slab.bytes()).isZero();
    }

    @Test
    void kzalloc_failedByTheInjector_allocatesNothing() {
        FaultInjector f = new FaultInjector();
        f.failSite("section_activate", 1);
        Slab slab = new Slab(f);
        assertThat(slab.kzalloc(40, "section_activate")).isEqualTo(-1);
        assertThat(slab.count()).isZero();
        assertThat(slab.kzalloc(40, "section_activate")).isPositive();
        assertThat(slab.bytes()).isEqualTo(40);
    }

    @Test
    void sameState_ignoresIds() {
        Slab a = new Slab(new FaultInjector());
        Slab b = new Slab(new FaultInjector());
        a.kzalloc(56, "section_activate");
        b.kfree(b.kzalloc(8, "mem_section"));
        b.kzalloc(56, "section_activate");
        assertThat(a.sameState(b)).isTrue();
        b.kzalloc(56, "section_activate");
        assertThat(a.sameState(b)).isFalse();
    }
}
