package org.vmemsim.check;

/**
 * One broken invariant: which invariant, the pfn it is about (or -1 when it is about no single
 * pfn) and a message naming the offending pfn, virtual address or counter.
 */
public record Violation(String invariant, long pfn, String message) {
    @Override
    public String toString() {
        return invariant + ": " + message;
    }
}
