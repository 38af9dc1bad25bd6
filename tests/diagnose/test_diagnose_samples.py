"""--with-samples on scored checkpoint tables: a never-diverse generator confirms a collapse (no
onset step is not "not confirmed"), a diverse one rejects it, an onset confirms from its step on."""
import math

import numpy as np
import pandas as pd

from ganalyze.diagnose import diagnose
from ganalyze.diagnose.samples import apply_samples, checkpoint_collapsed


def _table(steps, modes, kl, hq=None, **attrs):
    t = pd.DataFrame({"step": steps, "modes_covered": modes, "kl_uniform": kl})
    if hq is not None:
        t["high_quality"] = hq
    t.attrs.update({"n_modes": 8 if hq is not None else 10, "collapse_onset_step": None, "ever_diverse": True, **attrs})
    return t


def _collapsed_run(n=2000):
    rng = np.random.default_rng(0)
    t = np.arange(n)
    w = rng.normal(size=n)
    df = pd.DataFrame({"step": t, "d_loss": 1.25 + 0.12 * w, "g_loss": 0.95 - 0.15 * w,
                       "d_x": 0.72 + 0.02 * w, "d_g_z1": 0.3 + 0.02 * w,
                       "div_pdist_ratio": np.where(t % 25 == 0, 0.15, np.nan)})
    df.attrs = {"loss": "nsgan", "d_loss_reduction": "sum", "scores": "probability"}
    return df


def test_never_diverse_checkpoints_confirm_the_collapse():
    # ring8_vanilla_collapse's table: 0 of 8 modes everywhere, kl NaN (no sample near a mode), no onset
    table = _table([1000, 1999], [0, 0], [np.nan, np.nan], hq=[0.0015, 0.0], ever_diverse=False)
    assert checkpoint_collapsed(table).all()
    d = apply_samples(diagnose(_collapsed_run()), table)
    segs = [s for s in d.segments if s.label == "mode_collapse"]
    assert segs and all(s.evidence["samples_confirm_collapse"] == 1.0 for s in segs if s.evidence["sample_checkpoints"])
    assert "never covered more than half the modes" in " ".join(segs[-1].advice)
    assert d.summary["samples"]["ever_diverse"] is False and d.summary["samples"]["collapsed_checkpoints"] == 2
    assert all(x.label != "mode_collapse" for x in d.not_checkable)


def test_diverse_checkpoints_reject_and_an_onset_confirms():
    diverse = _table([1000, 1999], [8, 8], [0.01, 0.02], hq=[0.9, 0.9])
    assert not checkpoint_collapsed(diverse).any()
    d = apply_samples(diagnose(_collapsed_run()), diverse)
    seg = [s for s in d.segments if s.label == "mode_collapse" and s.evidence.get("sample_checkpoints")]
    assert seg and seg[0].evidence["samples_confirm_collapse"] == 0.0 and "do NOT" in seg[0].advice[-1]
    mnist = _table([300, 600, 900], [9, 2, 1], [0.2, 1.6, math.log(10)], collapse_onset_step=600)
    assert checkpoint_collapsed(mnist).tolist() == [False, True, True]
