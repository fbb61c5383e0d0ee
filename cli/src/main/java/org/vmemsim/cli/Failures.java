package org.vmemsim.cli;

import java.io.PrintWriter;
import org.vmemsim.util.KernelError;
import org.vmemsim.util.U64;
import picocli.CommandLine;

/**
 * Turns an exception that reached the command line into one stderr line and an exit code.
 *
 * <p>User mistakes (bad values, impossible machines, refused kernel operations) print
 * {@code vmemsim: <message>} and exit {@link ExitCode#USAGE}; anything else is a defect in vmemsim
 * and prints {@code vmemsim: internal error: <class>: <message>} with exit
 * {@link ExitCode#INTERNAL}. A stack trace is printed only with {@code --debug}.
 */
final class Failures {
    static final String PREFIX = "vmemsim: ";

    private Failures() {}

    /** True for the exceptions that mean "the user asked for something impossible". */
    static boolean isUserMistake(Throwable t) {
        return t instanceof IllegalArgumentException
                || t instanceof KernelError
                || t instanceof U64.Overflow
                || t instanceof CommandLine.ParameterException;
    }

    /** Prints the one-line report of {@code t} to {@code err} and returns the exit code. */
    static ExitCode report(Throwable t, PrintWriter err, boolean debug) {
        ExitCode code;
        if (isUserMistake(t)) {
            err.println(PREFIX + oneLine(userMessage(t)));
            code = ExitCode.USAGE;
        } else {
            err.println(PREFIX + "internal error: " + t.getClass().getName() + ": " + oneLine(String.valueOf(t.getMessage())));
            code = ExitCode.INTERNAL;
        }
        if (debug) {
            t.printStackTrace(err);
        }
        err.flush();
        return code;
    }

    private static String userMessage(Throwable t) {
        if (t instanceof KernelError ke) {
            return ke.line();
        }
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }

    /** Collapses any line breaks so that a report is always exactly one line. */
    static String oneLine(String s) {
        return s.strip().replaceAll("\\s*\\R\\s*", "; ");
    }
}
