package org.vmemsim.mm.phys;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The compact run form and the dense form of a table are the same state: checked against a plain long[]. */
class PgTableTest {
    private static final long PAGE = 0x1000;
    /** A page descriptor of pa: valid page, AF, inner shareable. */
    private static long desc(long pa) {
        return pa | 0x703;
    }

    private static void assertSame(PgTable t, long[] ref) {
        int nonNone = 0;
        for (int i = 0; i < ref.length; i++) {
            assertThat(t.get(i)).as("entry %d", i).isEqualTo(ref[i]);
            nonNone += ref[i] != 0 ? 1 : 0;
        }
        assertThat(t.nonNone()).isEqualTo(nonNone);
        assertThat(t.allNone()).isEqualTo(nonNone == 0);
    }

    @Nested
    class Clearing {
        /** A linear map of 512 pages, then unmapped from the first entry up: 512, 511, ..., 0 entries. */
        @Test
        void unmapInVaOrder_staysCompactAndShrinks() {
            PgTable t = new PgTable(512);
            t.setRun(0, 512, desc(0x8000_0000L), PAGE);
            for (int i = 0; i < 512; i++) {
                t.set(i, 0);
                assertThat(t.compact()).isTrue();
                assertThat(t.nonNone()).isEqualTo(511 - i);
                if (i < 511) {
                    assertThat(t.get(i + 1)).isEqualTo(desc(0x8000_0000L + (i + 1) * PAGE));
                    assertThat(t.get(511)).isEqualTo(desc(0x8000_0000L + 511 * PAGE));
                }
            }
            assertThat(t.allNone()).isTrue();
            // an empty compact table takes a new run
            t.set(7, desc(0x4000_0000L));
            t.set(8, desc(0x4000_0000L + PAGE));
            assertThat(t.get(8)).isEqualTo(desc(0x4000_1000L));
            assertThat(t.nonNone()).isEqualTo(2);
        }

        @Test
        void unmapFromTheTop_shrinksTheEnd() {
            PgTable t = new PgTable(512);
            t.setRun(10, 20, desc(0x10_0000L), PAGE);
            t.set(19, 0);
            t.set(18, 0);
            assertThat(t.compact()).isTrue();
            assertThat(t.nonNone()).isEqualTo(8);
            assertThat(t.get(17)).isEqualTo(desc(0x10_0000L + 7 * PAGE));
            assertThat(t.get(18)).isZero();
            // growing again at the new end continues the stride
            t.set(18, desc(0x10_0000L + 8 * PAGE));
            assertThat(t.compact()).isTrue();
            assertThat(t.nonNone()).isEqualTo(9);
        }

        @Test
        void clearingInTheMiddle_turnsDense() {
            PgTable t = new PgTable(512);
            t.setRun(0, 8, desc(0), PAGE);
            t.set(3, 0);
            assertThat(t.compact()).isFalse();
            long[] ref = new long[512];
            for (int i = 0; i < 8; i++) {
                ref[i] = i == 3 ? 0 : desc(i * PAGE);
            }
            assertSame(t, ref);
        }
    }

    /** Random writes (runs, appends, clears at either end and in the middle) against a long[]. */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void randomWrites_matchAPlainArray(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int n = 64;
        PgTable t = new PgTable(n);
        long[] ref = new long[n];
        for (int step = 0; step < 2000; step++) {
            int op = rnd.nextInt(10);
            if (op == 0 && t.allNone()) {
                int from = rnd.nextInt(n);
                int to = from + 1 + rnd.nextInt(n - from);
                long first = desc((1 + rnd.nextInt(1000)) * PAGE);
                t.setRun(from, to, first, PAGE);
                for (int i = from; i < to; i++) {
                    ref[i] = first + (i - from) * PAGE;
                }
            } else {
                int i = rnd.nextInt(n);
                long v = rnd.nextInt(3) == 0 ? 0 : i > 0 && ref[i - 1] != 0 && rnd.nextBoolean() ? ref[i - 1] + PAGE
                        : desc(rnd.nextInt(1000) * PAGE);
                t.set(i, v);
                ref[i] = v;
            }
            assertSame(t, ref);
            PgTable c = t.copy();
            assertThat(c.sameContents(t)).isTrue();
        }
    }
}
