"""Build the labelled corpus: draw run specs by random search, train them, label every step.

Usage:
  python scripts/make_corpus.py generate [--n 330] [--n-rare 70] [--n-rare-g 90] [--n-frozen-d 65] [--n-long 80]
        [--n-long-mnist 12] [--n-keras 120] [--n-r1 120] [--n-tfsim 120] [--n-sngan 120] [--n-frozen-g 60]
        [--n-frozen-d-new 40] [--seed 0] [--workers 3] [--work out/corpus_work]
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
RARE_G_START = 1000          # run ids of the third search: r1000, r1001, ...
FROZEN_D_START = 2000        # run ids of the fourth: r2000, ...
LONG_START = 3000            # run ids of the fifth (long runs): r3000, ...
LONG_MNIST_START = 4000      # run ids of the sixth (long MNIST runs): r4000, ...
KERAS_START = 5000           # run ids of the seventh (the Keras-style loop): r5000, ...
R1_START = 6000              # run ids of the eighth (the StyleGAN2-convention loop): r6000, ...
TFSIM_START = 7000           # the ninth (the TensorFlow-tutorial loop): r7000, ...
SNGAN_START = 8000           # the tenth (the SNGAN loop): r8000, ...
FROZEN_G_START = 9000        # the eleventh (one frozen G per run): r9000, ...
FROZEN_D_NEW_START = 9500    # the twelfth (one frozen D per run in loops 5 and 7): r9500, ...


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
    from ganalyze.corpus.spec import draw_specs

    work = Path(args.work)
    (work / "runs").mkdir(parents=True, exist_ok=True)
    specs = draw_specs(args.n, args.seed) if not args.rare_only else []
    if args.n_rare:
        specs += draw_specs(args.n_rare, args.seed + 1, profile="rare", start=args.n)
    if args.n_rare_g:
        specs += draw_specs(args.n_rare_g, args.seed + 2, profile="rare_g", start=RARE_G_START)
    if args.n_frozen_d:
        specs += draw_specs(args.n_frozen_d, args.seed + 3, profile="frozen_d", start=FROZEN_D_START)
    if args.n_long:
        specs += draw_specs(args.n_long, args.seed + 4, profile="long", start=LONG_START)
    if args.n_long_mnist:
        specs += draw_specs(args.n_long_mnist, args.seed + 5, profile="long_mnist", start=LONG_MNIST_START)
    if args.n_keras:
        specs += draw_specs(args.n_keras, args.seed + 6, profile="keras", start=KERAS_START)
    if args.n_r1:
        specs += draw_specs(args.n_r1, args.seed + 7, profile="r1", start=R1_START)
    if args.n_tfsim:
        specs += draw_specs(args.n_tfsim, args.seed + 8, profile="tfsim", start=TFSIM_START)
    if args.n_sngan:
        specs += draw_specs(args.n_sngan, args.seed + 9, profile="sngan", start=SNGAN_START)
    if args.n_frozen_g:
        specs += draw_specs(args.n_frozen_g, args.seed + 10, profile="frozen_g", start=FROZEN_G_START)
    if args.n_frozen_d_new:
        specs += draw_specs(args.n_frozen_d_new, args.seed + 11, profile="frozen_d_new", start=FROZEN_D_NEW_START)
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


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("command", nargs="?", choices=("generate", "build"), default=None)
    ap.add_argument("--check", action="store_true", help="verify data/corpus and print its statistics")
    ap.add_argument("--write-card", action="store_true", help="rewrite the dataset card in docs/corpus.md")
    ap.add_argument("--spot-check", action="store_true", help="print three runs per label with the truth that decided it")
    ap.add_argument("--n", type=int, default=330)
    ap.add_argument("--n-rare", type=int, default=70, help="runs drawn by the 'rare' search profile (seed + 1)")
    ap.add_argument("--n-rare-g", type=int, default=90, help="runs drawn by the rare_g profile (seed + 2)")
    ap.add_argument("--n-frozen-d", type=int, default=65, help="runs drawn by the frozen_d profile (seed + 3)")
    ap.add_argument("--n-long", type=int, default=80,
                    help="runs drawn by the long profile (seed + 4): 2,000-5,000 steps, learning-rate surges")
    ap.add_argument("--n-long-mnist", type=int, default=12,
                    help="runs drawn by the long_mnist profile (seed + 5): MNIST, 1,500-3,000 steps")
    ap.add_argument("--n-keras", type=int, default=120,
                    help="runs drawn by the keras profile (seed + 6): the fifth, Keras-style loop")
    ap.add_argument("--n-r1", type=int, default=120,
                    help="runs drawn by the r1 profile (seed + 7): the sixth loop, StyleGAN2-ADA's conventions")
    ap.add_argument("--n-tfsim", type=int, default=120,
                    help="runs drawn by the tfsim profile (seed + 8): the seventh loop, simultaneous updates")
    ap.add_argument("--n-sngan", type=int, default=120,
                    help="runs drawn by the sngan profile (seed + 9): the eighth loop, SNGAN's conventions")
    ap.add_argument("--n-frozen-g", type=int, default=60,
                    help="runs drawn by the frozen_g profile (seed + 10): one frozen G per run, G without batch norm")
    ap.add_argument("--n-frozen-d-new", type=int, default=40,
                    help="runs drawn by the frozen_d_new profile (seed + 11): one frozen D per run, loops 5 and 7")
    ap.add_argument("--rare-only", action="store_true", help="skip the first (uniform) search; the other searches still run as their --n-* say")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--workers", type=int, default=3)
    ap.add_argument("--work", default=str(REPO / "out" / "corpus_work"),
                    help="work folder; build accepts several, comma-separated")
    ap.add_argument("--out", default=str(REPO / "data" / "corpus"))
    ap.add_argument("--add", action="store_true",
                    help="build: keep the runs OUT already holds and add (or replace) the work folders' runs")
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
