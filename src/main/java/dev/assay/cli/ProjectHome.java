package dev.assay.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the project's own files (recipes, configs) are: {@code -Dassay.home} as set by the {@code ./assay} launcher,
 * else the working directory. Paths the user gives are never resolved here, only Assay's bundled ones.
 */
public final class ProjectHome {
  private ProjectHome() {}

  public static Path resolve(Path relative) {
    String home = System.getProperty("assay.home");
    Path base = home != null ? Path.of(home) : Path.of("");
    Path p = base.resolve(relative);
    if (!Files.exists(p) && home == null) {
      return relative;
    }
    return p;
  }
}
