package org.vmemsim.check;

import org.vmemsim.arch.ArchFeatures;

/**
 * What the built-in fuzz actions share: a name, a weight, the kernel feature they exercise (never
 * drawn where the machine's arch/profile lacks it), and {@link #ready} for what the world must hold
 * (e.g. a live device to unmap).
 */
abstract class BaseAction implements Action {
    /** The kernel feature an action needs. */
    enum Feature { NONE, MEMORY_HOTPLUG, ZONE_DEVICE }

    private final String name;
    private final int weight;
    private final Feature feature;

    BaseAction(String name, int weight, Feature feature) {
        this.name = name;
        this.weight = weight;
        this.feature = feature;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final int weight() {
        return weight;
    }

    /** Whether the world holds what the action draws its arguments from. */
    protected boolean ready(FuzzWorld w) {
        return true;
    }

    @Override
    public final boolean precondition(FuzzWorld w) {
        return unavailable(w) == null && ready(w);
    }

    /** CONFIG_MEMORY_HOTPLUG / CONFIG_ZONE_DEVICE missing (riscv64 before 6.11; ia64 has no ZONE_DEVICE). */
    @Override
    public final String unavailable(FuzzWorld w) {
        return switch (feature) {
            case NONE -> null;
            case MEMORY_HOTPLUG -> ArchFeatures.memoryHotplugUnavailable(w.g.arch, w.g.profile);
            case ZONE_DEVICE -> ArchFeatures.zoneDeviceUnavailable(w.g.arch, w.g.profile);
        };
    }
}
