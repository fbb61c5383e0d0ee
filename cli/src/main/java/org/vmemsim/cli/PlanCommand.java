package org.vmemsim.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.vmemsim.arch.Granule;
import org.vmemsim.arch.KernelProfile;
import org.vmemsim.kernel.MachineSpec;
import org.vmemsim.plan.Plan;
import org.vmemsim.util.Sz;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code vmemsim plan}: what hot-adding devices costs, read off the model, for one configuration or
 * several side by side ({@code --compare key=v1,v2 ...}).
 */
@Command(name = "plan", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Hot-add device memory on the model and report what it costs.",
            "Memmap in RAM and on the device, page-table pages by level and purpose, section metadata,",
            "altmap use, the usable size ndctl reports, or the kernel's errno when it fails."},
        footer = {"", "Examples:", "  vmemsim plan --device 1T --compare map=dev,mem",
            "  vmemsim plan --granule 64K --ram 64G@0x80000000 --device 8T --compare map=dev,mem",
            "  vmemsim plan --device 256G --compare granule=4K,16K,64K map=dev,mem --csv",
            "  vmemsim plan --arch x86_64 --device 1T --mode devdax --align 2M --compare map=dev,mem",
            "    (x86 devdax map=mem: compound-page vmemmap deduplication keeps 2 memmap pages per 2 MiB page)"})
public final class PlanCommand extends BaseCommand {
    @Mixin
    MachineOptions machine;

    @Option(names = "--device", paramLabel = "SIZE[@ADDR]", required = true,
            description = {"A device to hot-add (repeatable); placed at 128 GiB and above when no ADDR is given.",
                "Without --ram the machine gets max(4 GiB, total device size / 16) of RAM."})
    List<String> devices = new ArrayList<>();

    @Option(names = "--map", paramLabel = "dev|mem", defaultValue = "dev",
            description = "Memmap on the device (dev, altmap) or in RAM (mem) (default: ${DEFAULT-VALUE}).")
    String map;

    @Option(names = "--mode", paramLabel = "fsdax|devdax", defaultValue = "devdax",
            description = "Namespace mode (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--align", paramLabel = "SIZE", description = "Namespace data alignment (default: the driver's).")
    String align;

    @Option(names = "--compare", paramLabel = "KEY=V1,V2", arity = "1..*",
            description = "Compare configurations; keys: granule, map, mode, kernel, rodata_full, va_bits, align.")
    List<String> compare = new ArrayList<>();

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Option(names = "--csv", description = "Print CSV, one row per configuration and device.")
    boolean csv;

    private final List<Plan.Config> configs = new ArrayList<>();

    @Override
    protected void validate() {
        if (json && csv) {
            throw new IllegalArgumentException("--json and --csv are exclusive");
        }
        List<Map<String, String>> combos = new ArrayList<>();
        combos.add(new LinkedHashMap<>());
        for (String c : compare) {
            int eq = c.indexOf('=');
            if (eq <= 0 || eq == c.length() - 1) {
                throw new IllegalArgumentException("--compare '" + c + "' must be KEY=V1,V2");
            }
            String key = c.substring(0, eq).trim().toLowerCase(Locale.ROOT).replace('-', '_');
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> base : combos) {
                for (String v : c.substring(eq + 1).split(",")) {
                    Map<String, String> m = new LinkedHashMap<>(base);
                    m.put(key, v.trim());
                    next.add(m);
                }
            }
            combos = next;
        }
        for (Map<String, String> combo : combos) {
            MachineSpec spec = machine.toSpec();
            String cmap = map;
            String cmode = mode;
            String calign = align;
            StringBuilder label = new StringBuilder();
            for (var e : combo.entrySet()) {
                String v = e.getValue();
                switch (e.getKey()) {
                    case "granule" -> spec.granule = Granule.parse(v);
                    case "kernel", "profile" -> spec.profile = KernelProfile.parse(v);
                    case "va_bits" -> spec.vaBits = Integer.parseInt(v);
                    case "rodata_full" -> spec.rodataFull = Boolean.parseBoolean(v);
                    case "map" -> cmap = v;
                    case "mode" -> cmode = v;
                    case "align" -> calign = v;
                    default -> throw new IllegalArgumentException("--compare key '" + e.getKey()
                            + "' is not one of granule, map, mode, kernel, rodata_full, va_bits, align");
                }
                label.append(label.length() == 0 ? "" : " ").append(e.getKey()).append('=').append(v);
            }
            if (!cmap.equals("dev") && !cmap.equals("mem")) {
                throw new IllegalArgumentException("map '" + cmap + "' must be dev or mem");
            }
            if (!cmode.equals("fsdax") && !cmode.equals("devdax")) {
                throw new IllegalArgumentException("mode '" + cmode + "' must be fsdax or devdax");
            }
            long alignBytes = calign == null ? 0 : Sz.parse(calign);
            List<Plan.Device> devs = new ArrayList<>();
            for (String d : devices) {
                int at = d.indexOf('@');
                long size = Sz.parse(at < 0 ? d : d.substring(0, at));
                long start = at < 0 ? -1 : Sz.parseAddress(d.substring(at + 1));
                if (size == 0) {
                    throw new IllegalArgumentException("device size must not be 0 ('" + d + "')");
                }
                devs.add(new Plan.Device(size, start, cmap, cmode, alignBytes));
            }
            if (machine.ram.isEmpty()) {
                long total = 0;
                for (Plan.Device d : devs) {
                    total += d.size();
                }
                long ram = Plan.defaultRamBytes(total);
                spec.ram.clear();
                spec.ram.add(new org.vmemsim.kernel.RamRange(0x4000_0000L, ram, 0));
            }
            spec.validate();
            configs.add(new Plan.Config(label.length() == 0 ? "map=" + cmap : label.toString(), spec, devs));
        }
    }

    @Override
    protected ExitCode execute() {
        List<Map<String, Object>> results = new ArrayList<>();
        for (Plan.Config c : configs) {
            results.add(Plan.evaluate(c));
        }
        if (json) {
            Map<String, Object> root = new LinkedHashMap<>();
            root.put("configs", results);
            out().print(JsonOut.pretty(root));
        } else if (csv) {
            out().print(PlanText.csv(results));
        } else {
            out().print(PlanText.table(results));
        }
        out().flush();
        return ExitCode.OK;
    }
}
