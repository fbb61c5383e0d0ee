package org.vmemsim.mm.hotplug;

import org.vmemsim.mm.alloc.ZoneType;
import org.vmemsim.mm.vmemmap.VmemAltmap;

/**
 * {@code struct memory_block} ({@code include/linux/memory.h}): one memory block device,
 * {@code /sys/devices/system/memory/memoryN}. Left out: the embedded {@code struct device}, memory
 * groups, hwpoison counts.
 */
public final class MemoryBlock {
    /** MEM_ONLINE, MEM_GOING_OFFLINE, MEM_OFFLINE with the strings {@code state} prints. */
    public enum State {
        ONLINE("online"), GOING_OFFLINE("going-offline"), OFFLINE("offline");

        public final String label;

        State(String label) {
            this.label = label;
        }
    }

    /** MMOP_*: how a block is to be onlined ({@code include/linux/memory_hotplug.h}). */
    public enum OnlineType {
        MMOP_OFFLINE, MMOP_ONLINE, MMOP_ONLINE_KERNEL, MMOP_ONLINE_MOVABLE
    }

    /** Block id = first section number / sections_per_block (the N of memoryN). */
    public final long id;
    public final long startSectionNr;
    public State state;
    public OnlineType onlineType = OnlineType.MMOP_OFFLINE;
    /** Node (NUMA_NO_NODE = -1 until linked). */
    public int nid;
    /** The zone the block was onlined to; null when offline (or spanning several zones). */
    public ZoneType zone;
    /** v6.6+: the block's own altmap (memmap_on_memory), null otherwise. */
    public VmemAltmap altmap;
    /** v5.13..v6.5: vmemmap pages at the start of the block (memmap_on_memory), else 0. */
    public long nrVmemmapPages;
    /** True for blocks created at boot by memory_dev_init. */
    public final boolean early;
    final long slabId;

    MemoryBlock(long id, long startSectionNr, State state, int nid, boolean early, long slabId) {
        this.id = id;
        this.startSectionNr = startSectionNr;
        this.state = state;
        this.nid = nid;
        this.early = early;
        this.slabId = slabId;
    }

    /** Vmemmap pages self-hosted at the start of this block, whichever way the profile records them. */
    public long vmemmapPages() {
        return altmap != null ? altmap.free : nrVmemmapPages;
    }

    @Override
    public String toString() {
        return "memory" + id + "{" + state.label + ", nid " + nid + ", zone " + (zone == null ? "-" : zone.label)
                + (vmemmapPages() != 0 ? ", vmemmap " + vmemmapPages() : "") + "}";
    }
}
