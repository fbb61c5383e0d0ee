package org.vmemsim.cli;

import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * Builds the {@code vmemsim} command line and runs it on given streams, returning the exit code.
 * Nothing here calls {@link System#exit}; {@link Main} does, so tests can run any command line.
 *
 * <p>Exit codes: see {@link ExitCode}. Option errors (unknown option, missing or unconvertible
 * value) are user mistakes: one line {@code vmemsim: <message>} on stderr, exit 2.
 */
public final class Cli {
    private Cli() {}

    /** Runs {@code vmemsim args...}, writing to {@code out} and {@code err}; returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return execute(newCommandLine(), args, out, err);
    }

    /** A fresh, fully configured command line (root command, subcommands, converters, handlers). */
    static CommandLine newCommandLine() {
        CommandLine cl = new CommandLine(new VmemsimCommand());
        Converters.registerAll(cl);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setParameterExceptionHandler(Cli::onParameterError);
        cl.setExecutionExceptionHandler(Cli::onExecutionError);
        return cl;
    }

    /** Runs a configured command line on the given streams (UTF-8, flushed before returning). */
    static int execute(CommandLine cl, String[] args, PrintStream out, PrintStream err) {
        PrintWriter o = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true);
        PrintWriter e = new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true);
        cl.setOut(o);
        cl.setErr(e);
        try {
            return cl.execute(args);
        } finally {
            o.flush();
            e.flush();
        }
    }

    private static int onParameterError(CommandLine.ParameterException ex, String[] args) {
        return Failures.report(ex, ex.getCommandLine().getErr(), debugRequested(args)).code;
    }

    private static int onExecutionError(Exception ex, CommandLine cl, ParseResult parsed) {
        return Failures.report(ex, cl.getErr(), debugRequested(parsed)).code;
    }

    private static boolean debugRequested(ParseResult parsed) {
        for (ParseResult p = parsed; p != null; p = p.hasSubcommand() ? p.subcommand() : null) {
            if (p.hasMatchedOption("--debug")) {
                return true;
            }
        }
        return false;
    }

    /** On a parse error there is no parse result to ask; look at the raw words. */
    private static boolean debugRequested(String[] args) {
        for (String a : args) {
            if (a.equals("--debug")) {
                return true;
            }
            if (a.equals("--")) {
                break;
            }
        }
        return false;
    }
}
