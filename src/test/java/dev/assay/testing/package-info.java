/**
 * Test support shared by several packages: locating the read-only real data in {@code shared/data}, and the real
 * llama.cpp servers that {@code scripts/llama-server} starts ({@link dev.assay.testing.LlamaServers}).
 */
package dev.assay.testing;
