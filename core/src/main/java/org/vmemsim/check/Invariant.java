package org.vmemsim.check;

import java.util.List;

/**
 * A property of the whole model that must hold after every step (spec section 9.1). An invariant
 * looks at the part of the model that the {@link CheckContext} puts in scope (everything, or the
 * sections, memmap and page tables of the ranges a step touched) and appends one {@link Violation}
 * per problem it finds.
 *
 * <p>The set is open: {@link Invariants#all()} lists the built-in ones; callers may check any list
 * (e.g. {@code all()} plus memory-block invariants once memory blocks exist).
 */
public interface Invariant {
    /** Short stable name, used in reports and to match a failure while shrinking. */
    String name();

    /** One line: what must hold, with the spec reference (I1..I16). */
    String description();

    /** Appends a violation for each problem found in the context's scope. */
    void check(CheckContext c, List<Violation> out);
}
