package org.vmemsim.drivers.nvdimm;

/**
 * The pfn-device layout computed straight from the formulas of kernel-semantics.md 8.1/8.2, written
 * independently of {@link PfnDevs} so tests can compare against it.
 */
record SpecLayout(long dataoff, long endTrunc, long npfns, long reserve, long free, long basePfn, long endPfn) {
    static final long K8 = 8192;
    static final long M2 = 2L << 20;

    static long roundUp(long x, long a) {
        return (x + a - 1) / a * a;
    }

    /** Layout of a namespace at 2 MiB aligned {@code start} (so no sub-section padding). */
    static SpecLayout of(long pageSize, long start, long size, long ndAlign, boolean pmem) {
        long align = Math.max(ndAlign, M2);
        long upperNpfns = (size - K8) / pageSize;
        long dataoff = pmem ? roundUp(start + K8 + 64 * upperNpfns, align) - start : roundUp(start + K8, align) - start;
        long endTrunc = (start + size) % align;
        long npfns = (size - dataoff - endTrunc) / pageSize;
        long reserve = Math.max(K8, pageSize) / pageSize;
        long free = dataoff / pageSize - reserve;
        long basePfn = start / pageSize;
        long endPfn = (start + size - endTrunc - 1) / pageSize;
        return new SpecLayout(dataoff, endTrunc, npfns, reserve, free, basePfn, endPfn);
    }
}
