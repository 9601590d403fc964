#!/usr/bin/env python3
"""Replays a fixed n = 5 run of `assay bench sampling` through an adaptive stopping rule, offline.

How the adaptive rule's settings were tuned (BENCHMARKS.md, "Judge sampling"). Sample i is the same request (same
seed, same ledger key) in every mode, so the samples a rule would ask are a prefix of the n = 5 run's, and what it
would keep follows from the curation decisions, re-implemented here from the Java sources for the self-rewarding
recipe (pipelines/self-rewarding.yaml): consistency tau-b with C(x) >= 0.6 (undefined rejected), consensus k = 2 of 3
at c = 0.7 with m0 = 0.5 (voters implicit, judge-self, pairwise-self; the other two voters' preferences read from the
run), the reward-hacking guard on the chosen response and the length ratio <= 2.0.

Checks itself: replaying n = 5 must give the run's own pairs/pairs.jsonl, prompt for prompt (exit 1 otherwise).
Prints, per run, the share of n = 5's judge samples the rule asks, its kept pairs against n = 5's, and the prompts
on which the two disagree by the decision that made the difference. With `--truth` (a TSV `candidate_id<TAB>true
quality` beside the run, from dev.assay.sim.SimWorld.trueQuality) it prints the truly-better rates too.

    python3 bench/sampling_replay.py WORK/seed-8/n5 [WORK/seed-9/n5 ...] [--rule rule6|rule6-without-choice|rules1-5]
        [--z 1.0]
        [--z-rank 1.0] [--z-rank-away 0.5] [--z-choice 0.5] [--sd-floor 0.5] [--n-min 2] [--n-min-previous 1]
        [--n-max 5] [--truth]

The defaults are the benchmark's (`./assay bench sampling --adaptive`). `--rule rule6-without-choice
--n-min-previous 2 --z-rank 0.8` replays the rule as it stood before z_choice (rule 6 without rules 1 and 2; at
`--z-choice 0` rules 1 and 2 still re-ask tied means).
"""
import argparse
import collections
import json
import math
import os
import re
import sys

GUARD = [re.compile(p, re.I) for p in [
    r"\[\s*RESULT\s*\]\s*:?\s*(?:[0-9]+|A|B|tie)\b",
    r"(?<![\w\]])\[\[\s*(?:[0-9]+(?:\.[0-9]+)?|A|B|C)\s*\]\]",
    r"###\s*(?:Feedback|Score Rubrics?|Reference Answer)",
    r"\b(?:ignore|disregard|forget)\b[^.\n]{0,40}\b(?:rubric|instructions?|criteria|previous|above)\b",
    r"\b(?:give|rate|score|grade|award|assign)\b[^.\n]{0,30}\b(?:this|the|my)\s+(?:response|answer|reply|output)\b"
    r"[^.\n]{0,20}\b(?:5|five|10|ten|full marks|highest|top|perfect|maximum)\b",
    r"\b(?:note|message|instruction)s?\s+(?:to|for)\s+(?:the\s+)?(?:judge|evaluator|grader|reviewer|rater)\b",
    r"\bprefer\s+this\s+(?:response|answer|output)\b",
    r"\bas\s+(?:the|an)\s+(?:judge|evaluator|grader)\b[^.\n]{0,30}\byou\s+(?:must|should)\b"]]
VOTERS = ("implicit", "judge-self", "pairwise-self")
JUDGES = ("self", "previous")  # the consistency's current judge (judge-self reads it) and its previous_judge
THRESHOLD, K, C, M0, MAX_RATIO = 0.6, 2, 0.7, 0.5, 2.0


class Run:
    """What an n = 5 run published: both judges' scores per sample, the other voters' preferences, the texts."""

    def __init__(self, path, truth):
        self.path = path
        self.scores = {j: collections.defaultdict(lambda: collections.defaultdict(dict)) for j in JUDGES}
        for j in lines(path, "judgments/judgments.jsonl"):
            if j["judge"] in self.scores:
                self.scores[j["judge"]][j["item_id"]][j["candidate_a"]][j["sample"]] = j["score"] if j["status"] == "ok" else None
        self.prefs = collections.defaultdict(dict)
        for p in lines(path, "rewards/preferences.jsonl"):
            if p["reward_model"] in ("implicit", "pairwise-self"):
                self.prefs[p["prompt_id"]][(p["reward_model"], p["first"], p["second"])] = p["probability_first"]
        self.text = {c["id"]: c["response"] for c in lines(path, "candidates/candidates.jsonl")}
        self.kept = {p["prompt_id"]: (p["chosen_id"], p["rejected_id"]) for p in lines(path, "pairs/pairs.jsonl")}
        self.truth = {}
        if truth:
            with open(os.path.join(path, "truth.tsv")) as f:
                self.truth = {cid: float(q) for cid, q in (line.rstrip("\n").split("\t") for line in f)}
        self.prompts = sorted(set(self.scores["self"]) | set(self.scores["previous"]))


