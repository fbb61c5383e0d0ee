package org.vmemsim.scenario;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The step types a scenario file may use, by name. {@link #standard()} builds a fresh registry with
 * vmemsim's steps; callers (tests, other commands) may {@link #register} more. There is no global
 * registry: each parser is given the one it should use.
 */
public final class StepRegistry {
    private final Map<String, StepType<?>> types = new LinkedHashMap<>();

    /**
     * memremap, memunmap, expect, fail_alloc, add_memory, remove_memory, online, offline, dax_kmem,
     * dax_kmem_remove, ndctl.
     */
    public static StepRegistry standard() {
        return new StepRegistry()
                .register(new MemremapStep())
                .register(new MemunmapStep())
                .register(new ExpectStep())
                .register(new FailAllocStep())
                .register(new AddMemoryStep())
                .register(new RemoveMemoryStep())
                .register(OnlineStep.online())
                .register(OnlineStep.offline())
                .register(new DaxKmemStep())
                .register(new DaxKmemRemoveStep())
                .register(new NdctlStep());
    }

    /** Adds a step type; a second type with the same name is refused. */
    public StepRegistry register(StepType<?> type) {
        if (types.putIfAbsent(type.name(), type) != null) {
            throw new IllegalStateException("step type '" + type.name() + "' is registered twice");
        }
        return this;
    }

    /** The type called {@code name}, or null. */
    public StepType<?> get(String name) {
        return types.get(name);
    }

    public List<String> names() {
        return new ArrayList<>(types.keySet());
    }
}
