package org.vmemsim.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The shared frame of every subcommand: {@link #validate()} the options, then {@link #execute()},
 * and map any failure to one stderr line and an exit code (see {@link Failures}).
 *
 * <p>Subcommands hold no model logic: they turn options into core objects (a
 * {@link org.vmemsim.kernel.MachineSpec}, a scenario), call core, and print a view.
 */
public abstract class BaseCommand implements Callable<Integer> {
    @Spec
    protected CommandSpec spec;

    /**
     * Checks the options and builds what {@link #execute()} needs.
     *
     * @throws IllegalArgumentException with one line naming the offending value
     */
    protected void validate() {}

    /** Runs the command after a successful {@link #validate()}. */
    protected abstract ExitCode execute() throws Exception;

    @Override
    public final Integer call() {
        try {
            validate();
            return execute().code;
        } catch (Exception | StackOverflowError | OutOfMemoryError e) {
            return Failures.report(e, err(), debug()).code;
        }
    }

    /** Standard output of this invocation (the stream given to {@link Cli#run}). */
    protected PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** Standard error of this invocation. */
    protected PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** Whether the global {@code --debug} flag was given (before or after the subcommand name). */
    protected boolean debug() {
        return spec.root().userObject() instanceof VmemsimCommand root && root.debug;
    }
}
