package org.vmemsim.arch.arm64.mm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.vmemsim.arch.arm64.Arm64Pte;
import org.vmemsim.kernel.Kernel;
import org.vmemsim.kernel.MachineSpec;
import org.vmemsim.kernel.RamRange;

/**
 * Contiguous hints in the linear map (rodata=on, 4K pages: 16 PTEs = 64 KiB per hint block).
 *
 * <pre>
 *  RAM      [0x4000_1000 ......................................... 0x8000_0000)
 *  64K hint [0x4000_0000, 0x4001_0000) starts below RAM: no CONT   [0x4001_0000, ...) CONT
 * </pre>
 */
class Arm64LinearMapTest {
    @Test
    void createPgdMapping_contHintOnlyForWholeBlocksInsideTheRange() {
        MachineSpec spec = MachineSpec.defaults();
        spec.rodataFull = false;
        spec.ram.clear();
        spec.ram.add(new RamRange(0x4000_1000L, 0x4000_0000L - 0x1000, 0));
        Kernel k = Kernel.boot(spec);
        long head = k.mm.pgtable.translate(k.mm.physToVirt(0x4000_1000L)).desc();
        long firstWhole = k.mm.pgtable.translate(k.mm.physToVirt(0x4001_0000L)).desc();
        assertThat(head & Arm64Pte.PTE_CONT).isZero();
        assertThat(firstWhole & Arm64Pte.PTE_CONT).isEqualTo(Arm64Pte.PTE_CONT);
    }
}
