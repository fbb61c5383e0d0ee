package org.vmemsim.view;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vmemsim.kernel.Kernel;
import org.vmemsim.util.Sz;
import org.vmemsim.util.U64;

/** Reports assembled from the views, for the CLI. */
public final class Views {
    private Views() {}

    public static Map<String, Object> machine(Kernel k) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("arch", k.g.arch.label);
        m.put("granule", k.g.granule.label());
        m.put("va_bits", k.g.vaBits);
        m.put("kernel", k.g.profile.label);
        m.put("rodata_full", k.spec.rodataFull);
        m.put("page_offset", U64.hex16(k.g.pageOffset));
        m.put("vmemmap_start", U64.hex16(k.g.vmemmapStart));
        m.put("memstart_addr", U64.hex(k.mm.memstartAddr));
        m.put("section_size_bits", k.g.sectionSizeBits);
        return m;
    }

    public static LinkedHashMap<String, Object> bootReport(Kernel k) {
        LinkedHashMap<String, Object> m = new LinkedHashMap<>();
        m.put("machine", machine(k));
        m.put("meminfo", Meminfo.of(k));
        m.put("accounting", Accounting.of(k));
        m.put("ptdump", PtdumpView.lines(k, false));
        return m;
    }

    public static String accountingText(Kernel k) {
        StringBuilder sb = new StringBuilder();
        Accounting.Memmap mem = Accounting.memmap(k);
        Accounting.Tables t = Accounting.tables(k);
        long page = k.g.pageSize;
        sb.append(String.format("RAM managed      %16d bytes (%s)%n", k.mm.buddy.totalramPages() * page,
                Sz.gib(k.mm.buddy.totalramPages() * page)));
        sb.append(String.format("RAM free         %16d bytes (%s)%n", k.mm.buddy.nrFreePages() * page,
                Sz.gib(k.mm.buddy.nrFreePages() * page)));
        sb.append(String.format("memmap in RAM    %16d bytes (%s)%n", mem.ramBytes(), Sz.gib(mem.ramBytes())));
        sb.append(String.format("memmap in altmap %16d bytes (%s)%n", mem.deviceBytes(), Sz.gib(mem.deviceBytes())));
        sb.append(String.format("page tables      vmemmap %d %s, linear map %d %s (+ the PGD)%n", t.vmemmap(),
                t.vmemmapByLevel(), t.linear(), t.linearByLevel()));
        for (Map<String, Object> a : Accounting.altmaps(k)) {
            sb.append("altmap           ").append(a).append('\n');
        }
        return sb.toString();
    }

    public static String bootText(Kernel k) {
        StringBuilder sb = new StringBuilder();
        sb.append("# ").append(k.spec.describe()).append('\n');
        sb.append("## /proc/meminfo\n").append(Meminfo.text(k));
        sb.append("## accounting\n").append(accountingText(k));
        sb.append("## /sys/kernel/debug/kernel_page_tables\n");
        List<String> lines = PtdumpView.lines(k, false);
        for (String l : lines) {
            sb.append(l).append('\n');
        }
        return sb.toString();
    }
}