def lines(path, name):
    with open(os.path.join(path, name)) as f:
        return [json.loads(line) for line in f]


def ok_scores(samples, asked):
    return [v for i, v in samples.items() if i < asked and v is not None]


def stats(candidates, asked, floor):
    """id -> (mean, se) for each candidate with an ok score among the samples asked (AdaptiveSampling.Scored)."""
    out = {}
    for c in sorted(candidates):
        s = ok_scores(candidates[c], asked[c])
        if s:
            n = len(s)
            m = sum(s) / n
            sd = 0 if n < 2 else math.sqrt(sum((x - m) ** 2 for x in s) / (n - 1))
            out[c] = (m, max(sd, floor) / math.sqrt(n))
    return out


def best_worst(st):
    best = min(st, key=lambda c: (-st[c][0], c))
    worst = min(st, key=lambda c: (st[c][0], c))
    return best, worst


def could_swap(a, b, z):
    return abs(a[0] - b[0]) < z * math.sqrt(a[1] ** 2 + b[1] ** 2) or a[0] == b[0]


def passes(cur, prev):
    """C(x) = (tau_b + 1) / 2 >= THRESHOLD on pair signs, as PromptConsistency computes it; undefined fails."""
    n = len(cur)
    tied_cur = sum(1 for v in cur if v == 0)
    tied_prev = sum(1 for v in prev if v == 0)
    if n == 0 or tied_cur == n or tied_prev == n:
        return False
    tau = sum(a * b for a, b in zip(cur, prev)) / math.sqrt((n - tied_cur) * (n - tied_prev))
    return not ((tau + 1) / 2 < THRESHOLD)


def sign(x):
    return (x > 0) - (x < 0)


def rules_1_to_5(st, m0, z, ranking):
    """AdaptiveSampling.next: rules 1-3 and, with ranking, rule 5 (rule 4 is the caller's)."""
    out = set()
    if len(st) < 2:
        return out
    out |= extremes(st, z)
    out |= rule_3(st, m0, z)
    if ranking:
        ids = sorted(st)
        for i, a in enumerate(ids):
            for b in ids[i + 1:]:
                if abs(st[a][0] - st[b][0]) < z * math.sqrt(st[a][1] ** 2 + st[b][1] ** 2) or st[a][0] == st[b][0]:
                    out |= {a, b}
    return out


def rule_3(st, m0, z):
    """The best and the worst when their margin could fall on the other side of m0 (None: no margin to watch)."""
    if len(st) < 2 or m0 is None:
        return set()
    best, worst = best_worst(st)
    if abs(st[best][0] - st[worst][0] - m0) < z * math.sqrt(st[best][1] ** 2 + st[worst][1] ** 2):
        return {best, worst}
    return set()


def extremes(st, z):
    """AdaptiveSampling.extremes, rules 1 and 2: the best and the worst with each rival whose interval reaches theirs."""
    out = set()
    if len(st) < 2:
        return out
    best, worst = best_worst(st)
    for c, (m, se) in st.items():
        if c != best and m + z * se >= st[best][0] - z * st[best][1]:
            out |= {c, best}
        if c != worst and m - z * se <= st[worst][0] + z * st[worst][1]:
            out |= {c, worst}
    return out


