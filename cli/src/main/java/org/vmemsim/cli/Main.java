package org.vmemsim.cli;

/** The {@code vmemsim} program: runs {@link Cli} on the process streams and exits with its code. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(Cli.run(args, System.out, System.err));
    }
}
