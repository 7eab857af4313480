#!/usr/bin/env python3
"""Recomputes a seed sweep's pooled verdict from the per-question result files alone, independently of lorapar's report code.

    dotnet lorapar show experiments/robustness.toml --json > show.json
    python3 build/pooled-check.py show.json [point]

For every arm (the runs that share every swept value but the seed) and answer set it reads each seed's graded answers
(<eval folder>/<set>_<point>.jsonl, "strict" is the grade), prints the accuracy per seed, the mean and its 95% Student-t interval,
and for LoRA-PAR (selection=importance) against each control: the questions only one of the two got right per seed and summed,
the exact two-sided binomial p of the pooled split (the exact stratified McNemar / CMH test with each question of each seed a
stratum) and the verdict at 0.05. Only the standard library is used; run names and eval folders come from `show --json`.
"""
import json
import math
import os
import sys
from collections import defaultdict

T975 = {1: 12.706205, 2: 4.302653, 3: 3.182446, 4: 2.776445, 5: 2.570582, 6: 2.446912, 7: 2.364624, 8: 2.306004, 9: 2.262157}
SETS = ("synthetic_s1", "synthetic_s2")


def exact_p(gained, lost):
    n, k = gained + lost, min(gained, lost)
    if n == 0:
        return 1.0
    return min(1.0, 2 * sum(math.comb(n, i) for i in range(k + 1)) / 2 ** n)


def graded(folder, set_name, point):
    with open(os.path.join(folder, f"{set_name}_{point}.jsonl"), encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    return {r["id"]: bool(r["strict"]) for r in rows}


def eval_folder(run):
    paths = [p for p in run["outputs"].values() if f"{os.sep}eval{os.sep}" in p]
    return os.path.dirname(paths[0]) if paths and os.path.isfile(paths[0]) else (paths[0] if paths else None)


def main():
    show = json.load(open(sys.argv[1], encoding="utf-8"))
    point = sys.argv[2] if len(sys.argv) > 2 else "stage2"
    arms = defaultdict(dict)            # arm → seed → eval folder
    for run in show["runs"]:
        values = dict(part.split("=", 1) for part in run["name"].split(","))
        seed = int(values.pop("seed"))
        folder = eval_folder(run)
        if folder:
            arms[",".join(f"{k}={v}" for k, v in sorted(values.items()))][seed] = folder
    for arm, seeds in sorted(arms.items()):
        for set_name in SETS:
            acc = [100 * sum(g.values()) / len(g) for g in (graded(seeds[s], set_name, point) for s in sorted(seeds))]
            n, mean = len(acc), sum(acc) / len(acc)
            sd = math.sqrt(sum((a - mean) ** 2 for a in acc) / (n - 1)) if n > 1 else float("nan")
            half = T975[n - 1] * sd / math.sqrt(n) if n > 1 else float("nan")
            print(f"{arm:30} {set_name}: per seed {[round(a, 1) for a in acc]}, mean {mean:.1f}, 95% CI {mean - half:.1f} – {mean + half:.1f}")
    for arm, seeds in sorted(arms.items()):
        rest, selection = _split(arm)
        if selection != "importance":
            continue
        for control_arm, control in sorted(arms.items()):
            if _split(control_arm)[0] != rest or control_arm == arm:
                continue
            for set_name in SETS:
                per_seed = []
                for s in sorted(seeds):
                    a, b = graded(seeds[s], set_name, point), graded(control[s], set_name, point)
                    per_seed.append((s, sum(1 for q in a if q in b and a[q] and not b[q]), sum(1 for q in a if q in b and b[q] and not a[q])))
                gained, lost = sum(g for _, g, _ in per_seed), sum(l for _, _, l in per_seed)
                p = exact_p(gained, lost)
                verdict = ("LoRA-PAR beats it" if gained > lost else "LoRA-PAR is worse") if p < 0.05 else "neither"
                print(f"{arm} vs {control_arm} {set_name}: per seed (seed, only LoRA-PAR, only control) {per_seed}; "
                      f"pooled {gained} / {lost}, p {p:.4g}, {verdict}")


def _split(arm):
    """(the arm's values other than the selection, its selection)."""
    parts = arm.split(",")
    selection = next((p.split("=", 1)[1] for p in parts if p.startswith("selection=")), None)
    return ",".join(p for p in parts if not p.startswith("selection=")), selection


if __name__ == "__main__":
    main()
