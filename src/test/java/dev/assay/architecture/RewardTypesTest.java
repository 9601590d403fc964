package dev.assay.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The reward models' house rule, checked on the compiled main classes like {@link ArchitectureTest}: each
 * reward-model type's sub-package ({@code rewards.judge}, {@code rewards.pairwise}, ...) uses the {@code rewards} core
 * and no other type, and the core names no type (it finds them through its registry). So a new type is a new
 * sub-package plus one registration line, and removing one touches nothing else. A failure names the offending class
 * and dependency.
 */
class RewardTypesTest {
  private static final JavaClasses REWARDS =
      new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.assay.rewards");

  @Test
  void noRewardModelTypeUsesAnother() {
    slices().matching("dev.assay.rewards.(*)..").should().notDependOnEachOther().check(REWARDS);
  }

  @Test
  void theCoreNamesNoRewardModelType() {
    noClasses()
        .that().resideInAPackage("dev.assay.rewards")
        .should().dependOnClassesThat().resideInAPackage("dev.assay.rewards.*..")
        .check(REWARDS);
  }
}
