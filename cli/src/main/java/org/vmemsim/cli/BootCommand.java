package org.vmemsim.cli;

import org.vmemsim.kernel.Kernel;
import org.vmemsim.kernel.MachineSpec;
import org.vmemsim.view.Views;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code vmemsim boot}: boots one machine and prints what the kernel set up (meminfo, memory
 * accounting, the kernel page tables), as text or as one JSON object.
 */
@Command(
        name = "boot",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "Boot a machine and print its memory state: meminfo, accounting and ptdump.",
        footer = {"", "Examples:",
            "  vmemsim boot",
            "  vmemsim boot --granule 64K --va-bits 52 --ram 8G@0x80000000",
            "  vmemsim boot --ram 2G@0x4000_0000 --ram 2G@0x1_0000_0000:1",
            "  vmemsim boot --kernel 5.9 --rodata-full false --json"})
public final class BootCommand extends BaseCommand {
    @Mixin
    MachineOptions machine;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    private MachineSpec machineSpec;

    @Override
    protected void validate() {
        machineSpec = machine.toSpec();
        machineSpec.validate();
    }

    @Override
    protected ExitCode execute() {
        Kernel kernel = Kernel.boot(machineSpec);
        if (json) {
            out().print(JsonOut.pretty(Views.bootReport(kernel)));
        } else {
            String text = Views.bootText(kernel);
            out().print(text.endsWith("\n") ? text : text + "\n");
        }
        out().flush();
        return ExitCode.OK;
    }
}
