package org.vmemsim.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** Size constants, size/address parsing and printing. Expected values are written as decimal or hex literals. */
class SzTest {

    @Test
    void constants_arePowersOfTwo() {
        assertThat(Sz.SZ_4K).isEqualTo(4096L);
        assertThat(Sz.SZ_2M).isEqualTo(2097152L);
        assertThat(Sz.SZ_128M).isEqualTo(134217728L);
        assertThat(Sz.SZ_512M).isEqualTo(536870912L);
        assertThat(Sz.SZ_1G).isEqualTo(1073741824L);
        assertThat(Sz.SZ_4G).isEqualTo(4294967296L);
        assertThat(Sz.SZ_1T).isEqualTo(1099511627776L);
    }

    @Nested
    class Parse {
        @ParameterizedTest(name = "{0} = {1}")
        @CsvSource(delimiter = '|', textBlock = """
            4G                    | 4294967296
            128M                  | 134217728
            128m                  | 134217728
            2MiB                  | 2097152
            2MB                   | 2097152
            64K                   | 65536
            16T                   | 17592186044416
            1P                    | 1125899906842624
            15E                   | 17293822569102704640
            4096                  | 4096
            1_000                 | 1000
            0x1000                | 4096
            0X1000                | 4096
            0xAB                  | 171
            0x10E                 | 270
            0xffff_fc00_0000_0000 | 18446739675663040512
            18446744073709551615  | 18446744073709551615
            ' 4G '                | 4294967296
            """)
        void parse_accepted(String text, String unsignedDecimal) {
            assertThat(Sz.parse(text)).isEqualTo(Long.parseUnsignedLong(unsignedDecimal));
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"32E", "16E", "18446744073709551616", "0x1_0000_0000_0000_0000", "16777216T"})
        void parse_overflowIsAnError(String text) {
            assertThatThrownBy(() -> Sz.parse(text))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(text);
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"abc", "4X", "0x", "G", "-4G", "4.5G", "0xfg"})
        void parse_notASize(String text) {
            assertThatThrownBy(() -> Sz.parse(text))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(text);
        }

        @ParameterizedTest
        @NullAndEmptySource
        @ValueSource(strings = {"   "})
        void parse_missing(String text) {
            assertThatThrownBy(() -> Sz.parse(text)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    class ParseAddress {
        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', textBlock = """
            0xffff_fc00_0000_0000 | 18446739675663040512
            0xfffffdffffe00000    | 18446741874684198912
            0x20_0000_0000        | 137438953472
            1073741824            | 1073741824
            1G                    | 1073741824
            """)
        void parseAddress_accepted(String text, String unsignedDecimal) {
            assertThat(Sz.parseAddress(text)).isEqualTo(Long.parseUnsignedLong(unsignedDecimal));
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"0x1_0000_0000_0000_0000", "0x", "0xzz", "banana"})
        void parseAddress_rejected(String text) {
            assertThatThrownBy(() -> Sz.parseAddress(text))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(text);
        }
    }

    @Nested
    class Print {
        @ParameterizedTest(name = "{0} -> {1}")
        @CsvSource(delimiter = '|', textBlock = """
            4096                 | 4K
            3221225472           | 3G
            1536                 | 1536
            2097152              | 2M
            0                    | 0
            18446744073709551615 | 18446744073709551615
            1152921504606846976  | 1E
            """)
        void human_exactBinaryUnit(String unsignedDecimal, String expected) {
            assertThat(Sz.human(Long.parseUnsignedLong(unsignedDecimal))).isEqualTo(expected);
        }

        @ParameterizedTest(name = "{0} -> {1}")
        @CsvSource(delimiter = '|', textBlock = """
            17179869184 | 16.00 GiB
            512         | 512 B
            1536        | 1.50 KiB
            18874368    | 18.00 MiB
            """)
        void gib_twoDecimals(long bytes, String expected) {
            assertThat(Sz.gib(bytes)).isEqualTo(expected);
        }
    }
}
