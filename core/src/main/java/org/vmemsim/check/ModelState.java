package org.vmemsim.check;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vmemsim.kernel.Kernel;
import org.vmemsim.mm.alloc.Memblock;
import org.vmemsim.mm.alloc.PageAlloc;
import org.vmemsim.mm.alloc.Slab;
import org.vmemsim.mm.memremap.DevPagemap;
import org.vmemsim.mm.phys.FrameStore;
import org.vmemsim.mm.phys.PhysRange;
import org.vmemsim.mm.sparse.MemSection;
import org.vmemsim.mm.vmemmap.VmemAltmap;

/**
 * A deep copy of everything a kernel operation may change — buddy allocator, memblock, slab,
 * page-table frames, sections, pgmaps with their altmaps, the physical map — to compare the model
 * before and after an operation (architecture rule 6: a failed operation leaves the model as it
 * was). The kernel log and the fault injector are not part of the state.
 */
public final class ModelState {
    /** The parts of a dev_pagemap a step may change (the altmap is compared separately). */
    private record PgmapFields(String type, long start, long end, int flags, int nid, boolean mapped, long refs,
                               long initReserved, long initDevice, int vmemmapShift) {}

    private final Kernel k;
    private final PageAlloc buddy;
    private final Memblock memblock;
    private final Slab slab;
    private final FrameStore frames;
    private final Object[] sections;
    private final Map<String, PgmapFields> pgmaps = new LinkedHashMap<>();
    private final Map<String, VmemAltmap> altmaps = new LinkedHashMap<>();
    private final List<PhysRange> phys;

    private ModelState(Kernel k, boolean copy) {
        this.k = k;
        this.buddy = copy ? k.mm.buddy.copy(k.faults, k.log) : k.mm.buddy;
        this.memblock = copy ? k.mm.memblock.copy(k.faults) : k.mm.memblock;
        this.slab = copy ? k.mm.slab.copy(k.faults) : k.mm.slab;
        this.frames = copy ? k.mm.frames.copy() : k.mm.frames;
        this.sections = k.sparse.snapshot();
        for (DevPagemap pg : k.memremap.pgmaps().values()) {
            pgmaps.put(pg.id, new PgmapFields(pg.type.label, pg.rangeStart, pg.rangeEnd, pg.flags, pg.nid, pg.mapped, pg.refs,
                    pg.initReservedPages, pg.initDevicePages, pg.vmemmapShift));
            altmaps.put(pg.id, pg.altmap.copy());
        }
        this.phys = List.copyOf(k.mm.phys.ranges());
    }

    /** Copies the current state of {@code k}. */
    public static ModelState capture(Kernel k) {
        return new ModelState(k, true);
    }

    /**
     * The current state of {@code k} without copying the allocators and frames: only for an
     * immediate {@link #diff} against a captured state (it changes when the kernel does).
     */
    public static ModelState live(Kernel k) {
        return new ModelState(k, false);
    }

    /** The first difference between two states, human readable, or null when they are the same. */
    public static String diff(ModelState before, ModelState after) {
        return diff(before, after, false);
    }

    /**
     * As {@link #diff(ModelState, ModelState)}; with {@code allowL1} the mem_section roots that
     * appeared in {@code after} (with only empty sections) and their slab objects are not a
     * difference: {@code sparse_index_init} never frees a root (leak L1 of spec 9.1).
     */
    public static String diff(ModelState before, ModelState after, boolean allowL1) {
        String d = StateDiffs.sections(before.k, before.sections, after.sections, allowL1);
        if (d == null) {
            d = StateDiffs.slab(before.slab, after.slab, allowL1);
        }
        if (d == null && !before.buddy.sameState(after.buddy)) {
            d = StateDiffs.buddy(before.buddy, after.buddy);
        }
        if (d == null && !before.frames.sameContents(after.frames)) {
            d = StateDiffs.frames(before.frames, after.frames);
        }
        if (d == null && !before.memblock.sameState(after.memblock)) {
            d = StateDiffs.memblock(before.memblock, after.memblock);
        }
        if (d == null) {
            d = pgmaps(before, after);
        }
        if (d == null && !before.phys.equals(after.phys)) {
            d = "physical map changed: " + before.phys + " -> " + after.phys;
        }
        return d;
    }

    private static String pgmaps(ModelState a, ModelState b) {
        if (!a.pgmaps.keySet().equals(b.pgmaps.keySet())) {
            List<String> gone = new ArrayList<>(a.pgmaps.keySet());
            gone.removeAll(b.pgmaps.keySet());
            List<String> added = new ArrayList<>(b.pgmaps.keySet());
            added.removeAll(a.pgmaps.keySet());
            return "pgmaps changed: removed " + gone + ", added " + added;
        }
        for (var e : a.pgmaps.entrySet()) {
            PgmapFields other = b.pgmaps.get(e.getKey());
            if (!e.getValue().equals(other)) {
                return "pgmap " + e.getKey() + " changed: " + e.getValue() + " -> " + other;
            }
            VmemAltmap x = a.altmaps.get(e.getKey());
            VmemAltmap y = b.altmaps.get(e.getKey());
            if (!x.sameState(y)) {
                return "altmap of " + e.getKey() + " changed: " + x + " -> " + y;
            }
        }
        return null;
    }

    /** Whether the sub-section of {@code pfn} was active in this state (for classifying partial failures). */
    public boolean subsectionActive(long pfn) {
        MemSection ms = StateDiffs.section(k, sections, k.g.pfnToSection(pfn));
        int idx = (int) ((pfn & (k.g.pagesPerSection - 1)) / k.g.pagesPerSubsection);
        return ms != null && ms.usage != null && ms.usage.test(idx);
    }
}
