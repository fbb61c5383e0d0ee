package org.vmemsim.util;

/** A kernel BUG()/BUG_ON()/VM_BUG_ON(): the simulated kernel would have crashed here. */
public final class KernelBug extends RuntimeException {
    public KernelBug(String message) {
        super(message);
    }
}
