/**
 * The OpenAI-compatible client: requests, responses, typed errors, limits, retries and budget per endpoint.
 *
 * <p>Pipelines get a backend from {@link dev.assay.llm.Endpoints#shared} (one {@link dev.assay.llm.OpenAiClient}
 * per endpoint per JVM) and branch on the {@link dev.assay.llm.LlmException} subtype a failed call carries.
 */
package dev.assay.llm;
