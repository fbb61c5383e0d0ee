package org.vmemsim.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import org.vmemsim.drivers.nvdimm.NdctlJson;
import org.vmemsim.drivers.nvdimm.Nvdimm;
import org.vmemsim.drivers.nvdimm.PfnMode;
import org.vmemsim.kernel.Kernel;
import org.vmemsim.kernel.MachineSpec;
import org.vmemsim.kernel.RamRange;
import org.vmemsim.mm.vmemmap.VmemAltmap;
import org.vmemsim.util.KernelError;
import org.vmemsim.util.Errno;
import org.vmemsim.util.Sz;
import org.vmemsim.util.U64;
import org.vmemsim.view.Accounting;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vmemsim ndctl}: ndctl-shaped answers from the model, without a scenario. */
@Command(name = "ndctl", mixinStandardHelpOptions = true,
        description = "ndctl-shaped commands answered by the model.",
        subcommands = {NdctlCommand.CreateNamespace.class})
public final class NdctlCommand implements Runnable {
    @Override
    public void run() {
        throw new IllegalArgumentException("ndctl needs a subcommand: create-namespace");
    }

    /** {@code vmemsim ndctl create-namespace --size 4G --mode devdax --map dev [--align 2M]}. */
    @Command(name = "create-namespace", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Create an fsdax/devdax namespace on a default machine whose pmem region fits it",
                "and print what 'ndctl create-namespace' prints, plus the altmap and the RAM cost."},
            footer = {"", "Examples:", "  vmemsim ndctl create-namespace --size 4G --mode devdax --map dev --align 2M",
                "  vmemsim ndctl create-namespace --size 1T --mode fsdax --map mem --granule 64K"})
    public static final class CreateNamespace extends BaseCommand {
        @Mixin
        MachineOptions machine;

        @Option(names = {"-s", "--size"}, paramLabel = "SIZE", required = true, description = "Namespace size, e.g. 4G.")
        String size;

        @Option(names = {"-m", "--mode"}, paramLabel = "fsdax|devdax", defaultValue = "fsdax",
                description = "Namespace mode (default: ${DEFAULT-VALUE}).")
        String mode;

        @Option(names = {"-M", "--map"}, paramLabel = "dev|mem", defaultValue = "dev",
                description = "Where the memmap lives: dev (on the device, altmap) or mem (system RAM) (default: ${DEFAULT-VALUE}).")
        String map;

        @Option(names = {"-a", "--align"}, paramLabel = "SIZE", description = "Data alignment (default: the driver's, PMD size).")
        String align;

        @Option(names = {"-u", "--human"}, description = "Sizes as ndctl prints them with -u.")
        boolean human;

        private MachineSpec spec;
        private long sizeBytes;
        private long alignBytes;
        private boolean dax;
        private PfnMode pfnMode;

        @Override
        protected void validate() {
            sizeBytes = Sz.parse(size);
            alignBytes = align == null ? 0 : Sz.parse(align);
            dax = switch (mode) {
                case "devdax", "dax" -> true;
                case "fsdax", "memory" -> false;
                default -> throw new IllegalArgumentException("mode '" + mode + "' must be fsdax or devdax");
            };
            pfnMode = switch (map) {
                case "dev" -> PfnMode.PMEM;
                case "mem" -> PfnMode.RAM;
                default -> throw new IllegalArgumentException("map '" + map + "' must be dev or mem");
            };
            if (sizeBytes == 0) {
                throw new IllegalArgumentException("size must not be 0");
            }
            spec = machine.toSpec();
            if (spec.pmem.isEmpty()) {
                long regionSize = U64.alignUp(sizeBytes, Sz.SZ_1G);
                spec.pmem.add(new RamRange(0x20_0000_0000L, regionSize, 0));
            }
            spec.validate();
        }

        @Override
        protected ExitCode execute() {
            Kernel k = Kernel.boot(spec);
            long freeBefore = k.mm.buddy.nrFreePages();
            Accounting.Tables tBefore = Accounting.tables(k);
            Nvdimm.Namespace[] out = new Nvdimm.Namespace[1];
            int rc = k.nvdimm.createNamespace(0, sizeBytes, dax, pfnMode, alignBytes, out);
            if (rc != 0) {
                throw new KernelError(Errno.of(rc), k.log.lastErrorFunction(), k.log.lastError());
            }
            Nvdimm.Namespace ns = out[0];
            Map<String, Object> j = new LinkedHashMap<>(NdctlJson.utilNamespaceToJson(k.g, ns.pfn, -1, human));
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("machine", spec.describe());
            extra.put("namespace_start", U64.hex(ns.start));
            extra.put("namespace_size", ns.size);
            extra.put("data_offset", ns.pfn.sb.dataoff());
            extra.put("end_trunc", ns.pfn.sb.endTrunc());
            extra.put("reserved_bytes", ns.size - ns.pfn.sb.dataSize(ns.size));
            VmemAltmap a = ns.setup.altmap;
            extra.put("altmap", a == null ? null : Accounting.altmap(ns.pfn.name, k.memremap.pgmaps().get(ns.pfn.name).altmap));
            Accounting.Memmap mem = Accounting.memmap(k);
            Accounting.Tables t = Accounting.tables(k);
            extra.put("memmap_on_device_bytes", mem.byAltmapOwner().getOrDefault(ns.pfn.name, 0L));
            extra.put("ram_cost_bytes", (freeBefore - k.mm.buddy.nrFreePages()) * k.g.pageSize);
            extra.put("pgtable_pages_vmemmap", t.vmemmap() - tBefore.vmemmap());
            extra.put("pgtable_pages_linear", t.linear() - tBefore.linear());
            j.put("vmemsim", extra);
            out().println(NdctlJson.render(j));
            out().flush();
            return ExitCode.OK;
        }
    }
}
