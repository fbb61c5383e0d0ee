package org.vmemsim.arch.arm64.mm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The run-encoded freed log gives back exactly the records added, in order. */
class FreedLogTest {
    @Test
    void drain_returnsEveryRecordInOrder() {
        SplittableRandom rnd = new SplittableRandom(3);
        FreedLog log = new FreedLog();
        List<Arm64Mmu.Freed> ref = new ArrayList<>();
        String[] to = {"altmap:pmem0", "buddy", "buddy (was reserved)"};
        long pfn = 0x100_0000;
        for (int i = 0; i < 5000; i++) {
            long nr = rnd.nextInt(4) == 0 ? 1 : 512;
            String dest = to[rnd.nextInt(8) == 0 ? rnd.nextInt(3) : 0];
            pfn = rnd.nextInt(10) == 0 ? rnd.nextLong(1L << 36) : pfn;
            log.add(pfn, nr, dest);
            ref.add(new Arm64Mmu.Freed(pfn, nr, dest));
            pfn += nr;
        }
        assertThat(log.drain()).containsExactlyElementsOf(ref);
        assertThat(log.drain()).isEmpty();
        log.add(5, 1, "buddy");
        assertThat(log.drain()).containsExactly(new Arm64Mmu.Freed(5, 1, "buddy"));
    }
}
