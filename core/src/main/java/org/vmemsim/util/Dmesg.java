package org.vmemsim.util;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The kernel log of one simulated machine: WARN/WARN_ONCE/pr_* events in the order they happened.
 *
 * <p>Kernel WARNs never throw: they are recorded here and execution continues, as in the kernel.
 * The last error message (set by {@link #fail}) lets a top-level caller turn an errno return value
 * into one line naming the function and the offending value.
 */
public final class Dmesg {
    /** Severity of a log event. */
    public enum Level {
        WARN, ERR, WARNING, INFO
    }

    /** One log line. {@code function} is the kernel function that printed it. */
    public record Event(long seq, Level level, String function, String message) {
        @Override
        public String toString() {
            return (level == Level.WARN ? "WARNING: " : "") + function + ": " + message;
        }
    }

    private final List<Event> events = new ArrayList<>();
    private final Set<String> once = new HashSet<>();
    private long seq;
    private String lastError = "";
    private String lastErrorFunction = "";

    /** WARN()/WARN_ON(): a kernel warning with a backtrace; recorded, never thrown. */
    public void warn(String function, String message) {
        events.add(new Event(seq++, Level.WARN, function, message));
    }

    /** WARN_ONCE(): only the first time for this function and key. */
    public void warnOnce(String function, String key, String message) {
        if (once.add(function + "\u0000" + key)) {
            warn(function, message);
        }
    }

    public void err(String function, String message) {
        events.add(new Event(seq++, Level.ERR, function, message));
    }

    public void warning(String function, String message) {
        events.add(new Event(seq++, Level.WARNING, function, message));
    }

    public void info(String function, String message) {
        events.add(new Event(seq++, Level.INFO, function, message));
    }

    /**
     * Records why {@code function} fails and returns {@code -errno}, so a kernel-style function can
     * {@code return dmesg.fail(Errno.EINVAL, "__add_pages", "...")}.
     */
    public int fail(Errno errno, String function, String message) {
        lastError = message;
        lastErrorFunction = function;
        return errno.neg();
    }

    public String lastError() {
        return lastError;
    }

    public String lastErrorFunction() {
        return lastErrorFunction;
    }

    public void clearLastError() {
        lastError = "";
        lastErrorFunction = "";
    }

    public List<Event> events() {
        return Collections.unmodifiableList(events);
    }

    /** Events recorded since sequence number {@code from} (inclusive). */
    public List<Event> since(long from) {
        List<Event> out = new ArrayList<>();
        for (Event e : events) {
            if (e.seq() >= from) {
                out.add(e);
            }
        }
        return out;
    }

    public long mark() {
        return seq;
    }

    public int warnCount() {
        int n = 0;
        for (Event e : events) {
            if (e.level() == Level.WARN) {
                n++;
            }
        }
        return n;
    }
}
