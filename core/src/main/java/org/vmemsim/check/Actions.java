package org.vmemsim.check;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.vmemsim.arch.Geometry;
import org.vmemsim.kernel.RamRange;
import org.vmemsim.mm.memremap.MemoryType;

/**
 * The built-in actions of the fuzzer: map a device (memremap, with and without an altmap, at
 * aligned and unaligned places, sub-section sized to several sections) and unmap a live one.
 * {@link #defaults()} returns a fresh list so callers can add actions (add/remove memory,
 * online/offline, namespaces) when those exist.
 */
public final class Actions {
    private Actions() {}

    public static List<Action> defaults() {
        List<Action> l = new ArrayList<>();
        l.add(new Memremap());
        l.add(new Memunmap());
        return l;
    }

    /** Draws a memremap of a device in the world's window (sometimes in RAM or misaligned, to reach the error paths). */
    public static final class Memremap implements Action {
        @Override
        public String name() {
            return "memremap";
        }

        @Override
        public int weight() {
            return 3;
        }

        @Override
        public boolean precondition(FuzzWorld w) {
            return unavailable(w) == null;
        }

        /** ZONE_DEVICE is missing on ia64 and on riscv64 before 6.11. */
        @Override
        public String unavailable(FuzzWorld w) {
            return org.vmemsim.arch.ArchFeatures.zoneDeviceUnavailable(w.g.arch, w.g.profile);
        }

        @Override
        public FuzzStep generate(FuzzWorld w, SplittableRandom rng) {
            Geometry g = w.g;
            long sub = g.pagesPerSubsection << g.pageShift;
            long section = g.pagesPerSection << g.pageShift;
            long subs = g.subsectionsPerSection;
            long nrSub = w.windowSize / sub;
            long start = w.windowStart + rng.nextLong(nrSub) * sub;
            long size;
            int kind = rng.nextInt(100);
            if (kind < 50) {
                size = (1 + rng.nextInt(4)) * sub;
            } else if (kind < 75) {
                size = (1 + rng.nextLong(Math.min(subs, 64))) * sub;
            } else if (kind < 87) {
                // a few sub-sections on each side of a section boundary
                long boundary = w.windowStart + (1 + rng.nextLong(w.windowSize / section - 1)) * section;
                long before = 1 + rng.nextInt(4);
                start = boundary - before * sub;
                size = (before + 1 + rng.nextInt(4)) * sub;
            } else if (kind < 91) {
                start = w.windowStart + rng.nextLong(w.windowSize / section) * section;
                size = (1 + rng.nextInt(2)) * section;
            } else if (kind < 94) {
                size = section + (1 + rng.nextInt(4)) * sub;
            } else if (kind < 97) {
                size = sub + (1 + rng.nextLong(sub / g.pageSize - 1)) * g.pageSize; // not a sub-section multiple
                if (rng.nextBoolean()) {
                    start += (1 + rng.nextLong(sub / g.pageSize - 1)) * g.pageSize; // nor its start
                }
            } else {
                RamRange r = w.k.spec.ram.get(rng.nextInt(w.k.spec.ram.size()));
                start = r.start() + rng.nextLong(Math.max(1, r.size() / sub)) * sub;
                size = (1 + rng.nextInt(4)) * sub;
            }
            MemoryType type = rng.nextInt(100) < 80 ? MemoryType.FS_DAX : rng.nextBoolean() ? MemoryType.GENERIC
                    : MemoryType.PRIVATE;
            long reserve = MemremapFuzzStep.NO_ALTMAP;
            long free = MemremapFuzzStep.AUTO;
            if (type != MemoryType.PRIVATE && rng.nextBoolean()) {
                reserve = rng.nextBoolean() ? 0 : 2;
                int freeKind = rng.nextInt(100);
                long nrPages = size >>> g.pageShift;
                long auto = w.k.autoAltmapFree(nrPages, reserve);
                if (freeKind >= 60 && freeKind < 85) {
                    free = rng.nextLong(auto + 1);
                } else if (freeKind >= 85) {
                    free = rng.nextLong(nrPages + 1);
                }
            }
            return new MemremapFuzzStep(w.newId(), type, start, size, reserve, free, 0);
        }
    }

    /** Draws a memunmap of one of the live devices. */
    public static final class Memunmap implements Action {
        @Override
        public String name() {
            return "memunmap";
        }

        @Override
        public int weight() {
            return 2;
        }

        @Override
        public boolean precondition(FuzzWorld w) {
            return !w.liveDevices().isEmpty();
        }

        @Override
        public FuzzStep generate(FuzzWorld w, SplittableRandom rng) {
            List<FuzzWorld.Device> live = w.liveDevices();
            return new MemunmapFuzzStep(live.get(rng.nextInt(live.size())).id());
        }
    }
}