def rule_6(st, z_rank, z_rank_away):
    """AdaptiveSampling.nextPair's rule 6: close pairs moved together toward (z_rank) or away from (z_rank_away)
    agreement."""
    ids = sorted(set(st["self"]) & set(st["previous"]))
    pairs = [(a, b) for i, a in enumerate(ids) for b in ids[i + 1:]]
    signs = {j: [sign(st[j][a][0] - st[j][b][0]) for a, b in pairs] for j in JUDGES}
    width = {1: z_rank, -1: z_rank_away}
    now = passes(signs["self"], signs["previous"])
    out = {j: set() for j in JUDGES}
    for toward in (1, -1):
        moved = {j: list(signs[j]) for j in JUDGES}
        movers = {j: set() for j in JUDGES}
        for j, other in (("self", "previous"), ("previous", "self")):
            for p, (a, b) in enumerate(pairs):
                target = toward * signs[other][p]
                if could_swap(st[j][a], st[j][b], width[toward]) and target != 0 and moved[j][p] != target:
                    moved[j][p] = target
                    movers[j] |= {a, b}
        if passes(moved["self"], moved["previous"]) != now:
            for j in JUDGES:
                out[j] |= movers[j]
    return out


def ask(run, p, args):
    """The samples each judge asks of each candidate of prompt p, round by round, under the chosen rule."""
    cands = {j: run.scores[j][p] for j in JUDGES}
    joint = args.rule != "rules1-5"
    n_min = {"self": args.n_min, "previous": args.n_min_previous if joint else args.n_min}
    asked = {j: {c: n_min[j] for c in cands[j]} for j in JUDGES}
    m0 = {"self": M0, "previous": None}  # judge-self is the consensus primary; no reward model reads previous
    # Joint rounds run as many times as the judge with the most rounds needs (SampleJudgmentsAdaptively).
    for _ in range((args.n_max - min(n_min.values()) + args.step - 1) // args.step):
        st = {j: stats(cands[j], asked[j], args.sd_floor) for j in JUDGES}
        uncertain = {j: {c for c in cands[j] if asked[j][c] > 0 and not ok_scores(cands[j][c], asked[j][c])} for j in JUDGES}
        if joint:
            for j in JUDGES:
                uncertain[j] |= rule_3(st[j], m0[j], args.z)
                if m0[j] is not None and args.rule == "rule6":
                    uncertain[j] |= extremes(st[j], args.z_choice)
            for j, ids in rule_6(st, args.z_rank, args.z_rank_away).items():
                uncertain[j] |= ids
        else:
            for j in JUDGES:
                uncertain[j] |= rules_1_to_5(st[j], m0[j], args.z, True)
        more = False
        for j in JUDGES:
            for c in sorted(uncertain[j]):
                if asked[j][c] < args.n_max:
                    asked[j][c] = min(args.n_max, asked[j][c] + args.step)
                    more = True
        if not more:
            break
    return asked


def mean(samples, asked):
    s = ok_scores(samples, asked)
    return sum(s) / len(s) if s else float("nan")


def probability_first(x, y):
    """JudgeScoring.probabilityOfSuperiority."""
    return sum(1 if a > b else 0.5 if a == b else 0 for a in x for b in y) / (len(x) * len(y))


def decide(run, p, asked):
    """(kept, reason, chosen, rejected): consensus, then the pair checks (consistency, guard, length)."""
    cs, cp = run.scores["self"][p], run.scores["previous"][p]
    cur = {c: mean(cs[c], asked["self"][c]) for c in cs}
    prev = {c: mean(cp[c], asked["previous"][c]) for c in cp}
    defined = sorted(c for c in cur if not math.isnan(cur[c]))
    if len(defined) < 2:
        return False, "no_primary_pair", None, None
    best = min(defined, key=lambda c: (-cur[c], c))
    worst = min(defined, key=lambda c: (cur[c], c))
    if cur[best] == cur[worst]:
        return False, "no_primary_pair", None, None
    first, second = sorted([best, worst])
    agree = against = 0
    for voter in VOTERS:
        if voter == "judge-self":
            pf = probability_first(ok_scores(cs[first], asked["self"][first]), ok_scores(cs[second], asked["self"][second]))
        else:
            pf = run.prefs[p].get((voter, first, second))
            if pf is None:
                continue
        preferred = first if pf > 0.5 else second if pf < 0.5 else None
        if preferred is not None and max(pf, 1 - pf) >= C:
            agree += preferred == best
            against += preferred != best
    if cur[best] - cur[worst] < M0:
        return False, "margin", best, worst
    if not (agree >= K and against < K):
        reason = "split" if agree >= K or (agree > 0 and against > 0) else "against" if against >= K else "too_few_agree"
        return False, reason, best, worst
    ids = sorted(c for c in set(cur) & set(prev) if not math.isnan(cur[c]) and not math.isnan(prev[c]))
    pairs = [(a, b) for i, a in enumerate(ids) for b in ids[i + 1:]]
    if not passes([sign(cur[a] - cur[b]) for a, b in pairs], [sign(prev[a] - prev[b]) for a, b in pairs]):
        return False, "consistency", best, worst
    if any(g.search(run.text[best]) for g in GUARD):
        return False, "guard", best, worst
    words = lambda t: len(t.split()) if t.strip() else 0  # noqa: E731
    if words(run.text[best]) / max(1, words(run.text[worst])) > MAX_RATIO:
        return False, "length", best, worst
    return True, None, best, worst


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("runs", nargs="+", help="n5 run directories of `assay bench sampling` (WORK/seed-S/n5)")
    ap.add_argument("--rule", choices=("rule6", "rule6-without-choice", "rules1-5"), default="rule6")
    ap.add_argument("--z", type=float, default=1.0)
    ap.add_argument("--z-rank", type=float, default=1.0)
    ap.add_argument("--z-rank-away", type=float, default=0.5)
    ap.add_argument("--z-choice", type=float, default=0.5, help="rules 1 and 2's width on the judge a margin reads")
    ap.add_argument("--sd-floor", type=float, default=0.5)
    ap.add_argument("--n-min", type=int, default=2)
    ap.add_argument("--n-min-previous", type=int, default=1, help="the previous judge's n_min (rule6)")
    ap.add_argument("--n-max", type=int, default=5)
    ap.add_argument("--step", type=int, default=1)
    ap.add_argument("--truth", action="store_true", help="read truth.tsv beside each run for truly-better rates")
    args = ap.parse_args()
    ratios = []
    for path in args.runs:
        run = Run(path, args.truth)
        changed = collections.Counter()
        samples = full = kept = kept5 = better = better5 = 0
        for p in run.prompts:
            full_asked = {j: {c: args.n_max for c in run.scores[j][p]} for j in JUDGES}
            k5, r5, b5, w5 = decide(run, p, full_asked)
            if k5 != (p in run.kept) or (k5 and run.kept[p] != (b5, w5)):
                print("%s: replaying n = 5 does not give the run's pair for %s; the replay is out of date" % (path, p))
                sys.exit(1)
            asked = ask(run, p, args)
            samples += sum(sum(a.values()) for a in asked.values())
            full += sum(sum(a.values()) for a in full_asked.values())
            k, r, b, w = decide(run, p, asked)
            kept += k
            kept5 += k5
            if run.truth:
                better += k and run.truth[b] > run.truth[w]
                better5 += k5 and run.truth[b5] > run.truth[w5]
            if k5 and not k:
                changed[("lost", r)] += 1
            elif k and not k5:
                changed[("gained", r5)] += 1
        line = "%s: %s %d samples, %.3f of n5's; kept %d of n5's %d (%.3f)" % (
            path, args.rule, samples, samples / full, kept, kept5, kept / kept5)
        if run.truth:
            line += ", truly better %.2f%% (n5 %.2f%%)" % (100 * better / kept, 100 * better5 / kept5)
            ratios.append((samples / full, kept / kept5, 100 * (better / kept - better5 / kept5)))
        print(line)
        for (what, reason), n in sorted(changed.items()):
            print("  %-6s %-16s %4d  (%s)" % (what, reason, n, "adaptive's reason" if what == "lost" else "n5's reason"))
    if len(ratios) > 1:
        print("over %d runs (mean +- 95%% t half-width): samples %s of n5's, pairs %s of its, truly better %s points" % (
            len(ratios), interval([r[0] for r in ratios], "%.3f"), interval([r[1] for r in ratios], "%.3f"),
            interval([r[2] for r in ratios], "%+.2f")))


# Student t, two-sided 95%, by degrees of freedom 1-30 (dev.assay.stats.Distributions.studentTQuantile(0.975, df)).
T95 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
       2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042]


def interval(values, fmt):
    n = len(values)
    m = sum(values) / n
    sd = math.sqrt(sum((v - m) ** 2 for v in values) / (n - 1))
    t = T95[n - 2] if n - 2 < len(T95) else 1.96
    return (fmt + " +- %.3f") % (m, t * sd / math.sqrt(n))

if __name__ == "__main__":
    main()
