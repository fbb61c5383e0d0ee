package org.vmemsim.arch.x86.mm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.vmemsim.arch.Granule;
import org.vmemsim.arch.KernelProfile;
import org.vmemsim.arch.x86.X86Geometry;

class X86VmemmapUnusedTest {
    static final long PMD = 2L << 20;
    static final long A = 0xffffea0040000000L; // a PMD-aligned vmemmap address
    final X86VmemmapUnused u = new X86VmemmapUnused(X86Geometry.of(Granule.G4K, 48, KernelProfile.V6_1));

    @Test
    void vmemmapPmdIsUnused_trueOnlyWhenEveryByteIsMarked() {
        // a new block used for its middle: the part below is marked, the part above is remembered
        u.vmemmapUseNewSubPmd(A + PMD / 4, A + PMD / 2);
        assertThat(u.unusedPmdStart()).isEqualTo(A + PMD / 2);
        // removing the used middle leaves every byte unused (the cached tail is flushed first)
        assertThat(u.vmemmapPmdIsUnused(A + PMD / 4, A + PMD / 2)).isTrue();
        assertThat(u.unusedPmdStart()).isZero();
    }

    @Test
    void vmemmapPmdIsUnused_falseWhileANeighbourStillUsesTheBlock() {
        u.vmemmapUseNewSubPmd(A, A + PMD / 2);          // first user: lower half
        u.vmemmapUseSubPmd(A + PMD / 2, A + PMD);       // second user follows directly: nothing marked
        assertThat(u.unusedPmdStart()).isZero();
        assertThat(u.vmemmapPmdIsUnused(A, A + PMD / 2)).isFalse();
        assertThat(u.vmemmapPmdIsUnused(A + PMD / 2, A + PMD)).isTrue();
    }

    @Test
    void vmemmapUseSubPmd_nonContiguousUserBlocksRemoval() {
        u.vmemmapUseNewSubPmd(A, A + PMD / 4);
        // a user that does not follow directly: the cached tail is flushed, its own first struct page unmarked
        u.vmemmapUseSubPmd(A + PMD / 2, A + 3 * PMD / 4);
        assertThat(u.vmemmapPmdIsUnused(A, A + PMD / 4)).isFalse();
        assertThat(u.vmemmapPmdIsUnused(A + PMD / 2, A + 3 * PMD / 4)).isTrue();
    }
}
