"""Choose method auto's per-label rules' vote on the failure shapes of issue #11.

Usage: python scripts/choose_rules_vote.py [--grid 0,0.5,1,1.5,2,3] [--start 1]

``auto`` adds the rules' label to the model's raw scores (``diagnose.learned.RulesVote``). The vote
exists for the real-log failure shapes the rules were written for and the corpus does not hold
(a healthy WGAN-GP critic log, a summed BCE log where D wins early, a log every 200 steps, the
DCGAN tutorial's console log, a never-diverse ring8 run, the sample runs, ...:
``tests/diagnose/test_diagnose_failures.py``, ``test_diagnose_labels.py``,
``test_diagnose_sample_runs.py``). Each label's vote is the smallest of ``--grid`` with which those
tests pass, label by label in ``LABELS`` order (divergence first), the others keeping the votes
found so far (``--start`` nats before them, or with ``--start shipped`` their votes in the model JSON;
blind share 0); then, with those votes, the largest blind share of
``--shares`` (below which every share passed too) for the labels a log's columns hide from the
rules (``explain.not_checkable``). The labels in the shipped ``rules_final`` always win
and are not searched. Nothing of the corpus is used, so the held-out figures of the vote found
stay held out.

Each trial runs those tests (about 15 s) in a copy of the repository (without .git, .venv and
out) whose model JSON carries the trial vote; the repository's own files are not touched. Prints every trial and,
last, ``label_votes={...}`` as JSON for ``scripts/train_diagnoser.py``'s ``LABEL_VOTES`` and the
``blind_share`` for its ``BLIND_SHARE``.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FIXTURE_TESTS = ("tests/diagnose/test_diagnose_failures.py", "tests/diagnose/test_diagnose_labels.py",
                 "tests/diagnose/test_diagnose_sample_runs.py")


def failing_tests(repo_copy: Path, ensemble: dict, info: dict) -> list[str]:
    """The fixture tests that fail in ``repo_copy`` when the model's JSON says ``ensemble``."""
    trial = dict(info, ensemble=ensemble)
    (repo_copy / "ganalyze" / "diagnose" / "diagnoser_model.json").write_text(json.dumps(trial))
    env = dict(os.environ, PYTHONPATH=str(repo_copy))
    r = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *FIXTURE_TESTS],
                       cwd=repo_copy, capture_output=True, text=True, env=env)
    if r.returncode not in (0, 1):
        raise SystemExit(f"error: the fixture tests did not run (pytest exit {r.returncode}):\n{r.stdout[-2000:]}")
    return [line.split(" ")[1].split("::")[-1] for line in r.stdout.splitlines() if line.startswith("FAILED")]


def nats_list(text: str) -> list[float]:
    """``"0,0.5,1"`` -> [0.0, 0.5, 1.0], ascending; argparse turns a ValueError into one usage line."""
    values = sorted(float(x) for x in text.split(","))
    if not values or values[0] < 0:
        raise ValueError(text)
    return values


def start_votes(text: str):
    """``--start``: nats >= 0, or ``shipped``."""
    if text == "shipped":
        return text
    try:
        v = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"got {text!r}; allowed: nats >= 0 or 'shipped'") from None
    if not v >= 0:
        raise argparse.ArgumentTypeError(f"got {text!r}; allowed: nats >= 0 or 'shipped'")
    return v


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--grid", type=nats_list, default="0,0.5,1,1.5,2,3",
                    help="votes tried per label (nats >= 0, comma-separated)")
    ap.add_argument("--start", type=start_votes, default=1.0,
                    help="the vote of the labels not searched yet (nats), or 'shipped': each label's vote in the "
                         "model JSON (a warm start where a uniform one leaves no vote passing)")
    ap.add_argument("--shares", type=nats_list, default="0,0.25,0.5,0.75,1",
                    help="blind shares tried after the votes (0-1, comma-separated)")
    args = ap.parse_args(argv)
    grid = args.grid

    from ganalyze.diagnose.truth import LABELS

    info = json.loads((REPO / "ganalyze" / "diagnose" / "diagnoser_model.json").read_text())
    ens = dict(info.get("ensemble") or {})
    final = [x for x in ens.get("rules_final", []) if x != "divergence"]
    order = ["divergence"] + [x for x in LABELS if x not in final and x != "divergence"]
    shipped = ens.get("label_votes") or {}
    votes = {x: float(shipped.get(x, ens.get("rules_bonus", 1.0))) if args.start == "shipped" else args.start
             for x in order}
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "repo"
        shutil.copytree(REPO, copy, ignore=shutil.ignore_patterns("__pycache__", ".git", ".venv", "out"))
        for label in order:
            for v in grid:
                trial = dict(votes, **{label: v})
                fails = failing_tests(copy, dict(ens, rules_final=final, label_votes=trial, blind_share=0.0), info)
                print(f"{label} {v:g}: {len(fails)} failing {fails}", file=sys.stderr, flush=True)
                if not fails:
                    votes[label] = v
                    break
            else:
                print(f"error: no vote of --grid lets the fixture tests pass for {label}", file=sys.stderr)
                return 1
        share = 0.0
        for v in args.shares:
            fails = failing_tests(copy, dict(ens, rules_final=final, label_votes=votes, blind_share=v), info)
            print(f"blind_share {v:g}: {len(fails)} failing {fails}", file=sys.stderr, flush=True)
            if fails:
                break
            share = v
    print(f"rules_final={json.dumps(final)} label_votes={json.dumps(votes)} blind_share={share:g}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
