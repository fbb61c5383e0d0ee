package org.vmemsim.check;

import java.util.ArrayList;
import java.util.List;
import org.vmemsim.mm.alloc.ZoneType;
import org.vmemsim.util.Sz;
import org.vmemsim.util.U64;

/**
 * {@code online} / {@code offline} of whole memory blocks {@code [start, start + size)} of a
 * hot-added DIMM ({@code echo online_movable > memoryN/state} and back). {@code zone} null: the
 * kernel's default zone; unused when offlining.
 */
public record BlockStateFuzzStep(boolean online, long start, long size, ZoneType zone) implements FuzzStep {
    @Override
    public String describe() {
        return String.format("%s [%s + %s]%s", online ? "online" : "offline", U64.hex(start), Sz.human(size),
                online && zone != null ? " " + zone.label : "");
    }

    @Override
    public String yaml() {
        return String.format("%s: {start: %s, size: %s%s}", online ? "online" : "offline", U64.hex(start), Sz.human(size),
                online && zone != null ? ", zone: " + zone.label.toLowerCase(java.util.Locale.ROOT) : "");
    }

    @Override
    public boolean applicable(FuzzWorld w) {
        return true;
    }

    @Override
    public long[] scope(FuzzWorld w) {
        return w.pfnScope(start, size);
    }

    @Override
    public String subject() {
        return null;
    }

    @Override
    public int apply(FuzzWorld w) {
        return online ? w.k.hotplugActions.online(start, size, zone) : w.k.hotplugActions.offline(start, size);
    }

    @Override
    public List<FuzzStep> shrinks() {
        List<FuzzStep> out = new ArrayList<>();
        if (online && zone != null) {
            out.add(new BlockStateFuzzStep(true, start, size, null));
        }
        return out;
    }
}
