package org.vmemsim.mm.phys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Table frames by pfn, checked against a sorted map. */
class FrameStoreTest {
    @Test
    void createDropLookup_matchASortedMap() {
        SplittableRandom rnd = new SplittableRandom(42);
        FrameStore fs = new FrameStore();
        TreeMap<Long, PgTable> ref = new TreeMap<>();
        for (int step = 0; step < 20_000; step++) {
            // clustered pfns (as memblock and the buddy hand them out) plus far-away ones
            long pfn = rnd.nextInt(4) == 0 ? rnd.nextLong(1L << 40) : 0x4_0000 + rnd.nextInt(3000);
            if (ref.containsKey(pfn)) {
                fs.dropTable(pfn);
                ref.remove(pfn);
                assertThat(fs.table(pfn)).isNull();
            } else {
                PgTable t = fs.createTable(pfn, 512);
                ref.put(pfn, t);
                assertThat(fs.table(pfn)).isSameAs(t);
            }
            assertThat(fs.tableCount()).isEqualTo(ref.size());
            assertThat(fs.holdsTable(pfn)).isEqualTo(ref.containsKey(pfn));
        }
        assertThat(fs.tablePfns()).containsExactly(ref.keySet().stream().mapToLong(Long::longValue).toArray());
        for (var e : ref.entrySet()) {
            assertThat(fs.table(e.getKey())).isSameAs(e.getValue());
        }
        FrameStore copy = fs.copy();
        assertThat(copy.sameContents(fs)).isTrue();
        long some = ref.firstKey();
        copy.table(some).set(3, 0x4000_0703L);
        assertThat(copy.sameContents(fs)).isFalse();
    }

    @Test
    void createTwice_orDropMissing_throws() {
        FrameStore fs = new FrameStore();
        fs.createTable(0x1234, 512);
        assertThatThrownBy(() -> fs.createTable(0x1234, 512)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("0x1234");
        assertThatThrownBy(() -> fs.dropTable(0x1235)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("0x1235");
        fs.dropTable(0x1234);
        assertThatThrownBy(() -> fs.dropTable(0x1234)).isInstanceOf(IllegalStateException.class);
        assertThat(fs.tableCount()).isZero();
        assertThat(fs.tablePfns()).isEmpty();
    }
}
