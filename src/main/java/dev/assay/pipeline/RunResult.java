package dev.assay.pipeline;

import dev.assay.run.RunManifest;

/** The outcome of one run: the exit code the CLI returns and the manifest written. */
public record RunResult(int exitCode, RunManifest manifest) {}
