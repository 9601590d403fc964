package dev.assay.run;

import dev.assay.io.Hashing;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A file a run read, with its SHA-256 and size, so the manifest pins exactly what went in. */
public record FileHash(String path, String sha256, long bytes) {
  public static FileHash of(Path file) {
    try {
      return new FileHash(file.toString(), Hashing.sha256(file), Files.size(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot stat " + file, e);
    }
  }
}
