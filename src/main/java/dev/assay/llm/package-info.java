/**
 * The model clients: requests, responses and typed errors, the bare OpenAI-compatible HTTP client
 * ({@link dev.assay.llm.OpenAiClient}, one call = one request) and the layers around any
 * {@link dev.assay.llm.LlmBackend}: in-flight bound, budget, retries, rate limits, adaptive window.
 *
 * <p>The layers are composed in one place, {@link dev.assay.llm.Endpoints#decorate}. Pipelines get a decorated client
 * from {@link dev.assay.llm.Endpoints#shared} (one per endpoint per JVM) and branch on the
 * {@link dev.assay.llm.LlmException} subtype a failed call carries.
 */
package dev.assay.llm;
