/** Recipes and reusable configs: YAML with includes, {@code ${ENV}} interpolation, overrides and validation. */
package dev.assay.config;
