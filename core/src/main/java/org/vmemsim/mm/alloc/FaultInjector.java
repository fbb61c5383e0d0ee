package org.vmemsim.mm.alloc;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Decides, deterministically, whether an allocation fails. Every allocation in the model (buddy,
 * memblock, altmap, slab) passes its site name here first. Modes:
 * <ul>
 *   <li>fail the Nth allocation counted from {@link #arm} (1-based);</li>
 *   <li>fail allocations at a named site (optionally only its Nth);</li>
 *   <li>fail a seeded random fraction of allocations.</li>
 * </ul>
 * The injector also records the sites it saw since the last {@link #arm}, which is what the
 * systematic mode uses to know how many allocations an operation makes.
 */
public final class FaultInjector {
    private long seen;
    private long failNth = -1;
    private String failSite;
    private long failSiteNth = -1;
    private long siteSeen;
    private double rate;
    private SplittableRandom rng;
    private final List<String> sites = new ArrayList<>();
    private boolean recordSites;
    private long injected;

    /** Clears every mode and restarts the counters. */
    public void reset() {
        seen = 0;
        failNth = -1;
        failSite = null;
        failSiteNth = -1;
        siteSeen = 0;
        rate = 0;
        rng = null;
        sites.clear();
        injected = 0;
    }

    /** Restarts counting (and site recording) without changing the mode. */
    public void arm() {
        seen = 0;
        siteSeen = 0;
        sites.clear();
    }

    public void failNth(long n) {
        this.failNth = n;
    }

    public void failSite(String site, long nth) {
        this.failSite = site;
        this.failSiteNth = nth;
    }

    public void failRandom(double p, long seed) {
        this.rate = p;
        this.rng = new SplittableRandom(seed);
    }

    public void recordSites(boolean on) {
        this.recordSites = on;
    }

    /**
     * True when no mode is set, so {@link #shouldFail} answers false whatever the site: a bulk
     * allocation may then count its calls with {@link #passed} instead of asking one by one.
     */
    public boolean passive() {
        return failNth <= 0 && failSite == null && (rng == null || rate <= 0);
    }

    /**
     * Counts {@code times} calls of {@link #shouldFail} at {@code site} that passed, as they would
     * have been counted one by one; only while {@link #passive}.
     */
    public void passed(String site, long times) {
        if (!passive()) {
            throw new IllegalStateException("bulk allocation counted while a fault mode is set");
        }
        seen += times;
        if (recordSites) {
            for (long i = 0; i < times; i++) {
                sites.add(site);
            }
        }
    }

    /** Called by every allocator before it allocates; true means: fail this one. */
    public boolean shouldFail(String site) {
        seen++;
        if (recordSites) {
            sites.add(site);
        }
        boolean fail = false;
        if (failNth > 0 && seen == failNth) {
            fail = true;
        }
        if (failSite != null && failSite.equals(site)) {
            siteSeen++;
            if (failSiteNth <= 0 || siteSeen == failSiteNth) {
                fail = true;
            }
        }
        if (rng != null && rate > 0 && rng.nextDouble() < rate) {
            fail = true;
        }
        if (fail) {
            injected++;
        }
        return fail;
    }

    /** Allocations seen since the last {@link #arm}. */
    public long seen() {
        return seen;
    }

    public long injected() {
        return injected;
    }

    public List<String> sites() {
        return List.copyOf(sites);
    }
}
