package org.vmemsim.mm.phys;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.vmemsim.util.Errno;

/** {@code kernel/resource.c}: requesting, releasing and querying iomem resources. */
class IomemTest {
    static final long RAM = Iomem.IORESOURCE_SYSTEM_RAM | Iomem.IORESOURCE_BUSY;
    Iomem io;
    Iomem.Resource sysram;

    /**
     * <pre>
     * 0x4000_0000 [ System RAM (busy) ........................ ] 0x1_3fff_ffff
     * 0x20_0000_0000 [ dax0.0 (System RAM flags, not busy) ] 0x20_3fff_ffff
     * </pre>
     */
    @BeforeEach
    void setUp() {
        io = new Iomem();
        sysram = new Iomem.Resource(0x4000_0000L, 0x1_3fff_ffffL, "System RAM", RAM);
        assertThat(io.requestResource(io.root(), sysram)).isZero();
        Iomem.Resource dax = io.requestMemRegion(0x20_0000_0000L, 1L << 30, "dax0.0");
        dax.flags = Iomem.IORESOURCE_SYSTEM_RAM;
    }

    @Nested
    class RequestRegion {
        @Test
        void requestRegion_overlappingBusyIsNull() {
            assertThat(io.requestRegion(0x1_3800_0000L, 1L << 27, "System RAM", RAM)).isNull();
            assertThat(io.requestResource(io.root(), new Iomem.Resource(0x4000_0000L, 0x4fff_ffffL, "x", 0)))
                    .isEqualTo(Errno.EBUSY.neg());
        }

        @Test
        void requestRegion_descendsIntoNonBusyParent() {
            Iomem.Resource r = io.requestRegion(0x20_0000_0000L, 1L << 30, "System RAM (kmem)", RAM);
            assertThat(r).isNotNull();
            assertThat(r.parent().name).isEqualTo("dax0.0");
            assertThat(Iomem.depth(r)).isEqualTo(1);
        }

        /** A request straddling the end of a non-busy resource conflicts with it. */
        @Test
        void requestRegion_straddlingIsNull() {
            assertThat(io.requestRegion(0x20_3000_0000L, 1L << 29, "x", 0)).isNull();
        }
    }

    @Test
    void releaseMemRegionAdjustable_splitsAroundTheRange() {
        assertThat(io.releaseMemRegionAdjustable(0x8000_0000L, 1L << 27)).isTrue();
        assertThat(io.root().children()).extracting(r -> r.start).containsExactly(0x4000_0000L, 0x8800_0000L,
                0x20_0000_0000L);
        assertThat(io.root().children().get(0).end).isEqualTo(0x7fff_ffffL);
    }

    @Test
    void regionIntersects_ramDisjointAndMixed() {
        assertThat(io.regionIntersects(0x4000_0000L, 4096, Iomem.IORESOURCE_SYSTEM_RAM)).isEqualTo(Iomem.Region.INTERSECTS);
        assertThat(io.regionIntersects(0x2_0000_0000L, 4096, Iomem.IORESOURCE_SYSTEM_RAM)).isEqualTo(Iomem.Region.DISJOINT);
        io.requestRegion(0x1_4000_0000L, 1L << 20, "pmem", 0);
        assertThat(io.regionIntersects(0x1_3ff0_0000L, 1L << 21, Iomem.IORESOURCE_SYSTEM_RAM)).isEqualTo(Iomem.Region.MIXED);
    }

    /** walk_system_ram_range counts only busy System RAM: 4 GiB of 4K pages = 1048576; the not-busy dax claim counts 0. */
    @Test
    void walkSystemRamRange_countsBusySystemRam() {
        assertThat(io.systemRamPages(0x4_0000L, 1L << 20, 12)).isEqualTo(1L << 20);
        assertThat(io.systemRamPages(0x200_0000L, 1L << 18, 12)).isZero();
        io.requestRegion(0x20_0000_0000L, 1L << 27, "System RAM (kmem)", RAM);
        assertThat(io.systemRamPages(0x200_0000L, 1L << 18, 12)).isEqualTo(1L << 15);
    }
}
