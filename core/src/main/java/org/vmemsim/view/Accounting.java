package org.vmemsim.view;

import it.unimi.dsi.fastutil.longs.LongOpenHashSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.vmemsim.arch.Geometry;
import org.vmemsim.kernel.Kernel;
import org.vmemsim.mm.alloc.Memblock;
import org.vmemsim.mm.hotplug.MemoryBlock;
import org.vmemsim.mm.memremap.DevPagemap;
import org.vmemsim.mm.pgtable.MmCore;
import org.vmemsim.mm.vmemmap.VmemAltmap;
import org.vmemsim.util.U64;

/**
 * vmemsim's accounting view, read off the model's state: RAM from the buddy allocator, memmap
 * bytes from the vmemmap leaves (by where their backing lives), page-table pages from a walk of the
 * kernel page tables (by level and by the region their window covers), altmap counters.
 */
public final class Accounting {
    private Accounting() {}

    /** Counts of a table walk. */
    public record Tables(TreeMap<String, Long> vmemmapByLevel, TreeMap<String, Long> linearByLevel,
                         TreeMap<String, Long> otherByLevel, long vmemmap, long linear, long other) {}

    /** Memmap backing read off the vmemmap leaves. */
    public record Memmap(long ramBytes, long deviceBytes, TreeMap<String, Long> byAltmapOwner) {}

    public static Tables tables(Kernel k) {
        MmCore mm = k.mm;
        Geometry g = k.g;
        TreeMap<String, Long> vm = new TreeMap<>();
        TreeMap<String, Long> lin = new TreeMap<>();
        TreeMap<String, Long> oth = new TreeMap<>();
        long[] n = new long[3];
        mm.pgtable.walkTables((level, pfn, windowStart) -> {
            long windowLast = windowStart + g.entrySpan(level - 1) - 1; // inclusive: the top window ends at 2^64
            String name = g.tableName(level);
            if (U64.le(windowStart, g.vmemmapEnd - 1) && U64.le(g.vmemmapStart, windowLast)) {
                vm.merge(name, 1L, Long::sum);
                n[0]++;
            } else if (U64.le(windowStart, g.pageEnd - 1) && U64.le(g.pageOffset, windowLast)) {
                lin.merge(name, 1L, Long::sum);
                n[1]++;
            } else {
                oth.merge(name, 1L, Long::sum);
                n[2]++;
            }
        });
        return new Tables(vm, lin, oth, n[0], n[1], n[2]);
    }

    /** True when {@code pa} is system RAM (memblock memory: boot and hot-added RAM). */
    static boolean isRam(MmCore mm, long pa) {
        return isRam(mm.memblock.memory(), pa);
    }

    /** {@link #isRam(MmCore, long)} over a list of memblock memory fetched once by the caller. */
    private static boolean isRam(List<Memblock.Region> memory, long pa) {
        for (int i = 0; i < memory.size(); i++) {
            Memblock.Region r = memory.get(i);
            if (U64.inRange(pa, r.base(), r.end())) {
                return true;
            }
        }
        return false;
    }

    /** Backing label of a physical address for reports: "RAM", "altmap:ID" or "device". */
    public static String backing(Kernel k, long pa) {
        if (isRam(k.mm, pa)) {
            return "RAM";
        }
        DevPagemap pg = k.memremap.getDevPagemap(pa >>> k.g.pageShift);
        return pg != null ? "altmap:" + pg.id : "device";
    }

