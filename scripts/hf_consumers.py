"""The real Hugging Face consumers, run over an Assay export folder (issue 19).

Usage: python hf_consumers.py EXPORT_DIR [JSONL_DIR]

Checks, each printed as "PASS name" or "FAIL name: why", then one closing line "N passed, N failed":
  - load: datasets.load_dataset(EXPORT_DIR) (the default config) and load_dataset(EXPORT_DIR, CONFIG) for every
    config in the card's YAML front matter, every split's rows equal to the JSONL file the config names (for a Parquet
    config: its JSONL twin), read with the json module (an independent reader);
  - parquet: for every *.parquet file under EXPORT_DIR, load_dataset("parquet", data_files=...) and
    pyarrow.parquet.read_table, rows equal to the JSONL twin (dicts compared whole: a null is not an absent key,
    unicode and empty strings must survive), every column stated not-null, and every id in the metadata sidecar
    beside it; so pyarrow checks what the Java writer wrote. The twin is the file at the same relative path with
    .jsonl for .parquet under JSONL_DIR (default EXPORT_DIR), or, failing that, the same split without the Hub's
    shard suffix beside the Parquet file;
  - trainers: a few steps of TRL's DPOTrainer (trl, trl-conversational; label_smoothing from the export), SFTTrainer
    (sft, sft-prompt-completion) and KTOTrainer (kto) on a tiny randomly initialised Llama whose config and tokenizer
    are built here: nothing is downloaded.
HF_CONSUMERS_SKIP_TRAINERS=1 runs the loading checks only.
Exit status: 0 when every check passed, 1 otherwise, 2 on bad usage.
"""

