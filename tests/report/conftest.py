"""Shared fixtures of the report tests: small runs written in the run format."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

QUANTS = ("d_real_q05", "d_real_q50", "d_real_q95", "d_fake_q05", "d_fake_q50", "d_fake_q95")


def make_run(n: int = 2000, kind: str = "healthy", seed: int = 0) -> pd.DataFrame:
    """A run whose shape we know: 'healthy' = anti-phase oscillation around the BCE
    equilibrium; 'd_dominant' = D loss -> 0 while G loss climbs."""
    rng = np.random.default_rng(seed)
    s = np.arange(n)
    if kind == "healthy":
        d = 1.35 + 0.25 * np.sin(s / 60.0) + 0.1 * rng.standard_normal(n)
        g = 0.75 - 0.25 * np.sin(s / 60.0) + 0.1 * rng.standard_normal(n)
        dx, dgz = 0.8, 0.3
    else:
        d = 0.05 + 1.3 * np.exp(-s / 200.0) + 0.02 * rng.standard_normal(n)
        g = 1.0 + 5.0 * s / n + 0.2 * rng.standard_normal(n)
        dx, dgz = 0.97, 0.03
    df = pd.DataFrame({
        "step": s.astype("int64"), "d_loss": d, "g_loss": g, "d_loss_real": d * 0.45, "d_loss_fake": d * 0.55,
        "d_x": np.clip(dx + 0.03 * rng.standard_normal(n), 0, 1),
        "d_g_z1": np.clip(dgz + 0.03 * rng.standard_normal(n), 0, 1),
        "d_g_z2": np.clip(dgz - 0.02 + 0.03 * rng.standard_normal(n), 0, 1),
        "grad_norm_d": np.exp(rng.standard_normal(n)), "grad_norm_g": np.exp(1 + rng.standard_normal(n)),
        "lr_d": np.full(n, 2e-4), "lr_g": np.full(n, 2e-4),
    })
    every = s % 50 == 0
    for q, v in zip(QUANTS, (dx - 0.2, dx, min(dx + 0.1, 1), dgz - 0.1, dgz, dgz + 0.2)):
        df[q] = np.where(every, v, np.nan)
    df.attrs = {"loss": "nsgan", "d_loss_reduction": "sum", "scores": "probability",
                "arch": "mlp", "dataset": "mnist", "data_source": "synthetic test series"}
    return df


@pytest.fixture
def healthy_df():
    return make_run(kind="healthy")


@pytest.fixture
def dominant_df():
    return make_run(kind="d_dominant")


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


@pytest.fixture(scope="session")
def run_factory():
    """:func:`make_run` as a fixture (test modules here are not a package)."""
    return make_run
