package org.vmemsim.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vmemsim.kernel.SpecMachine.M;
import static org.vmemsim.kernel.SpecMachine.boot;
import static org.vmemsim.kernel.SpecMachine.freePages;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.vmemsim.arch.Granule;
import org.vmemsim.arch.KernelProfile;
import org.vmemsim.drivers.nvdimm.NdPfn;
import org.vmemsim.drivers.nvdimm.PfnDevs;
import org.vmemsim.drivers.nvdimm.PfnMode;
import org.vmemsim.drivers.nvdimm.PfnSetup;
import org.vmemsim.mm.memremap.DevPagemap;
import org.vmemsim.mm.memremap.MemoryType;

/**
 * The whole chain of kernel-semantics.md 7.5 for the devices of section 10: the nvdimm driver
 * ({@code nvdimm_setup_pfn}, 8.1/8.2) computes the altmap, {@code memremap_pages} consumes it, and
 * the altmap ends as the worked examples say. The data area then starts exactly at the info block's
 * {@code dataoff} (I11) and {@code memunmap_pages} returns everything (I9).
 */
class PfnDeviceHotplugTest {

    @ParameterizedTest(name = "{0} {1} {2}@{3} align {4}: reserve {5} free {6} alloc {7} align {8}")
    @CsvSource({
        // profile, granule, size, start, nd_pfn->align ("page" = PAGE_SIZE, which nd_pfn_init raises to
        // the 2 MiB memremap_compat_align), reserve, free, alloc, align   (spec section)
        "5.9      , G4K  , 1G  , 0x2000000000 , 2M   , 2 , 4606  , 4096  , 510",  // 10.1
        "5.9      , G4K  , 16G , 0x2000000000 , 2M   , 2 , 66046 , 65536 , 510",  // 10.2
        "5.9      , G64K , 1G  , 0x2000000000 , page , 1 , 31    , 16    , 0",    // 10.5
        "5.9      , G64K , 1G  , 0x2000000000 , 512M , 1 , 8191  , 16    , 0",    // 10.5, default align
        "5.9      , G64K , 16G , 0x2000000000 , page , 1 , 287   , 256   , 0",    // 10.5
        "5.9      , G16K , 1G  , 0x2000000000 , 32M  , 1 , 2047  , 256   , 0",    // 10.6, default align
        "5.9      , G16K , 1G  , 0x2000000000 , page , 1 , 383   , 256   , 0",    // 10.6
        "mainline , G4K  , 1G  , 0x2000000000 , 2M   , 2 , 4606  , 4096  , 510",  // 10.7
        "mainline , G4K  , 16G , 0x2000000000 , 2M   , 2 , 66046 , 65536 , 510",  // 10.7
        "mainline , G64K , 1G  , 0x2000000000 , page , 1 , 31    , 16    , 0",    // 10.8
        "mainline , G64K , 16G , 0x2000000000 , page , 1 , 287   , 256   , 0",    // 10.8
        "mainline , G4K  , 64M , 0x2000000000 , 2M   , 2 , 510   , 256   , 0",    // 10.10
        "mainline , G4K  , 1G  , 0x2004000000 , 2M   , 2 , 4606  , 4096  , 254",  // 10.11
    })
    void nvdimmSetupPfnThenMemremapPages(String profile, Granule gran, String size, String start, String ndAlign,
                                         long reserve, long free, long alloc, long align) {
        Kernel k = boot(KernelProfile.parse(profile), gran);
        long nsSize = Long.parseLong(size.substring(0, size.length() - 1)) << (size.endsWith("G") ? 30 : 20);
        long nsStart = Long.decode(start);
        long align0 = ndAlign.equals("page") ? gran.pageSize() : Long.parseLong(ndAlign.replace("M", "")) * M;
        NdPfn nd = NdPfn.fsdax(0, 0, nsStart, nsSize, PfnMode.PMEM, align0);
        PfnSetup out = new PfnSetup();
        assertThat(PfnDevs.nvdimmSetupPfn(k.g, nd, out, k.log)).isZero();
        assertThat(out.altmap.reserve).isEqualTo(reserve);
        assertThat(out.altmap.free).isEqualTo(free);

        long free0 = freePages(k);
        DevPagemap pg = new DevPagemap("pfn0.0", MemoryType.FS_DAX, out.rangeStart, out.rangeLen(), out.altmap);
        assertThat(k.memremap.memremapPages(pg, 0)).as(k.log.lastError()).isZero();
        assertThat(pg.altmap.alloc).isEqualTo(alloc);
        assertThat(pg.altmap.align).isEqualTo(align);
        assertThat((reserve + free) << gran.pageShift).as("data starts at dataoff").isEqualTo(nd.sb.dataoff());
        assertThat(pg.initDevicePages).as("data pages = the driver's npfns").isEqualTo(out.npfns);

        assertThat(k.memremap.memunmapPages("pfn0.0")).isZero();
        assertThat(pg.altmap.alloc).isZero();
        assertThat(pg.altmap.align).isEqualTo(align);
        assertThat(freePages(k)).isEqualTo(free0);
    }
}
