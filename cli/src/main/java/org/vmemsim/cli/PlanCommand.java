package org.vmemsim.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.vmemsim.arch.Arch;
import org.vmemsim.arch.Granule;
import org.vmemsim.arch.KernelProfile;
import org.vmemsim.kernel.MachineSpec;
import org.vmemsim.plan.Plan;
import org.vmemsim.plan.PlanMachine;
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
            "Memmap in RAM and on the device (and where it lives), page-table pages by level and purpose,",
            "section metadata, altmap use, the usable size ndctl reports, or the kernel's errno when it fails.",
            "With --compare arch=... one and the same device is planned on each architecture, each with its",
            "own default granule, VA size and (without --ram) RAM placement:",
            "  arm64 4K VA48, RAM at 0x40000000; x86_64 4K VA48, RAM at 0; ppc64 (radix) 64K VA52, RAM at 0;",
            "  riscv64 4K Sv39, RAM at 0x80000000; ia64 16K VA47, RAM at 0 (kernels 5.8, 5.9, 6.1 only).",
            "Devices go to 128 GiB and up, or just above RAM when 128 GiB would leave the linear-mappable",
            "window (riscv64 Sv39: 132 GiB from the DRAM base); the address is printed per column.",
            "A machine the arch cannot have (e.g. 16K on x86_64) or a kernel without ZONE_DEVICE (ia64;",
            "riscv64 before 6.11) shows its one-line reason in that column."},
        footer = {"", "Examples:", "  vmemsim plan --device 1T --compare map=dev,mem",
            "  vmemsim plan --granule 64K --ram 64G@0x80000000 --device 8T --compare map=dev,mem",
            "  vmemsim plan --device 256G --compare granule=4K,16K,64K map=dev,mem --csv",
            "  vmemsim plan --arch x86_64 --device 1T --mode devdax --align 2M --compare map=dev,mem",
            "    (x86 devdax map=mem: compound-page vmemmap deduplication keeps 2 memmap pages per 2 MiB page)",
            "  vmemsim plan --device 64G --compare arch=arm64,x86_64,ppc64,riscv64 map=dev,mem",
            "  vmemsim plan --device 1T --compare arch=arm64,x86_64,ppc64,riscv64:48 map=dev,mem",
            "    (a 1 TiB device does not fit the riscv64 Sv39 linear map: ARCH:VA_BITS picks Sv48 for riscv64 only)",
            "  vmemsim plan --kernel 6.1 --device 64G --compare arch=arm64,riscv64,ia64",
            "    (riscv64 before 6.11 and ia64 have no ZONE_DEVICE: -ENXIO and the reason)"})
public final class PlanCommand extends BaseCommand {
    @Mixin
    MachineOptions machine;

    @Option(names = "--device", paramLabel = "SIZE[@ADDR]", required = true,
            description = {"A device to hot-add (repeatable); placed at 128 GiB and above (or just above RAM when",
                "that leaves the linear-mappable window) when no ADDR is given.",
                "Without --ram the machine gets max(4 GiB, total device size / 16) of RAM at the arch's",
                "DRAM base: 0x40000000 on arm64, 0x80000000 on riscv64, 0 on x86_64, ppc64 and ia64."})
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
            description = {"Compare configurations (every combination of the keys given); keys: arch, granule, map,",
                "mode, kernel, rodata_full, va_bits, align. arch values are ARCH or ARCH:VA_BITS (arm64,",
                "x86_64, ppc64, riscv64, ia64); each arch keeps its default granule and VA size unless",
                "--granule / --va-bits or a granule / va_bits key is given."})
    List<String> compare = new ArrayList<>();

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Option(names = "--csv", description = "Print CSV, one row per configuration and device.")
    boolean csv;

    private final List<Plan.Config> configs = new ArrayList<>();
    /** Per configuration: null, or why its machine is invalid (shown in its column instead of figures). */
    private final List<String> invalid = new ArrayList<>();

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
        String firstInvalid = null;
        for (Map<String, String> combo : combos) {
            MachineSpec spec = machine.toSpec();
            String cmap = map;
            String cmode = mode;
            String calign = align;
            StringBuilder label = new StringBuilder();
            if (combo.containsKey("arch")) {
                applyArch(spec, combo.get("arch"));
            }
            for (var e : combo.entrySet()) {
                String v = e.getValue();
                switch (e.getKey()) {
                    case "arch" -> { } // applied first: the arch decides the default granule and VA size
                    case "granule" -> spec.granule = Granule.parse(v);
                    case "kernel", "profile" -> spec.profile = KernelProfile.parse(v);
                    case "va_bits" -> spec.vaBits = parseVaBits(v);
                    case "rodata_full" -> spec.rodataFull = Boolean.parseBoolean(v);
                    case "map" -> cmap = v;
                    case "mode" -> cmode = v;
                    case "align" -> calign = v;
                    default -> throw new IllegalArgumentException("--compare key '" + e.getKey()
                            + "' is not one of arch, granule, map, mode, kernel, rodata_full, va_bits, align");
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
                spec.ram.clear();
                spec.ram.add(PlanMachine.defaultRam(spec.arch, total));
            }
            Plan.Config config = new Plan.Config(label.length() == 0 ? "map=" + cmap : label.toString(), spec, devs);
            String why = null;
            try {
                Plan.place(spec, devs);
                spec.validate();
            } catch (IllegalArgumentException e) {
                why = e.getMessage();
                firstInvalid = firstInvalid == null ? why : firstInvalid;
            }
            configs.add(config);
            invalid.add(why);
        }
        if (!invalid.contains(null)) {
            // nothing to show: a machine no configuration can boot is a user mistake
            throw new IllegalArgumentException(firstInvalid);
        }
    }

    /**
     * {@code ARCH[:VA_BITS]}: the arch with its own default granule (unless --granule) and VA size
     * (unless --va-bits or the suffix).
     */
    private void applyArch(MachineSpec spec, String value) {
        int colon = value.indexOf(':');
        spec.arch = Arch.parse(colon < 0 ? value : value.substring(0, colon));
        spec.granule = machine.granule != null ? machine.granule : MachineSpec.defaultGranule(spec.arch);
        spec.vaBits = colon >= 0 ? Integer.valueOf(parseVaBits(value.substring(colon + 1))) : machine.vaBits;
    }

    private static int parseVaBits(String v) {
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("VA size '" + v + "' is not a number of bits (e.g. 48)");
        }
    }

    @Override
    protected ExitCode execute() {
        List<Map<String, Object>> results = new ArrayList<>();
        for (int i = 0; i < configs.size(); i++) {
            Plan.Config c = configs.get(i);
            Map<String, Object> r = invalid.get(i) != null ? Plan.invalid(c, invalid.get(i)) : Plan.evaluate(c);
            r.put("ram_default", machine.ram.isEmpty());
            results.add(r);
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
