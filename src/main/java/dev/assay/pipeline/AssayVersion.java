package dev.assay.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Reads the build's version from {@code assay-version.properties} (filtered by Maven at build time). */
final class AssayVersion {
  private AssayVersion() {}

  static String get() {
    try (InputStream in = AssayVersion.class.getResourceAsStream("/assay-version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
