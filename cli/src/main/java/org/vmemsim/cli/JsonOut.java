package org.vmemsim.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;

/**
 * Pretty JSON output for views. Maps keep their iteration order (views hand over
 * {@link java.util.LinkedHashMap}s), numbers stay JSON numbers, lines end with {@code \n} on every
 * platform, and the text ends with a newline: the same tree always prints the same bytes.
 */
public final class JsonOut {
    private static final ObjectWriter WRITER = new ObjectMapper().writer(printer());

    private JsonOut() {}

    /** {@code tree} (maps, lists, strings, numbers, booleans, null) as one pretty JSON document. */
    public static String pretty(Object tree) {
        try {
            return WRITER.writeValueAsString(tree) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("view is not JSON-serialisable: " + e.getOriginalMessage(), e);
        }
    }

    private static DefaultPrettyPrinter printer() {
        DefaultIndenter indent = new DefaultIndenter("  ", "\n");
        DefaultPrettyPrinter p = new DefaultPrettyPrinter()
                .withSeparators(Separators.createDefaultInstance()
                        .withObjectFieldValueSpacing(Separators.Spacing.AFTER));
        p.indentObjectsWith(indent);
        p.indentArraysWith(indent);
        return p;
    }
}
