"""What explaining a diagnosis costs: the learned segments' top features and the samples check.

1. Top features (TreeSHAP, ``ganalyze.diagnose.attribution``) on a synthetic run of ``--rows``
   rows with a D-dominant stretch: baseline = contributions at every evaluation point, ours = the
   bounded sample (at most 32 points per run, 8 per segment), both on the same features in the same process;
   plus the whole learned diagnosis with them, and the share they take.
2. The samples check (``ganalyze.diagnose.samples.measure_checkpoints``, CPU, one thread) on the
   shipped sample runs: seconds per run and per checkpoint (the first MNIST run also loads the
   MNIST references, ~5 s, once per process).

One thread (OMP_NUM_THREADS=1 / torch.set_num_threads(1)). Ends with one ``name=value`` line.
Usage: python scripts/bench_explain.py [--rows N]
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]


def make_run(rows: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    wob = rng.standard_normal(rows)
    d = 1.25 + 0.12 * wob
    g = 0.95 - 0.15 * wob + 0.05 * rng.standard_normal(rows)
    dgz = np.clip(0.3 + 0.05 * wob, 0, 1)
    a, b = rows // 2, rows // 2 + rows // 10
    d[a:b], g[a:b], dgz[a:b] = 0.05, 5.0, 0.01
    df = pd.DataFrame({"step": np.arange(rows), "d_loss": d, "g_loss": g, "d_g_z1": dgz})
    df.attrs = {"loss": "nsgan", "d_loss_reduction": "sum", "scores": "probability"}
    return df


def main() -> None:
    import torch

    torch.set_num_threads(1)
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    args = ap.parse_args()

    from ganalyze.diagnose import diagnose
    from ganalyze.diagnose.attribution import attribute_segments
    from ganalyze.diagnose.learned import learned_labels, load_model
    from ganalyze.diagnose.samples import measure_checkpoints
    from ganalyze.diagnose.window_features import LogMeta

    df = make_run(args.rows)
    model = load_model()
    t = time.perf_counter()
    d = diagnose(df, method="learned")
    t_diag = time.perf_counter() - t
    ll = learned_labels(df, LogMeta("nsgan", "sum", "probability"))
    spans = [(s.start_step, s.end_step, s.label) for s in d.segments]
    t = time.perf_counter()
    ours = attribute_segments(model, ll.features, ll.points, spans)
    t_ours = time.perf_counter() - t
    n_ours = sum(e[0].points for e in ours if e)
    x = ll.features.reindex(columns=list(model.features)).to_numpy(np.float32)
    t = time.perf_counter()
    model.booster.predict(x, pred_contrib=True, num_threads=1)
    t_base = time.perf_counter() - t
    print(f"top features, {args.rows:,} rows, {len(ll.points)} evaluation points, {len(spans)} segments:")
    print(f"  baseline (TreeSHAP at every point): {t_base:.2f} s")
    print(f"  ours (bounded sample, {n_ours} points): {t_ours:.2f} s  ratio {t_base / t_ours:.1f}x")
    print(f"  learned diagnosis with them: {t_diag:.2f} s ({t_ours / t_diag:.0%} for the top features)")

    print("samples check (CPU, 1 thread):")
    per = []
    for name in ("ring8_vanilla_collapse", "mnist_collapse", "mnist_mlp_healthy", "mnist_d_dominant"):
        c = measure_checkpoints(REPO / "sample_runs" / name, progress=False)
        per.append(c.seconds / c.evaluated)
        print(f"  {name}: {c.evaluated} of {c.found} checkpoints, {c.seconds:.2f} s "
              f"({c.seconds / c.evaluated:.2f} s per checkpoint), labels {list(c.candidate)}")
    print(f"rows={args.rows} shap_all_s={t_base:.3f} shap_ours_s={t_ours:.3f} shap_ratio={t_base / t_ours:.1f} "
          f"learned_diagnose_s={t_diag:.3f} samples_s_per_checkpoint_max={max(per):.3f}")


if __name__ == "__main__":
    main()
