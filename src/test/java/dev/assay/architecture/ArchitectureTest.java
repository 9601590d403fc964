package dev.assay.architecture;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The house rules, checked on the compiled main classes (bytecode, so an import and a fully qualified name in code
 * both count and a comment does not): no package depends on itself through others, and each layer uses only the
 * layers below it.
 *
 * <p>Layers, bottom first: <b>foundation</b> ({@code config}, the generic YAML binder; {@code io}; {@code stats}),
 * <b>services</b> (model clients {@code llm}, the {@code ledger}, the simulator {@code sim}, the run directory {@code
 * run}, grouping by prompt and shard files {@code grouping}, {@code agreement}), <b>stages</b> ({@code generation}, {@code judging}, {@code rewards}, {@code consistency},
 * {@code consensus}, {@code curation}, judge {@code qualification} and its {@code replay} stand-in, each with its
 * sub-packages), <b>outputs</b> ({@code export}, {@code report}),
 * the <b>pipeline</b> (plan, recipe, run lifecycle) and the <b>command line</b>. A failure names
 * the offending class and dependency.
 */
class ArchitectureTest {
  private static final JavaClasses MAIN =
      new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.assay");

  @Test
  void noPackageCycles() {
    slices().matching("dev.assay.(**)").should().beFreeOfCycles().check(MAIN);
  }

  @Test
  void eachLayerUsesOnlyTheLayersBelowIt() {
    layeredArchitecture()
        .consideringOnlyDependenciesInLayers()
        .layer("Foundation").definedBy("dev.assay.config..", "dev.assay.io..", "dev.assay.stats..")
        .layer("Services")
        .definedBy(
            "dev.assay.llm..",
            "dev.assay.ledger..",
            "dev.assay.batch..",
            "dev.assay.sim..",
            "dev.assay.run..",
            "dev.assay.grouping..",
            "dev.assay.agreement..")
        .layer("Stages")
        .definedBy(
            "dev.assay.generation..",
            "dev.assay.judging..",
            "dev.assay.rewards..",
            "dev.assay.consistency..",
            "dev.assay.consensus..",
            "dev.assay.curation..",
            "dev.assay.qualification..",
            "dev.assay.replay..",
            "dev.assay.ranking..")
        .layer("Outputs").definedBy("dev.assay.export..", "dev.assay.report..")
        .layer("Pipeline").definedBy("dev.assay.pipeline..")
        .layer("CommandLine").definedBy("dev.assay.cli..")
        .whereLayer("CommandLine").mayNotBeAccessedByAnyLayer()
        .whereLayer("Pipeline").mayOnlyBeAccessedByLayers("CommandLine")
        .whereLayer("Outputs").mayOnlyBeAccessedByLayers("Pipeline", "CommandLine")
        .whereLayer("Stages").mayOnlyBeAccessedByLayers("Outputs", "Pipeline", "CommandLine")
        .whereLayer("Services").mayOnlyBeAccessedByLayers("Stages", "Outputs", "Pipeline", "CommandLine")
        .check(MAIN);
  }

  @Test
  void benchmarksStayOutOfTheProductClasses() {
    java.nio.file.Path classes = java.nio.file.Path.of(System.getProperty("assay.classesDir", "target/classes"));
    org.hamcrest.MatcherAssert.assertThat(
        "the product's classes hold no benchmark (they compile from src/bench/java to target/bench-classes)",
        java.nio.file.Files.exists(classes.resolve("dev/assay/bench")),
        org.hamcrest.Matchers.is(false));
    org.hamcrest.MatcherAssert.assertThat(
        "the product's classes were found", java.nio.file.Files.isDirectory(classes.resolve("dev/assay/cli")), org.hamcrest.Matchers.is(true));
  }

  @Test
  void theConfigBinderKnowsNoDomain() {
    com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses()
        .that().resideInAPackage("dev.assay.config..")
        .should().dependOnClassesThat().resideOutsideOfPackages("dev.assay.config..", "dev.assay.io..", "java..", "com.fasterxml.jackson..")
        .check(MAIN);
  }
}
