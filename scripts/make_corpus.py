"""Build the labelled corpus: draw run specs by random search, train them, label every step.

Usage:
  python scripts/make_corpus.py generate [--n 330] [--n-rare 70] [--n-rare-g 90] [--n-frozen-d 65] [--n-long 80]
        [--n-long-mnist 12] [--n-keras 120] [--n-r1 120] [--n-tfsim 120] [--n-sngan 120] [--n-frozen-g 60]
        [--n-frozen-d-new 40] [--n-pytorchgan 160] [--n-goodfellow 140] [--n-wganclip 120]
        [--n-frozen-d-910 60] [--n-dcgantf 120] [--n-ganhacks 120] [--n-dragan 120]
        [--seed 0] [--workers 3] [--work out/corpus_work]
      (--only PROFILE: that one search alone, e.g. --only very_long --n-very-long 64 for
      scripts/eval_long_runs.py's long runs, which the committed corpus does not hold)
      trains every spec not yet in WORK/runs/ (resumable: kill it and start it again), in parallel
      processes, printing one line per finished run and a progress bar on stderr
  python scripts/make_corpus.py build [--work out/corpus_work] [--out data/corpus] [--add]
      labels every finished run with LABELS.md (ganalyze.diagnose.truth) and writes the committed
      corpus: one zstd Parquet dataset partitioned by loop, checks.parquet, manifest.parquet
  python scripts/make_corpus.py --check [--out data/corpus] [--write-card]
      verifies the manifest against the files and prints runs, steps and label shares
      (--write-card also rewrites the dataset card in docs/corpus.md from the files)
The generation may run for hours on 2 cores; it never runs in CI.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# The searches after the first (uniform) one, in the order they were added: (profile, seed offset,
# first run id number (None: right after the first search's), default number of runs, what it is).
# Each is drawn with its own seed, so adding a search never changes the runs of the others.
SEARCHES = (
    ("rare", 1, None, 70, "frozen players and a slow D more often"),
    ("rare_g", 2, 1000, 90, "probability loops only, a slow D"),
    ("frozen_d", 3, 2000, 65, "one frozen D per run"),
    ("long", 4, 3000, 80, "2,000-5,000 steps, learning-rate surges"),
    ("long_mnist", 5, 4000, 12, "MNIST, 1,500-3,000 steps"),
    ("keras", 6, 5000, 120, "the fifth loop, Keras-style"),
    ("r1", 7, 6000, 120, "the sixth loop, StyleGAN2-ADA's conventions"),
    ("tfsim", 8, 7000, 120, "the seventh loop, simultaneous updates"),
    ("sngan", 9, 8000, 120, "the eighth loop, SNGAN's conventions"),
    ("frozen_g", 10, 9000, 60, "one frozen G per run, G without batch norm"),
    ("frozen_d_new", 11, 9500, 40, "one frozen D per run, loops 5 and 7"),
    ("pytorchgan", 12, 10000, 160, "the ninth loop, the PyTorch-GAN scripts' conventions"),
    ("goodfellow", 13, 11000, 140, "the tenth loop, the original GAN paper's SGD and maxout D"),
    ("wganclip", 14, 12000, 120, "the eleventh loop, the original WGAN's weight clipping and RMSprop"),
    ("frozen_d_910", 15, 12500, 60, "one frozen D per run, loops 9 and 10"),
    ("very_long", 16, 13000, 0, "8,000-20,000 steps, every loop: long logs to check the shipped model on "
     "(not in the committed corpus; scripts/eval_long_runs.py)"),
    ("dcgantf", 17, 14000, 120, "the twelfth loop, DCGAN-tensorflow's two G steps and losses printed after the updates"),
    ("ganhacks", 18, 15000, 120, "the thirteenth loop, the ganhacks tips: soft flipped labels, instance noise, SGD for D"),
    ("dragan", 19, 16000, 120, "the fourteenth loop, DRAGAN: a gradient penalty near the real data inside the logged D loss"),
)


def all_specs(args) -> list:
    """Every spec the arguments ask for: the first search (unless --rare-only or --only), then each
    of SEARCHES (only the one --only names, when given)."""
    from ganalyze.corpus.spec import draw_specs

    only = getattr(args, "only", None)
    specs = draw_specs(args.n, args.seed) if not (args.rare_only or only) else []
    for profile, offset, start, _, _ in SEARCHES:
        n = getattr(args, f"n_{profile}")
        if n and only in (None, profile):
            specs += draw_specs(n, args.seed + offset, profile=profile, start=args.n if start is None else start)
    return specs


def _worker_init() -> None:
    import torch

    torch.set_num_threads(1)       # one thread per process: tiny networks, no oversubscription


def _run(spec_json: str, work: str) -> dict:
    import json

    from ganalyze.corpus.generate import run_one
    from ganalyze.corpus.spec import RunSpec

    return run_one(RunSpec.from_dict(json.loads(spec_json)), Path(work))


def generate(args) -> int:
    from concurrent.futures import ProcessPoolExecutor, as_completed

    from tqdm import tqdm

    from ganalyze.corpus.generate import run_path

    work = Path(args.work)
    (work / "runs").mkdir(parents=True, exist_ok=True)
    specs = all_specs(args)
    (work / "specs.jsonl").write_text("".join(s.to_json() + "\n" for s in specs))
    todo = [s for s in specs if not run_path(work, s.run_id).exists()]
    print(f"{len(specs)} specs (seed {args.seed}), {len(specs) - len(todo)} done, {len(todo)} to train "
          f"with {args.workers} workers", file=sys.stderr)
    errors = 0
    t0 = time.perf_counter()
    with ProcessPoolExecutor(args.workers, initializer=_worker_init) as pool, \
            tqdm(total=len(todo), file=sys.stderr, unit="run") as bar:
        futs = {pool.submit(_run, s.to_json(), str(work)): s for s in todo}
        for fut in as_completed(futs):
            res = fut.result()
            bar.update(1)
            if res["status"] == "error":
                errors += 1
                with open(work / "errors.log", "a") as fh:
                    fh.write(f"{res['run_id']}: {res['error']}\n{res.get('trace', '')}\n")
            bar.write(f"{res['run_id']}: {res['status']} {res.get('seconds', '')}s {res.get('rows', '')} rows"
                      + (f" {res['error']}" if res['status'] == 'error' else ""), file=sys.stderr)
    print(f"finished {len(todo)} runs in {time.perf_counter() - t0:.0f} s, {errors} errors", file=sys.stderr)
    return 0


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("command", nargs="?", choices=("generate", "build"), default=None)
    ap.add_argument("--check", action="store_true", help="verify data/corpus and print its statistics")
    ap.add_argument("--write-card", action="store_true", help="rewrite the dataset card in docs/corpus.md")
    ap.add_argument("--spot-check", action="store_true", help="print three runs per label with the truth that decided it")
    ap.add_argument("--n", type=int, default=330)
    for profile, offset, _, default, what in SEARCHES:
        ap.add_argument(f"--n-{profile.replace('_', '-')}", type=int, default=default,
                        help=f"runs drawn by the {profile} search profile (seed + {offset}): {what}")
    ap.add_argument("--rare-only", action="store_true", help="skip the first (uniform) search; the other searches still run as their --n-* say")
    ap.add_argument("--only", choices=[p for p, *_ in SEARCHES], default=None,
                    help="draw this one search alone (its --n-*), e.g. --only very_long --n-very-long 64")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--workers", type=int, default=3)
    ap.add_argument("--work", default=str(REPO / "out" / "corpus_work"),
                    help="work folder; build accepts several, comma-separated")
    ap.add_argument("--out", default=str(REPO / "data" / "corpus"))
    ap.add_argument("--add", action="store_true",
                    help="build: keep the runs OUT already holds and add (or replace) the work folders' runs")
    return ap


def main(argv=None) -> int:
    ap = parser()
    args = ap.parse_args(argv)
    if args.command == "generate":
        return generate(args)
    if args.command == "build":
        from ganalyze.corpus.store import build_corpus

        build_corpus([Path(w) for w in args.work.split(",")], Path(args.out), add=args.add)
        args.check = True
    if args.write_card:
        from ganalyze.corpus.store import write_card

        write_card(REPO / "docs" / "corpus.md", Path(args.out))
        if not (args.check or args.spot_check):
            return 0
    if args.spot_check:
        from ganalyze.corpus.store import spot_check

        print(spot_check(Path(args.out)))
        if not args.check:
            return 0
    if args.check:
        from ganalyze.corpus.store import check_corpus

        return check_corpus(Path(args.out))
    ap.print_help()
    return 2


if __name__ == "__main__":
    sys.exit(main())
