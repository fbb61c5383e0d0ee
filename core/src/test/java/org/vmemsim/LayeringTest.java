package org.vmemsim;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering of architecture.md, enforced: a layer may use itself and the layers below it, never
 * a layer above. Layers are listed from lowest to highest; a layer without classes yet is allowed.
 *
 * <pre>
 *   plan > check > scenario > view > kernel > drivers > memremap > hotplug > sparse > archmm
 *         > vmemmap > pgtable > alloc > phys > archdefs > util
 * </pre>
 */
class LayeringTest {
    /** One layer: a name and ArchUnit package identifiers ("a.b.." = a.b and below; "a.b" = exactly a.b). */
    private record Layer(String name, String... packages) {}

    private static final List<Layer> LOW_TO_HIGH = List.of(
            new Layer("util", "org.vmemsim.util.."),
            new Layer("archdefs", "org.vmemsim.arch", "org.vmemsim.arch.arm64", "org.vmemsim.arch.x86",
                    "org.vmemsim.arch.ppc64", "org.vmemsim.arch.riscv", "org.vmemsim.arch.ia64"),
            new Layer("phys", "org.vmemsim.mm.phys.."),
            new Layer("alloc", "org.vmemsim.mm.alloc.."),
            new Layer("pgtable", "org.vmemsim.mm.pgtable.."),
            new Layer("vmemmap", "org.vmemsim.mm.vmemmap.."),
            new Layer("archmm", "org.vmemsim.arch.*.mm.."),
            new Layer("sparse", "org.vmemsim.mm.sparse.."),
            new Layer("hotplug", "org.vmemsim.mm.hotplug.."),
            new Layer("memremap", "org.vmemsim.mm.memremap.."),
            new Layer("drivers", "org.vmemsim.drivers.."),
            new Layer("kernel", "org.vmemsim.kernel.."),
            new Layer("view", "org.vmemsim.view.."),
            new Layer("scenario", "org.vmemsim.scenario.."),
            new Layer("check", "org.vmemsim.check.."),
            new Layer("plan", "org.vmemsim.plan.."));

    private static JavaClasses core;

    @BeforeAll
    static void importCore() {
        core = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages("org.vmemsim");
    }

    /** The layered rule built from {@link #LOW_TO_HIGH}: each layer may be accessed by those above it. */
    static LayeredArchitecture layers() {
        LayeredArchitecture arch = layeredArchitecture().consideringOnlyDependenciesInLayers().withOptionalLayers(true);
        for (Layer l : LOW_TO_HIGH) {
            arch = arch.layer(l.name()).definedBy(l.packages());
        }
        for (int i = 0; i < LOW_TO_HIGH.size(); i++) {
            String name = LOW_TO_HIGH.get(i).name();
            String[] above = LOW_TO_HIGH.subList(i + 1, LOW_TO_HIGH.size()).stream().map(Layer::name).toArray(String[]::new);
            arch = above.length == 0
                    ? arch.whereLayer(name).mayNotBeAccessedByAnyLayer()
                    : arch.whereLayer(name).mayOnlyBeAccessedByLayers(above);
        }
        return arch;
    }

    @Test
    void layers_onlyReachDown() {
        layers().check(core);
    }

    /** A class outside every layer would escape the rule above, so every core class must be in one. */
    @Test
    void layers_coverEveryCoreClass() {
        String[] all = LOW_TO_HIGH.stream().flatMap(l -> Arrays.stream(l.packages())).toArray(String[]::new);
        classes().should().resideInAnyPackage(all)
                .because("every core package belongs to a layer of architecture.md")
                .check(core);
    }
}
