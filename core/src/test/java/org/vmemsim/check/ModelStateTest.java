package org.vmemsim.check;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.vmemsim.kernel.Kernel;
import org.vmemsim.kernel.MachineSpec;
import org.vmemsim.mm.memremap.MemoryType;
import org.vmemsim.util.Errno;
import org.vmemsim.util.Sz;

class ModelStateTest {
    @Test
    void diff_sameState_isNull() {
        Kernel k = Kernel.boot(MachineSpec.defaults());
        assertThat(ModelState.diff(ModelState.capture(k), ModelState.capture(k))).isNull();
        assertThat(ModelState.diff(ModelState.capture(k), ModelState.live(k))).isNull();
    }

    @Test
    void diff_afterMemremap_namesTheFirstDifference() {
        Kernel k = Kernel.boot(MachineSpec.defaults());
        ModelState before = ModelState.capture(k);
        k.check(k.memremap("dev", MemoryType.FS_DAX, 0x20_0000_0000L, Sz.SZ_2M, 0, -1, 0));
        // the device needs a new mem_section root: sections 1024..1279 (256 per root on 4K)
        assertThat(ModelState.diff(before, ModelState.capture(k))).isEqualTo("mem_section root 4 appeared (sections 1024..1279)");
        assertThat(ModelState.diff(before, ModelState.capture(k), true)).startsWith("section 1024 (pfn 0x2000000) changed");
    }

    @Test
    void diff_failedMemremap_onlyTheRootRemains() {
        Kernel k = Kernel.boot(MachineSpec.defaults());
        ModelState before = ModelState.capture(k);
        k.faults.failSite("section_activate", 1);
        assertThat(k.memremap("dev", MemoryType.FS_DAX, 0x20_0000_0000L, Sz.SZ_2M, 0, -1, 0)).isEqualTo(Errno.ENOMEM.neg());
        k.faults.reset();
        assertThat(ModelState.diff(before, ModelState.live(k))).startsWith("mem_section root 4 appeared");
        assertThat(ModelState.diff(before, ModelState.live(k), true)).isNull();
    }
}
