package org.vmemsim.view;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.vmemsim.kernel.Kernel;
import org.vmemsim.mm.hotplug.MemoryBlock;
import org.vmemsim.mm.hotplug.MemoryBlocks;
import org.vmemsim.util.U64;

/**
 * Memory blocks as users see them: {@code /sys/devices/system/memory/memoryN/*}
 * ({@code drivers/base/memory.c}) and util-linux {@code lsmem}'s default table (RANGE SIZE STATE
 * REMOVABLE BLOCK, consecutive blocks with the same state merged), plus vmemsim's per-block
 * memmap_on_memory accounting (self-hosted vmemmap pages and the block's altmap).
 */
public final class MemoryBlocksView {
    private MemoryBlocksView() {}

    /** {@code memoryN} → its sysfs attributes, plus {@code block_size_bytes} ("%lx"). */
    public static Map<String, Object> sysfs(Kernel k) {
        MemoryBlocks mb = k.ramHotplug.blocks;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("block_size_bytes", Long.toHexString(mb.memoryBlockSizeBytes()));
        for (MemoryBlock mem : mb.blocks()) {
            Map<String, String> a = new LinkedHashMap<>();
            a.put("state", mem.state.label);
            a.put("online", mem.state == MemoryBlock.State.OFFLINE ? "0" : "1");
            a.put("phys_index", mb.physIndex(mem));
            a.put("phys_device", "0");
            a.put("removable", "1");
            a.put("valid_zones", mb.validZones(mem));
            a.put("node", Integer.toString(mem.nid));
            m.put("memory" + mem.id, a);
        }
        return m;
    }

    /** Per block: range, state, zone, node, self-hosted vmemmap pages and altmap counters. */
    public static List<Map<String, Object>> blocks(Kernel k) {
        MemoryBlocks mb = k.ramHotplug.blocks;
        List<Map<String, Object>> out = new ArrayList<>();
        for (MemoryBlock mem : mb.blocks()) {
            Map<String, Object> m = new LinkedHashMap<>();
            long start = mb.startPhys(mem);
            m.put("block", mem.id);
            m.put("range", String.format("0x%016x-0x%016x", start, start + mb.memoryBlockSizeBytes() - 1));
            m.put("state", mem.state.label);
            m.put("zone", mem.zone == null ? "" : mem.zone.label);
            m.put("node", mem.nid);
            m.put("nr_vmemmap_pages", mem.vmemmapPages());
            if (mem.altmap != null) {
                m.put("altmap", Accounting.altmap("memory" + mem.id, mem.altmap));
            }
            out.add(m);
        }
        return out;
    }

    /** Pages of self-hosted memmap (PageVmemmapSelfHosted) of online blocks, and pfns reserved for it in all blocks. */
    public static Map<String, Long> vmemmapAccounting(Kernel k) {
        long reserved = 0;
        for (MemoryBlock mem : k.ramHotplug.blocks.blocks()) {
            reserved += mem.vmemmapPages();
        }
        long selfHosted = 0;
        for (long n : k.ramHotplug.online.selfHosted().values()) {
            selfHosted += n;
        }
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("memmap_on_memory_pages", reserved);
        m.put("vmemmap_self_hosted_pages", selfHosted);
        m.put("memmap_on_memory_bytes", reserved * k.g.pageSize);
        return m;
    }

    /** One lsmem row: consecutive blocks with one state. */
    private record Row(long start, long end, String state, long firstBlock, long lastBlock) {}

    private static List<Row> rows(Kernel k) {
        MemoryBlocks mb = k.ramHotplug.blocks;
        long bs = mb.memoryBlockSizeBytes();
        List<Row> rows = new ArrayList<>();
        Row cur = null;
        for (MemoryBlock mem : mb.blocks()) {
            long start = mb.startPhys(mem);
            if (cur != null && cur.lastBlock() + 1 == mem.id && cur.state().equals(mem.state.label)) {
                cur = new Row(cur.start(), start + bs - 1, cur.state(), cur.firstBlock(), mem.id);
                rows.set(rows.size() - 1, cur);
            } else {
                cur = new Row(start, start + bs - 1, mem.state.label, mem.id, mem.id);
                rows.add(cur);
            }
        }
        return rows;
    }

    /** Size with lsmem's one-letter suffixes: "4G", "128M", "3.9G", "0B". */
    public static String human(long bytes) {
        String[] suffix = {"B", "K", "M", "G", "T", "P", "E"};
        int exp = 0;
        while (exp < 6 && Long.compareUnsigned(bytes, 1L << (10 * (exp + 1))) >= 0) {
            exp++;
        }
        if (exp == 0) {
            return Long.toUnsignedString(bytes) + "B";
        }
        long unit = 1L << (10 * exp);
        long whole = Long.divideUnsigned(bytes, unit);
        long frac = Long.remainderUnsigned(bytes, unit);
        long tenth = (frac * 10 + unit / 2) / unit; // rounded to one decimal
        if (tenth == 10) {
            whole++;
            tenth = 0;
        }
        return tenth == 0 ? whole + suffix[exp] : whole + "." + tenth + suffix[exp];
    }

    /** lsmem's default output. */
    public static String lsmem(Kernel k) {
        List<String[]> cells = new ArrayList<>();
        cells.add(new String[] {"RANGE", "SIZE", "STATE", "REMOVABLE", "BLOCK"});
        TreeMap<String, Long> totals = new TreeMap<>();
        for (Row r : rows(k)) {
            long size = r.end() - r.start() + 1;
            String block = r.firstBlock() == r.lastBlock() ? Long.toString(r.firstBlock()) : r.firstBlock() + "-" + r.lastBlock();
            cells.add(new String[] {String.format("0x%016x-0x%016x", r.start(), r.end()), human(size), r.state(), "yes", block});
            totals.merge(r.state(), size, Long::sum);
        }
        int[] w = new int[5];
        for (String[] c : cells) {
            for (int i = 0; i < 5; i++) {
                w[i] = Math.max(w[i], c[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] c : cells) {
            sb.append(String.format("%-" + w[0] + "s %" + w[1] + "s %" + w[2] + "s %" + w[3] + "s %" + w[4] + "s", (Object[]) c)
                    .stripTrailing()).append('\n');
        }
        sb.append('\n');
        // the summary lines end in column 29, as lsmem prints them
        sb.append(String.format("%-23s%6s%n", "Memory block size:", human(k.ramHotplug.blocks.memoryBlockSizeBytes())));
        sb.append(String.format("%-23s%6s%n", "Total online memory:", human(totals.getOrDefault("online", 0L))));
        sb.append(String.format("%-23s%6s%n", "Total offline memory:", human(totals.getOrDefault("offline", 0L))));
        return sb.toString();
    }

    /** The RAM range string of a block, as lsmem prints it. */
    public static String range(Kernel k, long blockId) {
        long start = blockId * k.ramHotplug.blocks.memoryBlockSizeBytes();
        return String.format("0x%016x-0x%016x", start, U64.end(start, k.ramHotplug.blocks.memoryBlockSizeBytes()) - 1);
    }
}
