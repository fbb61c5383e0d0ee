package org.vmemsim.cli;

/**
 * The exit codes of {@code vmemsim}, after the BSD {@code sysexits.h} convention where one exists.
 */
public enum ExitCode {
    /** The command did what was asked. */
    OK(0),
    /** The command ran, and what it checked did not hold (e.g. an expectation of a scenario failed). */
    FAILED(1),
    /** A user mistake: a bad option, an impossible machine, a kernel operation that was refused. */
    USAGE(2),
    /** A defect in vmemsim itself (EX_SOFTWARE). */
    INTERNAL(70);

    public final int code;

    ExitCode(int code) {
        this.code = code;
    }
}
