package org.vmemsim.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.vmemsim.arch.Arch;
import org.vmemsim.arch.Granule;
import org.vmemsim.arch.KernelProfile;
import org.vmemsim.kernel.RamRange;
import picocli.CommandLine.TypeConversionException;

class ConvertersTest {
    private static final long KIB = 1024L;
    private static final long MIB = 1024L * KIB;
    private static final long GIB = 1024L * MIB;

    @Nested
    class Sizes {
        private final Converters.Size conv = new Converters.Size();

        @Test
        void size_binarySuffixes() {
            assertThat(conv.convert("4G")).isEqualTo(4 * GIB);
            assertThat(conv.convert("128M")).isEqualTo(128 * MIB);
            assertThat(conv.convert("64k")).isEqualTo(64 * KIB);
            assertThat(conv.convert("2T")).isEqualTo(2048 * GIB);
        }

        @Test
        void size_plainAndHex() {
            assertThat(conv.convert("4096")).isEqualTo(4096L);
            assertThat(conv.convert("0x1000")).isEqualTo(4096L);
            assertThat(conv.convert("0x4000_0000")).isEqualTo(GIB);
        }

        @ParameterizedTest
        @ValueSource(strings = {"4Q", "G", "0x", "16E"})
        void size_rejectedWithTheText(String text) {
            assertThatThrownBy(() -> conv.convert(text)).isInstanceOf(TypeConversionException.class)
                    .hasMessageContaining("'" + text + "'");
        }
    }

    @Nested
    class Addresses {
        private final Converters.Address conv = new Converters.Address();

        @Test
        void address_underscoresInHex() {
            // 0xffff_fc00_0000_0000 = 2^64 - 2^42: the top of the address space minus 4 TiB.
            assertThat(conv.convert("0xffff_fc00_0000_0000")).isEqualTo(-(1L << 42));
            assertThat(conv.convert("0x1_0000_0000")).isEqualTo(4 * GIB);
            assertThat(conv.convert("0x4000_0000")).isEqualTo(GIB);
        }

        @Test
        void address_topOfSpaceIsUnsigned() {
            assertThat(Long.toUnsignedString(conv.convert("0xffff_ffff_ffff_ffff"))).isEqualTo("18446744073709551615");
        }

        @ParameterizedTest
        @ValueSource(strings = {"0xg000", "0x1_0000_0000_0000_0000", "zero"})
        void address_rejectedWithTheText(String text) {
            assertThatThrownBy(() -> conv.convert(text)).isInstanceOf(TypeConversionException.class)
                    .hasMessageContaining(text);
        }
    }

    @Nested
    class Granules {
        private final Converters.GranuleConverter conv = new Converters.GranuleConverter();

        @ParameterizedTest
        @CsvSource({"4K, G4K", "4k, G4K", "4096, G4K", "16K, G16K", "64K, G64K", "65536, G64K"})
        void granule_accepted(String text, Granule expected) {
            assertThat(conv.convert(text)).isEqualTo(expected);
        }

        @ParameterizedTest
        @ValueSource(strings = {"8K", "32K", "2M"})
        void granule_unknownNamesTheValue(String text) {
            assertThatThrownBy(() -> conv.convert(text)).isInstanceOf(TypeConversionException.class)
                    .hasMessageContaining("'" + text + "'");
        }
    }

    @Nested
    class ArchesAndProfiles {
        @Test
        void arch_arm64AndAlias() {
            Converters.ArchConverter conv = new Converters.ArchConverter();
            assertThat(conv.convert("arm64")).isEqualTo(Arch.ARM64);
            assertThat(conv.convert("aarch64")).isEqualTo(Arch.ARM64);
            assertThat(conv.convert("x86_64")).isEqualTo(Arch.X86_64);
            assertThat(conv.convert("amd64")).isEqualTo(Arch.X86_64);
            assertThatThrownBy(() -> conv.convert("sparc64")).isInstanceOf(TypeConversionException.class)
                    .hasMessageContaining("sparc64");
        }

        @Test
        void profile_labels() {
            Converters.ProfileConverter conv = new Converters.ProfileConverter();
            assertThat(conv.convert("5.9")).isEqualTo(KernelProfile.V5_9);
            assertThat(conv.convert("mainline")).isEqualTo(KernelProfile.MAINLINE);
            assertThatThrownBy(() -> conv.convert("4.19")).isInstanceOf(TypeConversionException.class)
                    .hasMessageContaining("4.19");
        }
    }

    @Nested
    class RamRanges {
        private final Converters.RamRangeConverter conv = new Converters.RamRangeConverter();

        @Test
        void ramRange_withNode() {
            RamRange r = conv.convert("2G@0x1_0000_0000:1");
            assertThat(r.start()).isEqualTo(4 * GIB);
            assertThat(r.size()).isEqualTo(2 * GIB);
            assertThat(r.node()).isEqualTo(1);
            assertThat(r.end()).isEqualTo(6 * GIB);
        }

        @Test
        void ramRange_defaultNodeZero() {
            RamRange r = conv.convert("4G@0x40000000");
            assertThat(r).isEqualTo(new RamRange(GIB, 4 * GIB, 0));
        }

        @ParameterizedTest
        @ValueSource(strings = {"4G", "4G@", "4G@0x40000000:x"})
        void ramRange_malformed(String text) {
            assertThatThrownBy(() -> conv.convert(text)).isInstanceOf(TypeConversionException.class);
        }
    }
}
