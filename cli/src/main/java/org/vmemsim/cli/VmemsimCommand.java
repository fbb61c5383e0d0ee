package org.vmemsim.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** The root command: it only lists the subcommands and carries the global flags. */
@Command(
        name = "vmemsim",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "An executable model of Linux memory hotplug, the sparse vmemmap and vmem_altmap (arm64, x86_64, ppc64, riscv64, ia64).",
        },
        subcommands = {RunCommand.class, BootCommand.class, PlanCommand.class, NdctlCommand.class, ReportCommand.class,
            SweepCommand.class, FuzzCommand.class, FaultsCommand.class, BenchCommand.class, HelpCommand.class},
        footer = {"", "Run 'vmemsim COMMAND --help' for the options of a command."})
public final class VmemsimCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--debug", scope = ScopeType.INHERIT,
            description = "On an error, also print the Java stack trace.")
    boolean debug;

    /** Without a subcommand: print the usage and succeed. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return ExitCode.OK.code;
    }
}
