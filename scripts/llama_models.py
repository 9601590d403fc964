"""Writes a tiny random-weights llama GGUF for llama.cpp's server, used by scripts/llama-server.

No trained weights are available from the package registries, so Assay's tests run a real server on a model that
is random but well formed: the llama architecture, 2 layers, width 64, 4 heads of 16, feed-forward 256, float32,
with the vocabulary of llama.cpp's own `models/ggml-vocab-llama-spm.gguf` (SentencePiece, 32,000 tokens) and a
ChatML chat template (see CHAT_TEMPLATE), so /v1/chat/completions formats messages like a chat model does. Two seeds give two
different models (the policy and the previous iteration), so CREAM compares two models that disagree.

The output is a pure function of the seed and the vocab file: the same inputs write the same bytes.

Run with llama.cpp's gguf-py on PYTHONPATH and numpy installed:
    PYTHONPATH=LLAMA/gguf-py python3 llama_models.py --vocab VOCAB.gguf --seed 1 --name NAME --out OUT.gguf
Fails (exit 1, with the reason) when the vocab file lacks a tokenizer field.
"""

import argparse
import sys

import numpy as np
from gguf import GGUFReader, GGUFValueType, GGUFWriter

LAYERS = 2
WIDTH = 64
HEADS = 4
FEED_FORWARD = 256
CONTEXT = 4096

# ChatML, with the assistant's cue written whether or not add_generation_prompt is set. llama.cpp 80fb11a feeds the
# "generation prompt" (what add_generation_prompt adds to the rendering) to a response_format grammar before
# sampling; a JSON grammar rejects "<|im_start|>assistant" and the server answers HTTP 400 "Failed to initialize
# samplers". Written unconditionally, the cue is part of every rendering, the generation prompt is empty and
# structured output works. A random model has no use for the distinction anyway.
CHAT_TEMPLATE = (
    "{% for message in messages %}"
    "{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}"
    "{% endfor %}"
    "{{ '<|im_start|>assistant\\n' }}"
)

# Tokenizer fields copied as they are from the vocab file; the rest of its fields describe a 7B model, not ours.
TOKENIZER_FIELDS = (
    "tokenizer.ggml.model",
    "tokenizer.ggml.pre",
    "tokenizer.ggml.tokens",
    "tokenizer.ggml.scores",
    "tokenizer.ggml.token_type",
    "tokenizer.ggml.bos_token_id",
    "tokenizer.ggml.eos_token_id",
    "tokenizer.ggml.unknown_token_id",
    "tokenizer.ggml.add_bos_token",
    "tokenizer.ggml.add_eos_token",
)


def copy_field(reader: GGUFReader, writer: GGUFWriter, key: str) -> None:
    field = reader.fields.get(key)
    if field is None:
        sys.exit(f"llama_models: {key} missing from the vocab file")
    vtype = field.types[0]
    if vtype == GGUFValueType.ARRAY:
        writer.add_key_value(key, field.contents(), vtype, sub_type=field.types[1])
    else:
        writer.add_key_value(key, field.contents(), vtype)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vocab", required=True)
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--name", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    reader = GGUFReader(args.vocab)
    vocab = len(reader.fields["tokenizer.ggml.tokens"].data)
    rng = np.random.default_rng(args.seed)

    def weight(rows: int, cols: int) -> np.ndarray:
        # numpy (rows, cols) is GGUF ne = [cols, rows]: each row is one output unit over `cols` inputs. A standard
        # deviation of 1/sqrt(cols) keeps activations and logits near unit scale, so the output distribution is
        # neither uniform over 32,000 tokens nor stuck on one.
        return rng.normal(0.0, cols ** -0.5, size=(rows, cols)).astype(np.float32)

    def ones() -> np.ndarray:
        return np.ones(WIDTH, dtype=np.float32)

    writer = GGUFWriter(args.out, "llama")
    writer.add_name(args.name)
    writer.add_description(f"random weights, seed {args.seed}: a test model for Assay, not a language model")
    writer.add_context_length(CONTEXT)
    writer.add_embedding_length(WIDTH)
    writer.add_block_count(LAYERS)
    writer.add_feed_forward_length(FEED_FORWARD)
    writer.add_head_count(HEADS)
    writer.add_head_count_kv(HEADS)
    writer.add_rope_dimension_count(WIDTH // HEADS)
    writer.add_layer_norm_rms_eps(1e-5)
    writer.add_vocab_size(vocab)
    writer.add_file_type(0)  # all float32
    for key in TOKENIZER_FIELDS:
        copy_field(reader, writer, key)
    writer.add_chat_template(CHAT_TEMPLATE)

    writer.add_tensor("token_embd.weight", weight(vocab, WIDTH))
    for layer in range(LAYERS):
        prefix = f"blk.{layer}."
        writer.add_tensor(prefix + "attn_norm.weight", ones())
        writer.add_tensor(prefix + "attn_q.weight", weight(WIDTH, WIDTH))
        writer.add_tensor(prefix + "attn_k.weight", weight(WIDTH, WIDTH))
        writer.add_tensor(prefix + "attn_v.weight", weight(WIDTH, WIDTH))
        writer.add_tensor(prefix + "attn_output.weight", weight(WIDTH, WIDTH))
        writer.add_tensor(prefix + "ffn_norm.weight", ones())
        writer.add_tensor(prefix + "ffn_gate.weight", weight(FEED_FORWARD, WIDTH))
        writer.add_tensor(prefix + "ffn_up.weight", weight(FEED_FORWARD, WIDTH))
        writer.add_tensor(prefix + "ffn_down.weight", weight(WIDTH, FEED_FORWARD))
    writer.add_tensor("output_norm.weight", ones())
    writer.add_tensor("output.weight", weight(vocab, WIDTH))

    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


if __name__ == "__main__":
    main()
