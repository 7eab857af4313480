#!/usr/bin/env bash
# The resume acceptance sweep (issue 16): for each long stage, a `lorapar run --stage S` child is killed at random points
# (SIGKILL, KILLS times; then SIGINT once) and run again; every resumed stage's committed files must equal, byte for byte,
# those of an uninterrupted run (metrics.json's *_seconds and stage.json, which hold timing, aside). Checkpoints are
# written after every step (checkpoint_minutes = 0), so kills land before, inside and after checkpoint writes and commits.
# Usage: bash build/kill-sweep.sh [MANIFEST=experiments/ci.toml] [KILLS=5] [STAGES="pretrain scores sft rl eval"];
# needs a built src/LoraPar.Cli (Debug), which must not be rebuilt while the sweep runs.
# Runs once by hand (minutes); not part of the test suite.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
manifest=${1:-$root/experiments/ci.toml}
kills=${2:-5}
stages=${3:-pretrain scores sft rl eval}
dll=$root/src/LoraPar.Cli/bin/Debug/net10.0/lorapar.dll
work=$(mktemp -d /tmp/lorapar-kill-sweep.XXXXXX)
trap 'rm -rf "$work"' EXIT
{ echo 'checkpoint_minutes = 0'; sed -e '0,/^name = /s|^name = .*|name = "sweep"|' -e 's|^artifacts = .*|artifacts = "artifacts"|' "$manifest"; } > "$work/m.toml"
lorapar() { (cd "$work" && dotnet "$dll" "$@"); }

echo "reference run (uninterrupted)…"
lorapar run m.toml > "$work/reference.log" 2>&1 || { tail -20 "$work/reference.log"; exit 1; }
mv "$work/artifacts" "$work/reference"

# Files of stage S's committed artifact, each as "path digest", timing left out.
digest() {
  python3 - "$1" <<'PY'
import hashlib, json, os, sys
root = sys.argv[1]
for dirpath, _, files in sorted(os.walk(root)):
    for name in sorted(files):
        path = os.path.join(dirpath, name)
        rel = os.path.relpath(path, root)
        if rel == "stage.json": continue
        data = open(path, "rb").read()
        timing = lambda k: k.endswith("_seconds") or k.endswith("per_s") or k.endswith("per_second")
        untimed = lambda o: {k: untimed(v) for k, v in o.items() if not timing(k)} if isinstance(o, dict) else o
        if rel == "metrics.json":
            data = json.dumps(untimed(json.loads(data)), sort_keys=True).encode()
        elif rel == "training_log.jsonl":
            data = "\n".join(json.dumps(untimed(json.loads(l)), sort_keys=True) for l in data.decode().splitlines()).encode()
        print(rel, hashlib.sha256(data).hexdigest())
PY
}
artifact() { find "$1/$2" -mindepth 1 -maxdepth 1 -type d ! -name '.*' ! -name '*.partial' | head -1; }
seconds() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['seconds'])" "$(artifact "$work/reference" "$1")/stage.json"; }

summary=""
for stage in $stages; do
  survived=0 identical=0 tried=0
  duration=$(seconds "$stage")
  for round in $(seq 1 $((kills + 1))); do
    signal=KILL; [ "$round" -gt "$kills" ] && signal=INT
    rm -rf "$work/artifacts" && cp -r "$work/reference" "$work/artifacts"
    rm -rf "$(artifact "$work/artifacts" "$stage")"
    delay=$(python3 -c "import random; print(round(random.uniform(0, 0.7) * $duration, 2))")
    # A background job of a script ignores SIGINT; the child gets the default disposition back, as under a terminal.
    (cd "$work" && exec python3 -c 'import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execvp(sys.argv[1], sys.argv[1:])' \
      dotnet "$dll" run m.toml --stage "$stage" > "$work/killed.log" 2>&1) & child=$!
    # Wait for the stage's first checkpoint (eval: its first per-example result), then kill somewhere in the rest of it.
    until compgen -G "$work/artifacts/$stage/*.partial/checkpoints/*" > /dev/null || compgen -G "$work/artifacts/$stage/*.partial/*.jsonl" > /dev/null \
      || ! kill -0 $child 2>/dev/null; do sleep 0.02; done
    sleep "$delay"
    kill -s $signal $child 2>/dev/null || true
    code=0; wait $child || code=$?
    tried=$((tried + 1))
    if [ "$signal" = INT ] && [ "$code" -eq 130 ]; then grep -h "lorapar:" "$work/killed.log" | sed "s|^|  [$stage SIGINT] |"; fi
    if lorapar run m.toml --stage "$stage" > "$work/resumed.log" 2>&1; then
      survived=$((survived + 1))
      resumed_from=$(grep -ho "resumed at step [0-9]*\|resumed [0-9]* of [0-9]*" "$work/resumed.log" "$work"/artifacts/runs/sweep/logs/* 2>/dev/null | tail -1 || true)
      if [ "$(digest "$(artifact "$work/artifacts" "$stage")")" = "$(digest "$(artifact "$work/reference" "$stage")")" ]; then
        identical=$((identical + 1)); verdict=identical
      else
        verdict=DIFFERENT
      fi
      leftovers=$(find "$work/artifacts/$stage" -mindepth 1 -maxdepth 1 -name '.tmp-*' -o -mindepth 1 -maxdepth 1 -name '.old-*' -o -mindepth 1 -maxdepth 1 -name '*.partial' | wc -l)
      echo "$stage $signal after ${delay}s: exit $code, rerun ok, ${resumed_from:-started afresh or already complete}, $verdict, $leftovers leftovers"
    else
      echo "$stage $signal after ${delay}s: exit $code, RERUN FAILED"; tail -5 "$work/resumed.log"
    fi
  done
  summary+="$stage: $survived/$tried survived, $identical/$tried byte-identical\n"
done
printf "\n$summary"
