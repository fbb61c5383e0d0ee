package org.vmemsim.cli;

import org.vmemsim.arch.Arch;
import org.vmemsim.arch.Granule;
import org.vmemsim.arch.KernelProfile;
import org.vmemsim.kernel.RamRange;
import org.vmemsim.util.Sz;
import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * picocli converters for vmemsim's domain inputs. Each delegates to the core parser and turns its
 * {@link IllegalArgumentException} into a {@link TypeConversionException}, so that picocli reports
 * the core's one-line message ("Invalid value for option '--granule': unknown granule '8K' ...").
 *
 * <p>{@link Granule}, {@link Arch}, {@link KernelProfile} and {@link RamRange} are registered for
 * every command by {@link #registerAll}; sizes and addresses are both {@code long}, so an option
 * names its converter: {@code @Option(converter = Converters.Size.class)}.
 */
public final class Converters {
    private Converters() {}

    /** Registers the type-based converters on a command line and all its subcommands. */
    public static CommandLine registerAll(CommandLine cl) {
        return cl.registerConverter(Granule.class, new GranuleConverter())
                .registerConverter(Arch.class, new ArchConverter())
                .registerConverter(KernelProfile.class, new ProfileConverter())
                .registerConverter(RamRange.class, new RamRangeConverter());
    }

    /** Runs a core parser, reporting its error as a picocli conversion error. */
    private static <T> T convert(String text, java.util.function.Function<String, T> parser) {
        try {
            return parser.apply(text);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }

    /** A size: {@code 4G}, {@code 128M}, {@code 4096}, {@code 0x1000} ({@link Sz#parse}). */
    public static final class Size implements ITypeConverter<Long> {
        @Override
        public Long convert(String text) {
            return Converters.convert(text, Sz::parse);
        }
    }

    /** An address: {@code 0xffff_fc00_0000_0000} or decimal ({@link Sz#parseAddress}). */
    public static final class Address implements ITypeConverter<Long> {
        @Override
        public Long convert(String text) {
            return Converters.convert(text, Sz::parseAddress);
        }
    }

    /** A translation granule: {@code 4K}, {@code 16K}, {@code 64K} ({@link Granule#parse}). */
    public static final class GranuleConverter implements ITypeConverter<Granule> {
        @Override
        public Granule convert(String text) {
            return Converters.convert(text, Granule::parse);
        }
    }

    /** An architecture: {@code arm64} ({@link Arch#parse}). */
    public static final class ArchConverter implements ITypeConverter<Arch> {
        @Override
        public Arch convert(String text) {
            return Converters.convert(text, Arch::parse);
        }
    }

    /** A kernel profile: {@code 5.8}, {@code 5.9}, {@code 6.1}, {@code 6.12}, {@code mainline}. */
    public static final class ProfileConverter implements ITypeConverter<KernelProfile> {
        @Override
        public KernelProfile convert(String text) {
            return Converters.convert(text, KernelProfile::parse);
        }
    }

    /** A boot RAM range {@code SIZE@ADDR[:NODE]} ({@link RamRange#parse}). */
    public static final class RamRangeConverter implements ITypeConverter<RamRange> {
        @Override
        public RamRange convert(String text) {
            return Converters.convert(text, RamRange::parse);
        }
    }
}