import copy
import json
import math
import atexit
import os
import re
import shutil
import sys
import tempfile
import traceback

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
os.environ.setdefault("DATASETS_VERBOSITY", "error")
os.environ.setdefault("HF_DATASETS_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("ACCELERATE_DISABLE_RICH", "1")
# A cache of its own per check: datasets keys its cache on a data file's path and modification time, so a check of a
# rewritten export at a reused path could be served the rows of an earlier one (seen: 7 of 9 rows).
_datasets_cache = tempfile.mkdtemp(prefix="assay-hf-datasets-")
os.environ["HF_DATASETS_CACHE"] = _datasets_cache
atexit.register(shutil.rmtree, _datasets_cache, True)

import yaml  # noqa: E402  (installed with datasets)

RESULTS = []


def check(name, fn):
    try:
        fn()
        RESULTS.append((name, None))
        print(f"PASS {name}", flush=True)
    except Exception as e:  # a consumer's failure of any kind is a failed check, not a crash of the script
        RESULTS.append((name, e))
        print(f"FAIL {name}: {type(e).__name__}: {e}", flush=True)
        traceback.print_exc(limit=3, file=sys.stdout)


def front_matter(export_dir):
    text = open(os.path.join(export_dir, "README.md"), encoding="utf-8").read()
    if not text.startswith("---\n"):
        raise AssertionError("README.md has no YAML front matter")
    end = text.index("\n---\n", 4)
    return yaml.safe_load(text[4:end + 1])


def jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def same_rows(name, got, want):
    if len(got) != len(want):
        raise AssertionError(f"{name}: {len(got)} rows, JSONL has {len(want)}")
    for i, (g, w) in enumerate(zip(got, want)):
        if g != w:
            raise AssertionError(f"{name}: row {i} differs:\n  loaded {g!r}\n  jsonl  {w!r}")


def jsonl_twin(export_dir, jsonl_dir, parquet_path):
    """The JSONL file holding the same rows as a Parquet file (see the module's docstring); None when there is none."""
    rel = os.path.relpath(parquet_path, export_dir)
    candidates = [os.path.join(jsonl_dir, re.sub(r"\.parquet$", ".jsonl", rel)),
                  os.path.join(os.path.dirname(parquet_path),
                               re.sub(r"(-\d+-of-\d+)?\.parquet$", ".jsonl", os.path.basename(parquet_path)))]
    return next((c for c in candidates if os.path.exists(c)), None)


def check_configs(export_dir, jsonl_dir, meta):
    from datasets import load_dataset

    configs = meta.get("configs") or []
    if not configs:
        raise AssertionError("the front matter lists no configs")

    def default():
        named = [c for c in configs if c.get("default")]
        if len(named) != 1:
            raise AssertionError(f"{len(named)} configs are marked default")
        ds = load_dataset(export_dir)
        want = load_dataset(export_dir, named[0]["config_name"])
        for split in want:
            same_rows(f"default/{split}", ds[split].to_list(), want[split].to_list())

    check("load_dataset(DIR) (the default config)", default)
    for c in configs:
        name = c["config_name"]

        def load(c=c, name=name):
            ds = load_dataset(export_dir, name)
            files = {f["split"]: f["path"] for f in c["data_files"]}
            if set(ds.keys()) != set(files):
                raise AssertionError(f"splits {sorted(ds.keys())}, the card lists {sorted(files)}")
            for split, path in files.items():
                if path.endswith(".jsonl"):
                    rows = jsonl(os.path.join(export_dir, path))
                else:  # a Parquet config: compare with its JSONL twin
                    twin = jsonl_twin(export_dir, jsonl_dir, os.path.join(export_dir, path))
                    if twin is None:
                        raise AssertionError(f"{path}: no JSONL twin to compare with")
                    rows = jsonl(twin)
                same_rows(f"{name}/{split}", ds[split].to_list(), rows)

        check(f"load_dataset(DIR, {name!r})", load)


def not_null_everywhere(name, arrow_type, nullable):
    """Every field, list element and struct member is stated not-null (the export's rows never hold null)."""
    import pyarrow as pa

    if nullable:
        raise AssertionError(f"{name} is nullable; the writer states every column required")
    if pa.types.is_list(arrow_type):
        not_null_everywhere(name + "[]", arrow_type.value_type, arrow_type.value_field.nullable)
    elif pa.types.is_struct(arrow_type):
        for f in arrow_type:
            not_null_everywhere(f"{name}.{f.name}", f.type, f.nullable)


def check_parquet(export_dir, jsonl_dir):
    from datasets import load_dataset
    import pyarrow.parquet as pq

    for root, _, names in sorted(os.walk(export_dir)):
        for n in sorted(names):
            if not n.endswith(".parquet"):
                continue
            path = os.path.join(root, n)

            def load(path=path):
                twin = jsonl_twin(export_dir, jsonl_dir, path)
                if twin is None:
                    raise AssertionError("no JSONL export to compare with")
                want = jsonl(twin)
                rel = os.path.relpath(path, export_dir)
                ds = load_dataset("parquet", data_files={"train": path})["train"]
                same_rows(f"datasets {rel}", ds.to_list(), want)
                table = pq.read_table(path)
                same_rows(f"pyarrow {rel}", table.to_pylist(), want)
                for field in table.schema:
                    not_null_everywhere(field.name, field.type, field.nullable)
                sidecar = os.path.join(root, "metadata.jsonl")
                ids = {m["id"] for m in jsonl(sidecar)} if os.path.exists(sidecar) else None
                if ids is None:
                    raise AssertionError("no metadata.jsonl beside it")
                missing = [r["id"] for r in want if r["id"] not in ids]
                if missing or "id" not in table.column_names:
                    raise AssertionError(f"ids not joinable with the sidecar: {missing[:3]}")

            check(f"parquet {os.path.relpath(path, export_dir)} (datasets, pyarrow)", load)


CHAT_TEMPLATE = (
    "{% for m in messages %}<|{{ m['role'] }}|>{{ m['content'] }}<|end|>{% endfor %}"
    "{% if add_generation_prompt %}<|assistant|>{% endif %}"
)


def tiny_model_and_tokenizer(texts):
    """A byte-level BPE tokenizer trained on the export's own text and a 2-layer Llama of width 32, both random."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast
    import torch

    torch.manual_seed(0)
    special = ["<|pad|>", "<|end|>", "<|bos|>", "<|system|>", "<|user|>", "<|assistant|>"]
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    tok.train_from_iterator(texts, trainers.BpeTrainer(vocab_size=512, special_tokens=special, show_progress=False,
                                                       initial_alphabet=pre_tokenizers.ByteLevel.alphabet()))
    tokenizer = PreTrainedTokenizerFast(tokenizer_object=tok, pad_token="<|pad|>", eos_token="<|end|>",
                                        bos_token="<|bos|>")
    tokenizer.chat_template = CHAT_TEMPLATE
    config = LlamaConfig(vocab_size=len(tokenizer), hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                         num_attention_heads=4, num_key_value_heads=4, max_position_embeddings=1024,
                         pad_token_id=tokenizer.pad_token_id, eos_token_id=tokenizer.eos_token_id,
                         bos_token_id=tokenizer.bos_token_id)
    return LlamaForCausalLM(config), tokenizer


def texts_of(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for v in value:
            yield from texts_of(v)
    elif isinstance(value, dict):
        for v in value.values():
            yield from texts_of(v)


def common_args(out):
    return dict(output_dir=out, max_steps=2, per_device_train_batch_size=2, learning_rate=1e-3, report_to="none",
                save_strategy="no", logging_strategy="no", disable_tqdm=True, use_cpu=True, dataloader_num_workers=0, seed=0)


def assert_finite(trainer):
    loss = trainer.state.log_history[-1].get("train_loss") if trainer.state.log_history else None
    if loss is None or not math.isfinite(loss):
        raise AssertionError(f"no finite training loss after {trainer.state.global_step} steps: {loss}")
    if trainer.state.global_step != 2:
        raise AssertionError(f"{trainer.state.global_step} steps, expected 2")


def check_trainers(export_dir, meta):
    from datasets import load_dataset

    names = {c["config_name"] for c in meta.get("configs") or []}
    data = {n: load_dataset(export_dir, n)["train"] for n in names}
    texts = [t for ds in data.values() for row in ds.to_list() for t in texts_of(row)]
    work = tempfile.mkdtemp(prefix="hf-consumers-")

    def dpo(name):
        from trl import DPOConfig, DPOTrainer

        metrics = json.load(open(os.path.join(export_dir, name, "metrics.json"), encoding="utf-8"))
        smoothing = metrics.get("label_smoothing")
        card = open(os.path.join(export_dir, "README.md"), encoding="utf-8").read()
        kwargs = {}
        if smoothing is not None:
            # The card prints the same value; TRL 1.x documents label_smoothing for the robust loss (the card says so).
            shown = f"{smoothing:.4f}" if smoothing != round(smoothing) else f"{smoothing:.0f}"
            if f"label_smoothing = 1 - C = {shown}" not in card:
                raise AssertionError(f"the card does not show label_smoothing {shown}")
            kwargs = dict(loss_type="robust", label_smoothing=min(smoothing, 0.49))
        model, tok = tiny_model_and_tokenizer(texts)
        args = DPOConfig(**common_args(os.path.join(work, name)), max_length=256, beta=0.1, **kwargs)
        # An explicit reference model: TRL would otherwise load one by the model's Hub id, which a random model lacks.
        trainer = DPOTrainer(model=model, ref_model=copy.deepcopy(model), args=args, train_dataset=data[name],
                             processing_class=tok)
        trainer.train()
        assert_finite(trainer)

    def sft(name):
        from trl import SFTConfig, SFTTrainer

        model, tok = tiny_model_and_tokenizer(texts)
        args = SFTConfig(**common_args(os.path.join(work, name)), max_length=256)
        trainer = SFTTrainer(model=model, args=args, train_dataset=data[name], processing_class=tok)
        trainer.train()
        assert_finite(trainer)

    def kto(name):
        try:
            from trl import KTOConfig, KTOTrainer
        except ImportError:  # TRL 0.29 to 1.x before KTO was promoted back to the stable API
            from trl.experimental.kto import KTOConfig, KTOTrainer

        model, tok = tiny_model_and_tokenizer(texts)
        args = KTOConfig(**common_args(os.path.join(work, name)), max_length=256, beta=0.1)
        trainer = KTOTrainer(model=model, ref_model=copy.deepcopy(model), args=args, train_dataset=data[name],
                             processing_class=tok)
        trainer.train()
        assert_finite(trainer)

    for name, fn in [("trl", dpo), ("trl-conversational", dpo), ("sft", sft), ("sft-prompt-completion", sft),
                     ("kto", kto)]:
        if name in data:
            check(f"{fn.__name__.upper()} trainer on {name}", lambda fn=fn, name=name: fn(name))


def main(argv):
    if len(argv) not in (2, 3) or not all(os.path.isdir(a) for a in argv[1:]):
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    export_dir = os.path.abspath(argv[1])
    jsonl_dir = os.path.abspath(argv[2]) if len(argv) == 3 else export_dir
    meta = None
    try:
        meta = front_matter(export_dir)
        RESULTS.append(("front matter", None))
        print("PASS front matter", flush=True)
    except Exception as e:
        RESULTS.append(("front matter", e))
        print(f"FAIL front matter: {e}", flush=True)
    if meta is not None:
        check_configs(export_dir, jsonl_dir, meta)
    check_parquet(export_dir, jsonl_dir)
    if meta is not None and os.environ.get("HF_CONSUMERS_SKIP_TRAINERS") != "1":
        check_trainers(export_dir, meta)
    failed = sum(1 for _, e in RESULTS if e is not None)
    print(f"{len(RESULTS) - failed} passed, {failed} failed", flush=True)
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
