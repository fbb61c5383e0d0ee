package org.vmemsim.scenario;

import java.util.LinkedHashMap;
import java.util.Map;
import org.vmemsim.mm.alloc.AllocSites;
import org.vmemsim.mm.alloc.FaultInjector;
import org.vmemsim.scenario.YamlTree.Node;

/**
 * {@code fail_alloc}: makes an allocation of the <em>next</em> action fail, so that the kernel's
 * -ENOMEM paths and their unwinding can be reached from a file:
 * <pre>
 * - fail_alloc: {site: vmemmap_pmd_populate}     # the first allocation at that site
 * - fail_alloc: {site: section_activate, nth: 3} # the third one
 * - fail_alloc: {site: altmap_alloc_block_buf, nth: 0}  # every one
 * - fail_alloc: {nth: 5}                         # the fifth allocation, whatever its site
 * </pre>
 * The runner clears the injector after that action ({@link FaultInjector#reset}).
 */
public final class FailAllocStep implements StepType<FailAllocStep.FailAlloc> {
    /** {@code site == null}: count every allocation. {@code nth == 0} with a site: every one. */
    public record FailAlloc(String site, long nth) {}

    @Override
    public String name() {
        return "fail_alloc";
    }

    @Override
    public Kind kind() {
        return Kind.SETUP;
    }

    @Override
    public FailAlloc parse(String source, String path, Node body) {
        Args a = Args.open(source, path, body, "site", "nth");
        String site = a.optString("site", null);
        if (site != null && !AllocSites.isKnown(site)) {
            throw a.error("site", "unknown allocation site '" + site + "' (valid: " + String.join(", ", AllocSites.known()) + ")");
        }
        if (site == null && !a.has("nth")) {
            throw a.error("give a 'site', an 'nth' allocation, or both");
        }
        long nth = a.optCount("nth", 1, 1_000_000_000L);
        if (site == null && nth == 0) {
            throw a.error("nth", "must be at least 1 when no site is given");
        }
        return new FailAlloc(site, nth);
    }

    @Override
    public StepOutcome apply(FailAlloc f, StepContext ctx) {
        FaultInjector fi = ctx.kernel().faults;
        fi.reset();
        if (f.site != null) {
            fi.failSite(f.site, f.nth);
        } else {
            fi.failNth(f.nth);
        }
        fi.arm();
        return StepOutcome.ok();
    }

    @Override
    public Map<String, Object> describe(FailAlloc f) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("site", f.site);
        d.put("nth", f.nth);
        return d;
    }

    @Override
    public String summary(FailAlloc f) {
        String which = f.nth == 0 ? "every allocation" : ordinal(f.nth) + " allocation";
        return which + (f.site != null ? " at " + f.site : "") + " of the next step";
    }

    private static String ordinal(long n) {
        long m100 = n % 100;
        String suffix = (m100 >= 11 && m100 <= 13) ? "th" : switch ((int) (n % 10)) {
            case 1 -> "st";
            case 2 -> "nd";
            case 3 -> "rd";
            default -> "th";
        };
        return n + suffix;
    }
}
