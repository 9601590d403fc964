#!/usr/bin/env python3
"""Writes the notebooks in this folder (nbformat 4, no outputs) using only the json module.

Edit the cells here, then run `python3 notebooks/generate.py`; commit the regenerated .ipynb files.
"""
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent

# The first code cell of every notebook: find the run directory (one run, or a folder of iter-* runs).
LOAD = r'''import json, os, re
from pathlib import Path
import pandas as pd
import matplotlib
import matplotlib.pyplot as plt
%matplotlib inline
pd.set_option("display.width", 160)
pd.set_option("display.max_columns", 30)

RUN_DIR_SETTING = os.environ.get("ASSAY_RUN_DIR", "runs/demo")

def resolve_run_dir(setting):
    p = Path(setting).expanduser()
    if p.is_absolute():
        return p
    # relative: to the working directory, else to the repository root (the notebooks live in notebooks/)
    for base in (Path.cwd(), Path.cwd().parent):
        if (base / p).exists():
            return (base / p).resolve()
    return p

RUN_DIR = resolve_run_dir(RUN_DIR_SETTING)
if not RUN_DIR.is_dir():
    raise FileNotFoundError(
        f"ASSAY_RUN_DIR={RUN_DIR_SETTING!r}: no such directory ({RUN_DIR}). Point ASSAY_RUN_DIR at a run directory "
        "(one with manifest.json, e.g. the output of `./assay demo --out runs/demo`) or at a folder of iter-* run directories.")

def iteration_dirs(root):
    """[(label, path)]: the run itself, or its iter-T subfolders in numeric order."""
    if (root / "manifest.json").is_file():
        return [(root.name, root)]
    def key(p):
        m = re.search(r"(\d+)$", p.name)
        return (int(m.group(1)) if m else 10**9, p.name)
    its = sorted((p for p in root.glob("iter-*") if (p / "manifest.json").is_file()), key=key)
    if not its:
        raise FileNotFoundError(
            f"{root}: neither a run directory (no manifest.json) nor a folder of iter-* run directories with manifest.json")
    return [(p.name, p) for p in its]

def read_jsonl(path):
    path = Path(path)
    if not path.is_file():
        return pd.DataFrame()
    with open(path, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    return pd.DataFrame(rows)

def read_manifest(run):
    with open(run / "manifest.json", encoding="utf-8") as f:
        return json.load(f)

ITERATIONS = iteration_dirs(RUN_DIR)
print(f"run directory: {RUN_DIR}")
print("iterations:", ", ".join(label for label, _ in ITERATIONS))'''


def md(text):
    return {"cell_type": "markdown", "metadata": {}, "source": text.strip("\n").splitlines(keepends=True)}


def code(text):
    return {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
            "source": text.strip("\n").splitlines(keepends=True)}


