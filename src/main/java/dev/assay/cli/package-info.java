/** The {@code assay} command line: one picocli command class per subcommand. */
package dev.assay.cli;