    public static Memmap memmap(Kernel k) {
        MmCore mm = k.mm;
        Geometry g = k.g;
        long[] bytes = new long[2];
        TreeMap<String, Long> byOwner = new TreeMap<>();
        List<MemoryBlock> hosted = new ArrayList<>();
        for (MemoryBlock mem : k.ramHotplug.blocks.blocks()) {
            if (mem.vmemmapPages() != 0) {
                hosted.add(mem);
            }
        }
        // Memblock memory does not change during the walk: fetch it once, not once per leaf. Device
        // bytes are summed per owner and merged into the map when the owner changes, so a run of
        // leaves in one pgmap costs one range test per leaf, not a map update.
        List<Memblock.Region> memory = mm.memblock.memory();
        DevPagemap[] cur = new DevPagemap[1];
        String[] curId = new String[1];
        long[] curBytes = new long[1];
        LongOpenHashSet shared = new LongOpenHashSet();
        long[] lastShared = {-1};
        mm.pgtable.walkLeaves(g.vmemmapStart, g.vmemmapEnd, (va, count, level, desc, stride) -> {
            long span = g.entrySpan(level);
            for (long i = 0; i < count; i++) {
                long pa = (mm.fmt.outputAddress(desc + i * stride)) & -span;
                String selfHosted = hosted.isEmpty() ? null : selfHostedOwner(k, hosted, pa >>> g.pageShift);
                if (selfHosted != null) {
                    bytes[1] += span; // memmap_on_memory: the memmap lives on the hot-added block itself
                    byOwner.merge(selfHosted, span, Long::sum);
                } else if (isRam(memory, pa)) {
                    // a deduplicated device-dax memmap page is mapped by several PTEs: count it once
                    long pfn = pa >>> g.pageShift;
                    boolean isShared = span == g.pageSize && mm.buddy.extraRefCount(pfn) > 0;
                    if (!isShared || (pfn != lastShared[0] && shared.add(pfn))) {
                        bytes[0] += span;
                    }
                    lastShared[0] = isShared ? pfn : -1;
                } else {
                    bytes[1] += span;
                    long pfn = pa >>> g.pageShift;
                    DevPagemap pg = cur[0] != null && U64.inRange(pfn, cur[0].rangeStart >>> g.pageShift,
                            (cur[0].rangeEnd >>> g.pageShift) + 1) ? cur[0] : k.memremap.getDevPagemap(pfn);
                    String id = pg == null ? "?" : pg.id;
                    if (curId[0] != null && !curId[0].equals(id)) {
                        byOwner.merge(curId[0], curBytes[0], Long::sum);
                        curBytes[0] = 0;
                    }
                    cur[0] = pg;
                    curId[0] = id;
                    curBytes[0] += span;
                }
            }
        });
        if (curId[0] != null) {
            byOwner.merge(curId[0], curBytes[0], Long::sum);
        }
        return new Memmap(bytes[0], bytes[1], byOwner);
    }

    /** "memoryN" when {@code pfn} is one of the self-hosted memmap pages of memory block N (memmap_on_memory). */
    static String selfHostedOwner(Kernel k, List<MemoryBlock> hosted, long pfn) {
        for (MemoryBlock mem : hosted) {
            long start = k.ramHotplug.blocks.startPfn(mem);
            if (mem.vmemmapPages() != 0 && U64.inRange(pfn, start, start + mem.vmemmapPages())) {
                return "memory" + mem.id;
            }
        }
        return null;
    }

    public static List<Map<String, Object>> altmaps(Kernel k) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (MemoryBlock mem : k.ramHotplug.blocks.blocks()) {
            if (mem.altmap != null) {
                out.add(altmap("memory" + mem.id, mem.altmap));
            }
        }
        for (DevPagemap pg : k.memremap.pgmaps().values()) {
            VmemAltmap a = pg.pgmapAltmap();
            if (a == null) {
                continue;
            }
            out.add(altmap(pg.id, a));
        }
        return out;
    }

    public static Map<String, Object> altmap(String id, VmemAltmap a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("base_pfn", U64.hex(a.basePfn));
        m.put("end_pfn", U64.hex(a.endPfn));
        m.put("reserve", a.reserve);
        m.put("free", a.free);
        m.put("alloc", a.alloc);
        m.put("align", a.align);
        return m;
    }

    /** The accounting object of the JSON reports. */
    public static Map<String, Object> of(Kernel k) {
        MmCore mm = k.mm;
        Geometry g = k.g;
        Map<String, Object> m = new LinkedHashMap<>();
        long page = g.pageSize;
        m.put("ram_total_bytes", mm.buddy.totalramPages() * page);
        m.put("ram_free_bytes", mm.buddy.nrFreePages() * page);
        m.put("ram_used_bytes", (mm.buddy.totalramPages() - mm.buddy.nrFreePages()) * page);
        Memmap mem = memmap(k);
        m.put("memmap_ram_bytes", mem.ramBytes());
        m.put("memmap_altmap_bytes", mem.deviceBytes());
        Tables t = tables(k);
        Map<String, Object> pt = new LinkedHashMap<>();
        pt.put("vmemmap", t.vmemmap());
        pt.put("linear", t.linear());
        pt.put("pgd", 1);
        pt.put("vmemmap_by_level", t.vmemmapByLevel());
        pt.put("linear_by_level", t.linearByLevel());
        m.put("pgtable_pages", pt);
        m.put("altmaps", altmaps(k));
        Map<String, Object> sections = new LinkedHashMap<>();
        long[] cnt = new long[3];
        k.sparse.forEachSection((nr, ms) -> {
            if (ms.present()) {
                cnt[0]++;
            }
            if (ms.early()) {
                cnt[1]++;
            }
            if (ms.online()) {
                cnt[2]++;
            }
        });
        sections.put("present", cnt[0]);
        sections.put("early", cnt[1]);
        sections.put("online", cnt[2]);
        sections.put("roots", k.sparse.existingRoots().length);
        m.put("sections", sections);
        m.put("slab_bytes", mm.slab.bytes());
        m.put("boot_reserved_bytes", k.bootReserved());
        return m;
    }
}