def notebook(cells):
    for i, cell in enumerate(cells):
        cell["id"] = f"cell-{i:02d}"  # nbformat 4.5 wants ids; fixed ones keep regenerated files stable
    return {
        "cells": cells,
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


CONSISTENCY = notebook([
    md('''
# Consistency across iterations

CREAM-style consistency between the current and the previous iteration's reward rankings: the overall **C**, the
DPO **label_smoothing = 1 - C** Assay derives from it, the histogram of per-prompt consistency **C(x)** and the
per-prompt Kendall **tau-b**. Set `ASSAY_RUN_DIR` to one run directory or to a folder of `iter-*` run directories
(default `runs/demo`).
'''),
    code(LOAD),
    md("## C and label_smoothing per iteration"),
    code(r'''
rows = []
for label, run in ITERATIONS:
    m = read_manifest(run)
    s = m.get("consistency") or {}
    rows.append({
        "iteration": label,
        "C": s.get("consistency"),
        "label_smoothing": s.get("label_smoothing", m.get("label_smoothing")),
        "mean_tau_b": s.get("mean_tau_b"),
        "prompts": s.get("prompts"),
        "defined": s.get("defined"),
        "kept": s.get("kept"),
        "rejected": s.get("rejected"),
    })
summary = pd.DataFrame(rows).set_index("iteration")
display(summary)
if summary["C"].notna().any():
    ax = summary[["C", "label_smoothing"]].astype(float).plot(marker="o", figsize=(7, 3.5), ylim=(0, 1))
    ax.set_title("Consistency C and label_smoothing per iteration")
    ax.set_xlabel("iteration")
    plt.show()
else:
    print("no consistency summary in these manifests (the first iteration has no previous one to compare with)")
'''),
    md("## Per-prompt consistency C(x)"),
    code(r'''
per_prompt = []
for label, run in ITERATIONS:
    df = read_jsonl(run / "consistency" / "consistency.jsonl")
    if df.empty:
        continue
    df["iteration"] = label
    per_prompt.append(df)
per_prompt = pd.concat(per_prompt, ignore_index=True) if per_prompt else pd.DataFrame()
if per_prompt.empty:
    print("no consistency/consistency.jsonl in these runs")
else:
    cols = [c for c in ["iteration", "prompt_id", "tau_b", "consistency", "concordant", "discordant"] if c in per_prompt]
    display(per_prompt[cols].describe())
    fig, ax = plt.subplots(figsize=(7, 3.5))
    bins = [i / 10 for i in range(11)]
    for label, g in per_prompt.groupby("iteration", sort=False):
        ax.hist(g["consistency"].dropna().astype(float), bins=bins, alpha=0.6, label=str(label))
    ax.set_title("C(x) per prompt")
    ax.set_xlabel("C(x)")
    ax.set_ylabel("prompts")
    ax.legend()
    plt.show()
'''),
    md("The histogram the manifest stored (ten equal bins over [0, 1]), for comparison:"),
    code(r'''
hist = {label: (read_manifest(run).get("consistency") or {}).get("histogram") for label, run in ITERATIONS}
hist = {k: v for k, v in hist.items() if v}
if hist:
    h = pd.DataFrame(hist, index=[f"{i/10:.1f}-{(i+1)/10:.1f}" for i in range(len(next(iter(hist.values()))))])
    display(h.T)
else:
    print("no stored histogram")
'''),
    md("## Per-prompt tau-b"),
    code(r'''
if per_prompt.empty:
    print("no per-prompt tau-b")
else:
    tb = per_prompt.pivot_table(index="prompt_id", columns="iteration", values="tau_b", aggfunc="first")
    tb = tb[[l for l, _ in ITERATIONS if l in tb.columns]]
    fig, ax = plt.subplots(figsize=(10, 3.5))
    order = tb.mean(axis=1).sort_values().index
    for col in tb.columns:
        ax.plot(range(len(order)), tb.loc[order, col].values, marker=".", linestyle="none", label=str(col))
    ax.axhline(0, color="grey", linewidth=0.8)
    ax.set_title("Kendall tau-b per prompt (sorted)")
    ax.set_xlabel("prompt (sorted by mean tau-b)")
    ax.set_ylabel("tau-b")
    ax.legend()
    plt.show()
    print("lowest tau-b prompts:")
    display(tb.loc[order[:10]])
'''),
])

CALIBRATION = notebook([
    md('''
# Judge calibration

How each judge's scores and verdicts compare with **gold**. Where the judgments carry gold (`gold`, `gold_score` or
`gold_verdict` fields, as a simulated or annotated run may write), that is used; otherwise the **pseudo-gold** is the
majority of the judge's own samples for the same item (so accuracy then measures self-agreement). Also: parse rate per
judge, mean absolute error and a confusion table. For simulated runs the gold is the simulator's notion of quality;
its aggregate figures are the `simulated truth` lines in the manifest (see `filter-funnel.ipynb`).
'''),
    code(LOAD),
    code(r'''
frames = []
for label, run in ITERATIONS:
    df = read_jsonl(run / "judgments" / "judgments.jsonl")
    if df.empty:
        continue
    df["iteration"] = label
    frames.append(df)
if not frames:
    raise FileNotFoundError(f"no judgments/judgments.jsonl under {RUN_DIR}")
J = pd.concat(frames, ignore_index=True)
for col in ["candidate_b", "score", "verdict", "gold", "gold_score", "gold_verdict"]:
    if col not in J:
        J[col] = None
J["candidate_b"] = J["candidate_b"].fillna("")
print(f"{len(J)} judgments; kinds: {sorted(J['kind'].dropna().unique())}")
'''),
    md("## Parse rate per judge"),
    code(r'''
parse = (J.assign(ok=J["status"].eq("ok"))
          .groupby(["iteration", "judge", "kind"])
          .agg(requests=("ok", "size"), ok=("ok", "sum")))
parse["parse_rate"] = parse["ok"] / parse["requests"]
display(parse)
status = J.pivot_table(index=["iteration", "judge"], columns="status", values="id", aggfunc="count", fill_value=0)
display(status)
ax = parse["parse_rate"].plot.bar(figsize=(8, 3.5), ylim=(0, 1))
ax.set_title("parse rate per judge")
plt.show()
'''),
    md("## Gold or pseudo-gold"),
    code(r'''
ok = J[J["status"].eq("ok")].copy()
key = ["iteration", "judge", "kind", "item_id", "candidate_a", "candidate_b"]

def majority(values):
    v = pd.Series(values).dropna()
    if v.empty:
        return None
    counts = v.value_counts()
    top = counts[counts == counts.max()].index
    return sorted(top)[0] if len(top) == 1 else None  # a tie has no majority

abs_ = ok[ok["score"].notna()].copy()
pw = ok[ok["verdict"].notna()].copy()
has_gold_score = abs_["gold_score"].notna().any() or abs_["gold"].notna().any()
has_gold_verdict = pw["gold_verdict"].notna().any() or pw["gold"].notna().any()

if not abs_.empty:
    abs_["score"] = abs_["score"].astype(float)
    if has_gold_score:
        abs_["gold_value"] = abs_["gold_score"].fillna(abs_["gold"]).astype(float)
        SCORE_GOLD = "gold"
    else:
        g = abs_.groupby(key)["score"].agg(majority).rename("gold_value")
        abs_ = abs_.join(g, on=key)
        SCORE_GOLD = "pseudo-gold (majority of samples)"
if not pw.empty:
    if has_gold_verdict:
        pw["gold_value"] = pw["gold_verdict"].fillna(pw["gold"])
        VERDICT_GOLD = "gold"
    else:
        g = pw.groupby(key)["verdict"].agg(majority).rename("gold_value")
        pw = pw.join(g, on=key)
        VERDICT_GOLD = "pseudo-gold (majority of samples)"
for name, df in [("absolute", abs_), ("pairwise", pw)]:
    if not df.empty and not (has_gold_score if name == "absolute" else has_gold_verdict):
        if df.groupby(key).size().max() <= 1:
            print(f"note: {name} judges took one sample per item, so their pseudo-gold is themselves (accuracy 1.0 says nothing)")
print("absolute scores against:", SCORE_GOLD if not abs_.empty else "-")
print("pairwise verdicts against:", VERDICT_GOLD if not pw.empty else "-")
'''),
    md("## Accuracy and MAE per judge"),
    code(r'''
rows = []
if not abs_.empty:
    a = abs_[abs_["gold_value"].notna()]
    for (it, judge), g in a.groupby(["iteration", "judge"]):
        rows.append({"iteration": it, "judge": judge, "kind": "absolute", "n": len(g),
                     "no_gold": int(abs_[(abs_["iteration"] == it) & (abs_["judge"] == judge)]["gold_value"].isna().sum()),
                     "accuracy": (g["score"] == g["gold_value"]).mean(),
                     "mae": (g["score"] - g["gold_value"]).abs().mean(),
                     "mean_score": g["score"].mean()})
if not pw.empty:
    p = pw[pw["gold_value"].notna()]
    for (it, judge), g in p.groupby(["iteration", "judge"]):
        rows.append({"iteration": it, "judge": judge, "kind": "pairwise", "n": len(g),
                     "no_gold": int(pw[(pw["iteration"] == it) & (pw["judge"] == judge)]["gold_value"].isna().sum()),
                     "accuracy": (g["verdict"] == g["gold_value"]).mean(), "mae": None, "mean_score": None})
calib = pd.DataFrame(rows)
display(calib)
if not calib.empty:
    ax = calib.set_index(["iteration", "judge"])["accuracy"].plot.bar(figsize=(8, 3.5), ylim=(0, 1))
    ax.set_title("agreement with " + ("gold" if (has_gold_score or has_gold_verdict) else "pseudo-gold"))
    plt.show()
'''),
    md("## Confusion tables"),
    code(r'''
if not abs_.empty:
    a = abs_[abs_["gold_value"].notna()]
    for (it, judge), g in a.groupby(["iteration", "judge"]):
        print(f"{it} / {judge}: judge score (rows) against {SCORE_GOLD} (columns)")
        display(pd.crosstab(g["score"], g["gold_value"], rownames=["score"], colnames=["gold"]))
if not pw.empty:
    p = pw[pw["gold_value"].notna()]
    for (it, judge), g in p.groupby(["iteration", "judge"]):
        print(f"{it} / {judge}: verdict (rows) against {VERDICT_GOLD} (columns)")
        display(pd.crosstab(g["verdict"], g["gold_value"], rownames=["verdict"], colnames=["gold"]))
'''),
    md("## Score distributions"),
    code(r'''
if abs_.empty:
    print("no absolute scores")
else:
    dist = abs_.pivot_table(index="score", columns=["iteration", "judge"], values="id", aggfunc="count", fill_value=0)
    ax = dist.plot.bar(figsize=(9, 3.5))
    ax.set_title("absolute score distribution per judge")
    ax.set_ylabel("judgments")
    plt.show()
'''),
])

FUNNEL = notebook([
    md('''
# Filter funnel

Stage accounting from each run's `manifest.json`: how many records went **in** and came **out** of each stage, how
many were **rejected** (and why) or **failed**; plus the rejected records on disk and, for simulated runs, the
`simulated truth` lines (how often the chosen response was truly better after each filter).
'''),
    code(LOAD),
    code(r'''
rows, reasons, notes = [], [], []
for label, run in ITERATIONS:
    m = read_manifest(run)
    for name, s in (m.get("stages") or {}).items():
        rows.append({"iteration": label, "stage": name, "in": s.get("in", 0), "out": s.get("out", 0),
                     "rejected": s.get("rejected", 0), "failed": s.get("failed", 0)})
        for reason, n in (s.get("reasons") or {}).items():
            reasons.append({"iteration": label, "stage": name, "reason": reason, "count": n})
    notes += [{"iteration": label, "note": n} for n in (m.get("notes") or [])]
stages = pd.DataFrame(rows)
reasons = pd.DataFrame(reasons, columns=["iteration", "stage", "reason", "count"])
if stages.empty:
    raise ValueError(f"no stages recorded in the manifests under {RUN_DIR}")
stages["kept"] = stages["out"] / stages["in"].where(stages["in"] > 0)
display(stages.set_index(["iteration", "stage"]))
'''),
    md("## In / out / rejected / failed per stage"),
    code(r'''
for label, g in stages.groupby("iteration", sort=False):
    ax = g.set_index("stage")[["in", "out", "rejected", "failed"]].plot.bar(figsize=(10, 4))
    ax.set_title(f"{label}: records per stage")
    ax.set_ylabel("records")
    plt.xticks(rotation=30, ha="right")
    plt.show()
'''),
    md("## Rejection reasons"),
    code(r'''
if reasons.empty:
    print("no rejection reasons recorded")
else:
    for label, g in reasons.groupby("iteration", sort=False):
        t = g.pivot_table(index="stage", columns="reason", values="count", aggfunc="sum", fill_value=0)
        display(t)
        ax = t.plot.barh(stacked=True, figsize=(10, 0.5 * len(t) + 2))
        ax.set_title(f"{label}: rejection reasons per stage")
        ax.set_xlabel("records")
        ax.legend(bbox_to_anchor=(1.01, 1), loc="upper left", fontsize="small")
        plt.show()
'''),
    md("## Rejected records on disk"),
    code(r'''
rej = []
for label, run in ITERATIONS:
    for f in sorted((run / "rejected").glob("*.jsonl")):
        df = read_jsonl(f)
        reason_col = next((c for c in ["reason", "reasons", "rejection"] if c in df), None)
        if reason_col is None or df.empty:
            rej.append({"iteration": label, "file": f.name, "reason": "(unspecified)", "records": len(df)})
        else:
            for r, n in df[reason_col].astype(str).value_counts().items():
                rej.append({"iteration": label, "file": f.name, "reason": r, "records": n})
display(pd.DataFrame(rej, columns=["iteration", "file", "reason", "records"]))
'''),
    md("## Simulated truth"),
    code(r'''
truth = [n for n in notes if n["note"].startswith("simulated truth:")]
if not truth:
    print("no 'simulated truth' notes: not a simulated run, or the recipe does not measure it")
else:
    pat = re.compile(r"simulated truth: chosen truly better in (.*?) ([0-9.]+)% \((\d+)/(\d+)\)")
    parsed = []
    for n in truth:
        print(f"{n['iteration']}: {n['note']}")
        mm = pat.match(n["note"])
        if mm:
            parsed.append({"iteration": n["iteration"], "filter": mm.group(1), "percent": float(mm.group(2)),
                           "pairs": int(mm.group(4))})
    if parsed:
        t = pd.DataFrame(parsed)
        fig, ax = plt.subplots(figsize=(9, 3.5))
        for label, g in t.groupby("iteration", sort=False):
            ax.plot(g["filter"], g["percent"], marker="o", label=str(label))
        ax.set_ylim(0, 100)
        ax.set_ylabel("% chosen truly better")
        ax.set_title("simulated truth after each filter")
        ax.legend()
        plt.xticks(rotation=20, ha="right")
        plt.show()
'''),
])

for name, nb in [("consistency-across-iterations.ipynb", CONSISTENCY),
                 ("judge-calibration.ipynb", CALIBRATION),
                 ("filter-funnel.ipynb", FUNNEL)]:
    (HERE / name).write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print("wrote", HERE / name)
