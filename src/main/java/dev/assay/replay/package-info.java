/**
 * The replay stand-in: an {@link dev.assay.llm.LlmBackend} that answers each judge request with the answer a real
 * judge <em>published</em> for that item and presentation order (LLMBar's raw completions, PandaLM's verdicts), so
 * published judgments run through Assay's own parsing, statistics and gates.
 *
 * <p>A replay is labelled wherever it appears, as the simulator is: its model id is {@code replay:<evaluator>/<strategy>},
 * the command that uses it prints {@link dev.assay.replay.ReplayIndex#notice()}, and results record it. It recognises
 * the item from the request alone (the contract's tagged blocks, hashed: {@link dev.assay.replay.ReplayKey}) and
 * never makes up an answer: a request it cannot match fails with {@link dev.assay.replay.ReplayMissException}, which
 * says what it could not match.
 */
package dev.assay.replay;
