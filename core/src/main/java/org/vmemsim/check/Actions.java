package org.vmemsim.check;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.vmemsim.arch.Geometry;
import org.vmemsim.kernel.RamRange;
import org.vmemsim.drivers.nvdimm.Nvdimm;
import org.vmemsim.drivers.nvdimm.PfnMode;
import org.vmemsim.mm.alloc.ZoneType;
import org.vmemsim.mm.memremap.MemoryType;
import org.vmemsim.util.Sz;

/**
 * The built-in actions of the fuzzer: map a device (memremap, with and without an altmap, at
 * aligned and unaligned places, sub-section sized to several sections) and unmap a live one;
 * hot-add, online, offline and remove DIMMs; create and destroy pmem namespaces on the machine's
 * regions. {@link #defaults()} returns a fresh list so callers can add their own.
 */
public final class Actions {
    private Actions() {}

    public static List<Action> defaults() {
        List<Action> l = new ArrayList<>();
        l.add(new Memremap());
        l.add(new Memunmap());
        l.add(new AddMemory());
        l.add(new RemoveMemory());
        l.add(new BlockState(true));
        l.add(new BlockState(false));
        l.add(new CreateNamespace());
        l.add(new DestroyNamespace());
        return l;
    }

    /** Draws a memremap of a device in the world's window (sometimes in RAM or misaligned, to reach the error paths). */
    public static final class Memremap extends BaseAction {
        public Memremap() {
            super("memremap", 3, Feature.ZONE_DEVICE);
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
    public static final class Memunmap extends BaseAction {
        public Memunmap() {
            super("memunmap", 2, Feature.NONE);
        }

        @Override
        protected boolean ready(FuzzWorld w) {
            return !w.liveDevices().isEmpty();
        }

        @Override
        public FuzzStep generate(FuzzWorld w, SplittableRandom rng) {
            List<FuzzWorld.Device> live = w.liveDevices();
            return new MemunmapFuzzStep(live.get(rng.nextInt(live.size())).id());
        }
    }

    /** Draws a DIMM hot-add in the DIMM window: whole blocks mostly, sometimes misaligned or on node 1. */
    public static final class AddMemory extends BaseAction {
        public AddMemory() {
            super("add_memory", 1, Feature.MEMORY_HOTPLUG);
        }

        @Override
        public FuzzStep generate(FuzzWorld w, SplittableRandom rng) {
            long block = w.g.memoryBlockSize;
            long nrBlocks = w.dimmWindowSize / block;
            long first = rng.nextLong(nrBlocks);
            long start = w.dimmWindowStart + first * block;
            long size = (1 + rng.nextLong(Math.min(3, nrBlocks - first))) * block;
            if (rng.nextInt(100) < 5) {
                start += w.g.pagesPerSubsection << w.g.pageShift; // not block aligned: -EINVAL
            }
            int nid = rng.nextInt(100) < 10 ? 1 : 0;
            return new AddMemoryFuzzStep(w.newDimmId(), start, size, nid, rng.nextBoolean());
        }
    }

    /** Draws the removal of a live DIMM (online blocks make it fail with -EBUSY). */
    public static final class RemoveMemory extends BaseAction {
        public RemoveMemory() {
            super("remove_memory", 1, Feature.MEMORY_HOTPLUG);
        }

        @Override
        protected boolean ready(FuzzWorld w) {
            return !w.dimms().isEmpty();
        }

        @Override
        public FuzzStep generate(FuzzWorld w, SplittableRandom rng) {
            List<FuzzWorld.Dimm> d = w.dimms();
            return new RemoveMemoryFuzzStep(d.get(rng.nextInt(d.size())).id());
        }
    }

    /** Draws onlining (to Normal, Movable or the default zone) or offlining of some blocks of a live DIMM. */
    public static final class BlockState extends BaseAction {
        private final boolean online;

        public BlockState(boolean online) {
            super(online ? "online" : "offline", 1, Feature.MEMORY_HOTPLUG);
            this.online = online;
        }

        @Override
        protected boolean ready(FuzzWorld w) {
            return !w.dimms().isEmpty();
        }

        @Override
        public FuzzStep generate(FuzzWorld w, SplittableRandom rng) {
            List<FuzzWorld.Dimm> ds = w.dimms();
            FuzzWorld.Dimm d = ds.get(rng.nextInt(ds.size()));
            long block = w.g.memoryBlockSize;
            long n = d.size() / block;
            long first = rng.nextLong(n);
            long count = 1 + rng.nextLong(n - first);
            int z = rng.nextInt(3);
            ZoneType zone = z == 0 ? null : z == 1 ? ZoneType.NORMAL : ZoneType.MOVABLE;
            return new BlockStateFuzzStep(online, d.start() + first * block, count * block, zone);
        }
    }

    /** Draws a namespace on a pmem region: fsdax or devdax, map=dev or mem, a default or explicit alignment. */
    public static final class CreateNamespace extends BaseAction {
        public CreateNamespace() {
            super("create-namespace", 1, Feature.ZONE_DEVICE);
        }

        @Override
        protected boolean ready(FuzzWorld w) {
            return !w.k.nvdimm.regions().isEmpty();
        }

        @Override
        public FuzzStep generate(FuzzWorld w, SplittableRandom rng) {
            int region = rng.nextInt(w.k.nvdimm.regions().size());
            long section = w.g.pagesPerSection << w.g.pageShift;
            long regionSize = w.k.nvdimm.regions().get(region).size();
            // whole sections mostly (what capacity planning creates); any 16 MiB multiple sometimes
            long size = rng.nextInt(100) < 70 && regionSize >= section
                    ? (1 + rng.nextLong(Math.min(4, regionSize / section))) * section
                    : (1 + rng.nextLong(64)) * Nvdimm.REGION_ALIGN;
            boolean dax = rng.nextBoolean();
            PfnMode map = rng.nextInt(100) < 60 ? PfnMode.PMEM : PfnMode.RAM;
            int a = rng.nextInt(100);
            long align = a < 60 ? 0 : a < 80 ? Sz.SZ_2M : a < 95 ? w.g.pageSize : Sz.SZ_1G;
            return new NamespaceFuzzStep(region, size, dax, map, align);
        }
    }

    /** Draws the destruction of a live namespace. */
    public static final class DestroyNamespace extends BaseAction {
        public DestroyNamespace() {
            super("destroy-namespace", 1, Feature.ZONE_DEVICE);
        }

        @Override
        protected boolean ready(FuzzWorld w) {
            return !w.k.nvdimm.namespaces().isEmpty();
        }

        @Override
        public FuzzStep generate(FuzzWorld w, SplittableRandom rng) {
            List<String> names = new ArrayList<>(new java.util.TreeSet<>(w.k.nvdimm.namespaces().keySet()));
            return new NamespaceDestroyFuzzStep(names.get(rng.nextInt(names.size())));
        }
    }
}
