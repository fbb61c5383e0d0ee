package org.vmemsim.scenario;

import java.util.LinkedHashMap;
import java.util.Map;
import org.vmemsim.util.Sz;
import org.vmemsim.util.U64;

/**
 * Which RAM range a hot-plug step acts on: an {@code id} given to an earlier {@code add_memory} or
 * {@code dax_kmem} step of the run, an explicit {@code start} + {@code size}, or (where allowed) one
 * memory {@code block} by number. Exactly one form must be given.
 */
record RangeSel(String id, long start, long size, long block) {
    static final long NO_BLOCK = -1;

    /** Parses the selector keys of {@code a}; {@code blockAllowed} adds the {@code block: N} form. */
    static RangeSel parse(Args a, boolean blockAllowed) {
        int forms = (a.has("id") ? 1 : 0) + (a.has("start") || a.has("size") ? 1 : 0) + (a.has("block") ? 1 : 0);
        String valid = blockAllowed ? "give either 'id', 'start' + 'size', or 'block'" : "give either 'id' or 'start' + 'size'";
        if (forms != 1) {
            throw a.error(valid);
        }
        if (a.has("id")) {
            return new RangeSel(a.string("id"), 0, 0, NO_BLOCK);
        }
        if (a.has("block")) {
            return new RangeSel(null, 0, 0, a.count("block", 1L << 40));
        }
        long start = a.address("start");
        long size = a.size("size");
        if (size == 0) {
            throw a.error("size", "must not be 0");
        }
        if (U64.endOverflows(start, size)) {
            throw a.error("size", "range " + U64.hex(start) + " + " + U64.hex(size) + " passes the end of the 64-bit address space");
        }
        return new RangeSel(null, start, size, NO_BLOCK);
    }

    boolean isBlock() {
        return block != NO_BLOCK;
    }

    /** {@code {start, size}}, or null when the id is unknown to this run. */
    long[] resolve(StepContext ctx) {
        if (id == null) {
            return new long[] {start, size};
        }
        return ctx.ranges().get(id);
    }

    void describe(Map<String, Object> d) {
        if (id != null) {
            d.put("id", id);
        } else if (isBlock()) {
            d.put("block", block);
        } else {
            d.put("start", U64.hex(start));
            d.put("size", size);
        }
    }

    String summary() {
        if (id != null) {
            return id;
        }
        return isBlock() ? "memory" + block : Sz.human(size) + "@" + U64.hex(start);
    }

    /** The outcome of a step naming an id that no earlier step of the run added. */
    static StepOutcome unknownId(String id, StepContext ctx) {
        return StepOutcome.failed(java.util.List.of(ctx.path() + ": no earlier step of run '" + ctx.runName()
                + "' added a range with id '" + id + "'"));
    }

    static Map<String, Object> map() {
        return new LinkedHashMap<>();
    }
}
