/** The {@code ./assay} command line: one picocli subcommand per verb of DESIGN section 4. */
package dev.assay.cli;
