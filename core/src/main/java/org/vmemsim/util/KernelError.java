package org.vmemsim.util;

/**
 * A failed kernel operation, carried to the caller of a top-level entry point. Inside the model
 * kernel functions return {@code int} errno values like the kernel does; this exception is only
 * used at the boundary (scenario steps, CLI) and for invalid machine descriptions.
 */
public final class KernelError extends RuntimeException {
    private final Errno errno;
    private final String function;

    public KernelError(Errno errno, String function, String message) {
        super(message);
        this.errno = errno;
        this.function = function;
    }

    public Errno errno() {
        return errno;
    }

    public String function() {
        return function;
    }

    /** One line: "function: -EINVAL: message". */
    public String line() {
        return function + ": -" + errno.name() + ": " + getMessage();
    }
}
