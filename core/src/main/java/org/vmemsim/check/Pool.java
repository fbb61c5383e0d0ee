package org.vmemsim.check;

/**
 * The memmap pool of an altmap, {@code [base_pfn + reserve, base_pfn + reserve + free)}, and who
 * owns it: a live pgmap, or a device whose failed hot-add left sections behind (hazard H7), whose
 * pool therefore still backs memmap.
 */
public record Pool(String owner, long startPfn, long endPfn, boolean leaked) {
    public boolean contains(long pfn) {
        return Long.compareUnsigned(pfn, startPfn) >= 0 && Long.compareUnsigned(pfn, endPfn) < 0;
    }
}
