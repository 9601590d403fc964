/** The OpenAI-compatible client: requests, responses, typed errors, limits, retries and budget per endpoint. */
package dev.assay.llm;
