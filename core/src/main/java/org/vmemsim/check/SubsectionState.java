package org.vmemsim.check;

import java.util.List;

/**
 * I14 flags: for a hot-added (non-early) section, {@code SECTION_HAS_MEM_MAP} ⇔ the sub-section
 * bitmap is non-empty ⇔ the section is present; a usage map exists ⇔ its bitmap is non-empty and
 * is a live slab object. A boot (early) section is present and valid with its boot usage map.
 */
public final class SubsectionState implements Invariant {
    public static final String NAME = "subsection-state";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "section flags match the sub-section bitmap and the usage map (I14)";
    }

    @Override
    public void check(CheckContext c, List<Violation> out) {
        c.forEachSection((nr, ms) -> {
            long pfn = c.g.sectionToPfn(nr);
            if (ms.early()) {
                if (!ms.present() || ms.usage == null || !ms.usage.boot) {
                    out.add(new Violation(NAME, pfn, String.format(
                            "boot section %d (pfn 0x%x): flags 0x%x, usage %s: an early section keeps present, valid and its boot usage map",
                            nr, pfn, ms.flags, ms.usage == null ? "none" : ms.usage.boot ? "boot" : "slab")));
                }
                return;
            }
            if (ms.flags == 0 && ms.usage == null) {
                return;
            }
            int bits = ms.usage == null ? 0 : ms.usage.cardinality();
            if (ms.valid() != (bits > 0)) {
                out.add(new Violation(NAME, pfn, String.format(
                        "section %d (pfn 0x%x): SECTION_HAS_MEM_MAP=%b but %d active sub-sections", nr, pfn, ms.valid(), bits)));
            }
            if (ms.present() != ms.valid()) {
                out.add(new Violation(NAME, pfn, String.format(
                        "section %d (pfn 0x%x): present=%b but valid=%b (a hot-added section is both or neither)", nr, pfn,
                        ms.present(), ms.valid())));
            }
            if (ms.usage != null && !ms.usage.boot) {
                if (bits == 0) {
                    out.add(new Violation(NAME, pfn, String.format(
                            "section %d (pfn 0x%x): usage map (slab object %d) kept with an empty bitmap", nr, pfn, ms.usage.slabId)));
                }
                if (!c.k.mm.slab.isLive(ms.usage.slabId)) {
                    out.add(new Violation(NAME, pfn, String.format(
                            "section %d (pfn 0x%x): usage map slab object %d was freed", nr, pfn, ms.usage.slabId)));
                }
            }
        });
    }
}
