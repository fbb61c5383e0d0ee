package org.vmemsim.scenario;

import java.util.LinkedHashMap;
import java.util.Map;
import org.vmemsim.kernel.HotplugActions;
import org.vmemsim.mm.alloc.ZoneType;
import org.vmemsim.scenario.YamlTree.Node;

/**
 * {@code online} and {@code offline}: {@code echo online_kernel|online_movable|offline >
 * /sys/devices/system/memory/memoryN/state} for every block of a range
 * ({@link HotplugActions#online(long, long, ZoneType)}, {@link HotplugActions#offline(long, long)}):
 * <pre>
 * - online: {start: 0x1_0000_0000, size: 128M, zone: movable}
 * - online: {id: dimm0, zone: normal}
 * - offline: {block: 32}
 * </pre>
 * Without {@code zone}, {@code online} uses the kernel's default zone ({@code echo online}).
 */
public final class OnlineStep implements StepType<OnlineStep.State> {
    public record State(RangeSel range, ZoneType zone) {}

    private final boolean online;

    private OnlineStep(boolean online) {
        this.online = online;
    }

    public static OnlineStep online() {
        return new OnlineStep(true);
    }

    public static OnlineStep offline() {
        return new OnlineStep(false);
    }

    @Override
    public String name() {
        return online ? "online" : "offline";
    }

    @Override
    public State parse(String source, String path, Node body) {
        Args a = online ? Args.open(source, path, body, "id", "start", "size", "block", "zone")
                : Args.open(source, path, body, "id", "start", "size", "block");
        RangeSel r = RangeSel.parse(a, true);
        ZoneType zone = null;
        if (a.has("zone")) {
            zone = parseZone(a, "zone");
        }
        return new State(r, zone);
    }

    /** {@code normal} or {@code movable}. */
    static ZoneType parseZone(Args a, String key) {
        String z = a.string(key).trim().toLowerCase(java.util.Locale.ROOT);
        return switch (z) {
            case "normal", "kernel" -> ZoneType.NORMAL;
            case "movable" -> ZoneType.MOVABLE;
            default -> throw a.error(key, "unknown zone '" + z + "' (valid: normal, movable)");
        };
    }

    @Override
    public StepOutcome apply(State s, StepContext ctx) {
        HotplugActions h = ctx.kernel().hotplugActions;
        int ret;
        if (s.range.isBlock()) {
            ret = online ? h.online(s.range.block(), s.zone) : h.offline(s.range.block());
        } else {
            long[] r = s.range.resolve(ctx);
            if (r == null) {
                return RangeSel.unknownId(s.range.id(), ctx);
            }
            ret = online ? h.online(r[0], r[1], s.zone) : h.offline(r[0], r[1]);
        }
        return StepOutcome.ofKernel(ret, ctx.kernel());
    }

    @Override
    public Map<String, Object> describe(State s) {
        Map<String, Object> d = new LinkedHashMap<>();
        s.range.describe(d);
        if (online) {
            d.put("zone", s.zone == null ? "default" : s.zone.label.toLowerCase(java.util.Locale.ROOT));
        }
        return d;
    }

    @Override
    public String summary(State s) {
        return s.range.summary() + (online && s.zone != null ? " " + s.zone.label : "");
    }
}
