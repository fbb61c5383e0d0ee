package org.vmemsim.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.vmemsim.arch.Arch;
import org.vmemsim.arch.Granule;
import org.vmemsim.arch.KernelProfile;
import org.vmemsim.mm.memremap.MemoryType;
import org.vmemsim.util.Errno;
import org.vmemsim.view.Accounting;
import org.vmemsim.view.PtdumpView;

/** ia64 machines (16K pages, 3-level tables): 4 GiB of RAM at 1 GiB. Numbers computed here. */
class Ia64KernelTest {
    static final long GIB = 1L << 30;
    static final long PAGE = 16 * 1024;

    static Kernel ia64(KernelProfile p) {
        MachineSpec m = new MachineSpec();
        m.arch = Arch.IA64;
        m.granule = Granule.G16K;
        m.profile = p;
        m.ram.add(new RamRange(GIB, 4 * GIB, 0));
        return Kernel.boot(m);
    }

    @ParameterizedTest
    @EnumSource(value = KernelProfile.class, names = {"V5_8", "V5_9", "V6_1"})
    void boot_memmapInBasePagesAndNoLinearTables(KernelProfile p) {
        Kernel k = ia64(p);
        // 4 GiB / 16 KiB * 64 bytes = 16 MiB of memmap
        assertThat(Accounting.memmap(k).ramBytes()).isEqualTo(4 * GIB / PAGE * 64);
        // vmemmap of pfn 0x10000 starts 4 MiB into the region (pfn 0 at VMALLOC_END); 16 MiB more stays
        // inside the first 32 MiB PTE-table window (2048 PTEs * 16 KiB): one PTE table, one PMD table
        long first = k.mm.pfnToPage(GIB / PAGE);
        assertThat(first).isEqualTo(0xa000400000000000L + GIB / PAGE * 64);
        Accounting.Tables t = Accounting.tables(k);
        assertThat(t.vmemmapByLevel()).containsEntry("PTE", 1L).containsEntry("PMD", 1L);
        assertThat(t.linear()).isZero();
        assertThat(k.mm.pgtable.translate(first).level()).isEqualTo(2);
        assertThat(PtdumpView.lines(k, false)).hasSize(1).first().asString().contains("ia64 has no kernel page-table dump");
    }

    @ParameterizedTest
    @EnumSource(value = KernelProfile.class, names = {"V6_12", "MAINLINE"})
    void boot_rejectedAfterTheRemoval(KernelProfile p) {
        assertThatThrownBy(() -> ia64(p)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("removed in v6.7");
    }

    @ParameterizedTest
    @EnumSource(value = KernelProfile.class, names = {"V5_8", "V5_9", "V6_1"})
    void memremap_noZoneDevice(KernelProfile p) {
        Kernel k = ia64(p);
        long free0 = k.mm.buddy.nrFreePages();
        int ret = k.memremap("d", MemoryType.FS_DAX, 8 * GIB, GIB, 0, 1024, 0);
        assertThat(ret).isEqualTo(Errno.ENXIO.neg());
        assertThat(k.log.lastError()).isEqualTo("CONFIG_ZONE_DEVICE not available on ia64 (no ARCH_HAS_PTE_DEVMAP)");
        assertThat(k.mm.buddy.nrFreePages()).isEqualTo(free0);
    }

    /** arch_add_memory is __add_pages (no linear map); vmemmap_free is empty, so the memmap stays behind. */
    @ParameterizedTest
    @EnumSource(value = KernelProfile.class, names = {"V5_8", "V5_9", "V6_1"})
    void addRemoveMemory_memmapLeaksAndIsReused(KernelProfile p) {
        Kernel k = ia64(p);
        long free0 = k.mm.buddy.nrFreePages();
        long dimm = 8 * GIB;
        k.check(k.hotplugActions.addMemory(dimm, GIB, 0, true)); // memmap_on_memory does not exist on ia64
        // 1 GiB / 16 KiB * 64 bytes = 4 MiB = 256 pages, at vmemmap offset 32 MiB: a new PTE table
        long memmapPages = GIB / PAGE * 64 / PAGE;
        assertThat(free0 - k.mm.buddy.nrFreePages()).isEqualTo(memmapPages + 1);
        assertThat(k.memremap.pgmaps()).isEmpty();
        k.check(k.hotplugActions.removeMemory(dimm, GIB));
        assertThat(k.sparse.pfnValid(dimm / PAGE)).isFalse();
        // nothing comes back: the kernel's vmemmap_free does nothing
        assertThat(free0 - k.mm.buddy.nrFreePages()).isEqualTo(memmapPages + 1);
        assertThat(k.mm.pgtable.translate(k.mm.pfnToPage(dimm / PAGE))).isNotNull();
        // a second add finds the memmap mapped and reuses it
        k.check(k.hotplugActions.addMemory(dimm, GIB, 0, false));
        assertThat(free0 - k.mm.buddy.nrFreePages()).isEqualTo(memmapPages + 1);
    }
}
