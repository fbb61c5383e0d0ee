package org.vmemsim.scenario;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vmemsim.kernel.Kernel;
import org.vmemsim.util.Errno;

/**
 * What one step did: {@code result} is "ok", an errno name such as "-ENOMEM", "failed" (an
 * expectation did not hold), "BUG" (the kernel would have crashed) or "skipped"; for a kernel error
 * the function that refused and its message (which names the offending value); step-specific
 * details for the report; and the expectation failures, one line each.
 */
public final class StepOutcome {
    public static final String OK = "ok";
    public static final String FAILED = "failed";
    public static final String BUG = "BUG";
    public static final String SKIPPED = "skipped";

    private final String result;
    private final int ret;
    private final String function;
    private final String message;
    private final Map<String, Object> details = new LinkedHashMap<>();
    private final List<String> failures = new ArrayList<>();

    private StepOutcome(String result, int ret, String function, String message) {
        this.result = result;
        this.ret = ret;
        this.function = function;
        this.message = message;
    }

    public static StepOutcome ok() {
        return new StepOutcome(OK, 0, "", "");
    }

    /** The outcome of a kernel entry point's return value; on error the log's last error explains it. */
    public static StepOutcome ofKernel(int ret, Kernel k) {
        if (ret == 0) {
            return ok();
        }
        return new StepOutcome(Errno.name(ret), ret, k.log.lastErrorFunction(), k.log.lastError());
    }

    /** The kernel hit a BUG(): the run's machine is dead. */
    public static StepOutcome bug(String message) {
        return new StepOutcome(BUG, 0, "BUG", message);
    }

    public static StepOutcome skipped(String why) {
        return new StepOutcome(SKIPPED, 0, "", why);
    }

    /** A check that did not hold; {@code failures} are its one-line reports. */
    public static StepOutcome failed(List<String> failures) {
        StepOutcome o = new StepOutcome(FAILED, 0, "", failures.isEmpty() ? "" : failures.get(0));
        o.failures.addAll(failures);
        return o;
    }

    /** Adds a detail for the report (JSON-ready value). */
    public StepOutcome with(String key, Object value) {
        details.put(key, value);
        return this;
    }

    public String result() {
        return result;
    }

    public boolean isOk() {
        return result.equals(OK);
    }

    /** The kernel's return value (0 unless a kernel function returned an errno). */
    public int ret() {
        return ret;
    }

    public String function() {
        return function;
    }

    public String message() {
        return message;
    }

    public Map<String, Object> details() {
        return Collections.unmodifiableMap(details);
    }

    public List<String> failures() {
        return Collections.unmodifiableList(failures);
    }
}
