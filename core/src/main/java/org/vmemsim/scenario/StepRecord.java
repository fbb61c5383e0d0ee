package org.vmemsim.scenario;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything recorded about one step: where it was, what it did ({@link StepOutcome}), the kernel
 * log lines and WARNs it caused, the accounting after it and its change, what a removal left
 * behind, whether a failed step left the model unchanged, and the optional views.
 */
public final class StepRecord {
    public final int index;
    public final int runIndex;
    public final String run;
    public final ParsedStep<?> step;
    public final StepOutcome outcome;
    public final List<String> warnings;
    public final List<String> log;
    public final Map<String, Object> accounting;
    public final Map<String, Object> delta;
    /** For a removal: the kept-items report ({@link KeptPages}); else null. */
    public final Map<String, Object> kept;
    /** For a failed action: whether the accounting equals the one before the step; else null. */
    public final Boolean stateRestored;
    public final Map<String, Object> meminfo;
    public final List<String> ptdump;
    public final String accountingText;
    /** The other views asked for ({@code iomem}, {@code lsmem}, ...): name → JSON value, and name → text lines. */
    public final Map<String, Object> views;
    public final Map<String, List<String>> viewTexts;

    StepRecord(Builder b) {
        this.index = b.index;
        this.runIndex = b.runIndex;
        this.run = b.run;
        this.step = b.step;
        this.outcome = b.outcome;
        this.warnings = List.copyOf(b.warnings);
        this.log = List.copyOf(b.log);
        this.accounting = b.accounting;
        this.delta = b.delta;
        this.kept = b.kept;
        this.stateRestored = b.stateRestored;
        this.meminfo = b.meminfo;
        this.ptdump = b.ptdump;
        this.accountingText = b.accountingText;
        this.views = b.views;
        this.viewTexts = b.viewTexts;
    }

    /** The step as one JSON object. */
    public Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("index", index);
        m.put("run", run);
        m.put("path", step.path());
        m.put("line", step.line());
        m.put("step", step.name());
        if (step.label() != null) {
            m.put("label", step.label());
        }
        m.put("args", step.describe());
        m.put("result", outcome.result());
        if (!outcome.isOk()) {
            m.put("function", outcome.function());
            m.put("message", outcome.message());
        }
        if (stateRestored != null) {
            m.put("state_restored", stateRestored);
        }
        m.putAll(outcome.details());
        m.put("warnings", warnings);
        m.put("log", log);
        m.put("accounting", accounting);
        m.put("delta", delta);
        if (kept != null) {
            m.put("kept", kept);
        }
        if (meminfo != null) {
            m.put("meminfo", meminfo);
        }
        if (ptdump != null) {
            m.put("ptdump", ptdump);
        }
        m.putAll(views);
        return m;
    }

    static final class Builder {
        int index;
        int runIndex;
        String run;
        ParsedStep<?> step;
        StepOutcome outcome;
        List<String> warnings = new ArrayList<>();
        List<String> log = new ArrayList<>();
        Map<String, Object> accounting;
        Map<String, Object> delta = new LinkedHashMap<>();
        Map<String, Object> kept;
        Boolean stateRestored;
        Map<String, Object> meminfo;
        List<String> ptdump;
        String accountingText;
        Map<String, Object> views = new LinkedHashMap<>();
        Map<String, List<String>> viewTexts = new LinkedHashMap<>();

        StepRecord build() {
            return new StepRecord(this);
        }
    }
}
