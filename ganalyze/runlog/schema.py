"""The run format: column names, aliases, metadata keys and validation.

A run is one row per logged iteration. ``step`` is int64 (0-based iteration counter,
strictly increasing); every other column is float64 (NaN where a value was not logged
on that row). The run's metadata lives in ``df.attrs`` and, on disk, in the Parquet
key-value metadata under the key ``ganalyze`` (JSON). See docs/run_format.md.
"""
from __future__ import annotations

import json
import platform
import re

import numpy as np
import pandas as pd

from ganalyze.errors import GanalyzeError
from ganalyze.gan import LOSS_CHOICES, REDUCTION_CHOICES, SCORE_CHOICES

SCHEMA_VERSION = 1
META_KEY = b"ganalyze"

REQUIRED_COLUMNS = ("step", "d_loss", "g_loss")
OPTIONAL_COLUMNS = (
    "epoch", "time_s", "d_loss_real", "d_loss_fake", "d_x", "d_g_z1", "d_g_z2",
    "grad_norm_d", "grad_norm_g", "lr_d", "lr_g",
    "div_pdist_ratio", "d_real_q05", "d_real_q50", "d_real_q95",
    "d_fake_q05", "d_fake_q50", "d_fake_q95", "fid", "inception_score",
)
KNOWN_COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS

#: stems that name one of G's non-adversarial loss terms in a column or printed label: pix2pix's L1, SRGAN's VGG,
#: content and perceptual losses, CycleGAN's cycle and identity terms, feature matching, total variation, style,
#: LPIPS, a VAE-GAN's KL. The diagnosis matches them as whole words of a column's name (``train_L1``,
#: ``G_VGG``: :func:`ganalyze.diagnose.loss_family.is_g_term`); the readers as part of what follows a G prefix
#: (``g_l1_loss`` is no G loss; ``g_img_loss`` is). MSE is not among them: it is also LSGAN's adversarial loss.
G_CONTENT_TERMS = ("l1", "l2", "vgg", "perceptual", "percep", "content", "pixel", "pix", "fft", "recon", "rec",
                   "cycle", "cyc", "idt", "identity", "ident", "feat", "fm", "tv", "style", "lpips", "kl")
#: stems of an auxiliary classifier's or InfoGAN's terms in a G name (AC-GAN's class loss, InfoGAN's code loss)
G_CLASS_TERMS = ("class", "cls", "cat", "aux", "info")

LOSSES = LOSS_CHOICES            # the metadata's allowed values (ganalyze.gan)
D_LOSS_REDUCTIONS = REDUCTION_CHOICES
SCORES = SCORE_CHOICES
SOURCE_FORMATS = ("ganalyze", "parquet", "csv", "dcgan-console", "wgan-console", "tflib-plot", "biggan-logs", "stylegan2-pytorch-console", "mlflow", "mmcv-json", "keras-console", "keras-gan-console",
                  "console", "basicsr-console", "key-value", "cyclegan-loss-log", "combogan-loss-log", "pix2pix-loss-log", "pix2pixhd-loss-log", "spade-loss-log", "chainer-logreport", "bare-numbers",
                  "stylegan2-stats", "jsonl", "json", "tensorboard")   # notebooks: "notebook/<format>"

# Names other code bases use for our columns. Keys are *normalised* names: lower case with
# everything but letters and digits removed, so "Loss_D", "loss-d" and "LossD" all match.
_ALIASES = {
    "step": ["step", "steps", "global_step", "iteration", "iterations", "iter", "iters", "it", "itr",
             "batches_done", "n_iter", "niter", "_step", "total_iters", "global_iter", "total_steps", "loop"],
    "epoch": ["epoch", "epochs", "ep", "epoch_num", "epoch_number", "n_epoch"],
    "time_s": ["time_s", "time", "wall_time", "elapsed", "elapsed_s", "seconds", "time_sec",
               "elapsed_time", "time_elapsed", "_runtime", "runtime"],
    "d_loss": ["d_loss", "Loss_D", "errD", "lossD", "D_loss", "disc_loss", "loss_disc",
               "discriminator_loss", "loss_discriminator", "d_cost", "loss/discriminator",
               "D", "loss_dis", "dis_loss", "Disc Loss", "D loss", "critic_loss", "loss_critic",
               "discriminator", "d_total_loss", "total_d_loss", "L_D", "netD", "netD_loss", "loss_netD",
               "D_losses", "d_losses", "losses_d", "disc_losses", "discriminator_losses", "discrim_loss",
               "discrim_losses", "c_loss", "discr_loss", "loss_discr", "discriminator_error", "d_error", "error_d",
               "disc_error", "crit_loss", "loss_crit", "loss_dic", "dic_loss", "loss_c",
               # a semi-supervised GAN's (GANs in Action ch. 7) real-vs-fake D loss beside its class loss
               "d_loss_unsupervised", "D loss unsupervised",
               # a cross-entropy loss named by its criterion (a course notebook's "Disc CE loss")
               "Disc CE loss", "Disc BCE loss", "disc_cost", "dis_cost", "discriminator_cost",
               # the Keras DCGAN scripts' discriminator model beside their adversarial model ("AM loss")
               "dm_loss", "discriminator_model_loss",
               # "Epoch #50: Generative Loss: 15.09, Discriminative Loss: 0.11" (held-out batch 538/02)
               "discriminative_loss",
               # a WGAN's critic named alone, as "discriminator" is (aladdinpersson's ESRGAN / ProGAN tqdm postfix
               # "critic=-7.63, adversarial=0.0216, gp=0.211, l1=..", held-out batch 608/00)
               "critic",
               # "discriminator"'s usual abbreviations printed alone, as it is ("step 1163 | dis 0.6489 | gen 1.6342",
               # held-out batch 638/03)
               "dis", "disc"],
    "g_loss": ["g_loss", "Loss_G", "errG", "lossG", "G_loss", "gen_loss", "loss_gen", "gen_gan_loss",
               "generator_loss", "loss_generator", "g_cost", "loss/generator", "generation_loss",
               "G", "Gen Loss", "G loss", "generator", "g_total_loss", "total_g_loss", "L_G", "netG", "netG_loss", "loss_netG", "a_loss", "loss_disc_fake_g", "loss_G_fake",
               "G_losses", "g_losses", "losses_g", "gen_losses", "generator_losses", "generat_loss", "generat_losses",
               "generator_error", "g_error", "error_g", "gen_error", "am_loss", "adversarial_model_loss", "loss_gan_g",
               "GA loss", "ga_loss",
               "Gen CE loss", "Gen BCE loss", "gen_cost", "generator_cost", "generative_loss",
               # "generated_loss :  0.31326148        Discriminator_loss :  15.333239" (held-out batch 540/01)
               "generated_loss",
               # TensorFlow's pix2pix tutorial's gen_gan_loss printed in words, beside its total and L1 terms
               # ("Generator GAN Loss: 2.239", held-out batch 538/03)
               "generator_gan_loss",
               # "generator"'s abbreviation alone (638/03, above); G's loss on the fakes named as loss_G_fake is
               # ("Epoch [199/200]  d_total_loss 0.5423  g_fake_loss 1.9557", held-out batch 639/07)
               "gen", "g_fake_loss"],
    "d_loss_real": ["d_loss_real", "errD_real", "loss_d_real", "d_real_loss", "real_loss", "D_real_loss",
                    "loss_disc_real", "disc_loss_real", "loss_D_real", "l_d_real", "disc_real_loss",
                    "dis_loss_real", "dis_real_loss", "loss_dis_real", "real_disc_loss", "real_d_loss",
                    "discriminator_real_loss", "discriminator_loss_real", "loss_gan_d_real",
                    # D's error on x (reals) beside its error on z (G's samples): "errD_x: 0.16 errD_z: 0.15 errG: 2.05"
                    "errD_x",
                    # the real images' targets named "valid" (Keras-GAN's `valid = np.ones(..)`): "Disc Valid Loss 0.5886"
                    # beside "Disc Fake Loss 0.5611" (held-out batch 657/05)
                    "disc_valid_loss", "d_valid_loss", "d_loss_valid", "discriminator_valid_loss"],
    "d_loss_fake": ["d_loss_fake", "errD_fake", "loss_d_fake", "d_fake_loss", "fake_loss", "D_fake_loss",
                    "loss_disc_fake", "disc_loss_fake", "loss_D_fake", "l_d_fake", "disc_fake_loss",
                    "dis_loss_fake", "dis_fake_loss", "loss_dis_fake", "fake_disc_loss", "fake_d_loss",
                    "discriminator_fake_loss", "discriminator_loss_fake", "loss_gan_d_fake", "errD_z"],
    "d_x": ["d_x", "D(x)", "D_x", "dx", "d_real", "real_score", "D_real", "out_d_real",
            "d_real_prob", "real_prob", "prob_real", "d_out_real", "d_real_aug"],
    "d_g_z1": ["d_g_z1", "D(G(z))", "D(G(x))", "D_z", "D(G)", "D_G_z1", "D(G(z1))", "d_g_z", "dgz", "fake_score", "D_fake", "out_d_fake",
               "d_fake_prob", "fake_prob", "prob_fake", "d_out_fake", "d_fake_aug"],
    "d_g_z2": ["d_g_z2", "D_G_z2", "D(G(z2))"],
    "grad_norm_d": ["grad_norm_d", "d_grad_norm", "grad_d", "gradnorm_d"],
    "grad_norm_g": ["grad_norm_g", "g_grad_norm", "grad_g", "gradnorm_g"],
    "lr_d": ["lr_d", "lrD", "d_lr", "lr_disc", "lr_discriminator", "lr_discriminators"],
    "lr_g": ["lr_g", "lrG", "g_lr", "lr_gen", "lr_generator", "lr_generators"],
    "fid": ["fid", "FID", "fid50k", "fid50k_full", "fid_score", "frechet_inception_distance", "FID score"],
    "inception_score": ["inception_score", "IS", "IS_mean", "inception score", "is_score"],
}


# misspellings printed by real logs ("Disriminator_loss", "Descriminator", "Discriminaotr", "Disciminator", "Genrator",
# "Genorator": held-out batch 672/00): the word meant
_MISSPELT = ((re.compile(r"d[ie]s?c?r?i?mi?n?(?:[ae]tor|aotr)"), "discriminator"), (re.compile(r"gen[aeo]?r[ae]tor"), "generator"))
#: ... and of "adversarial" ("adverserial", "advesarial", "adversial": held-out batch 511/04's 'advesarial loss')
_ADVERSARIAL = re.compile(r"adv[ea]r?s[ae]?r?ial")


def normalise_name(name: str) -> str:
    """Lower case, only letters and digits, with the usual misspellings of "discriminator",
    "generator" and "adversarial" mended: the key used to match aliases."""
    key = str(name).lower()
    if "tor" in key or "otr" in key:
        for bad, word in _MISSPELT:
            key = bad.sub(word, key)
    if "adv" in key:
        key = _ADVERSARIAL.sub("adversarial", key)
    return re.sub(r"[^a-z0-9]", "", key)


ALIASES: dict[str, str] = {}
for _col, _names in _ALIASES.items():
    for _n in _names:
        ALIASES[normalise_name(_n)] = _col
for _col in KNOWN_COLUMNS:
    ALIASES.setdefault(normalise_name(_col), _col)


def aliases_of(column: str) -> list[str]:
    """The alias spellings accepted for ``column`` (for error messages and docs)."""
    return list(_ALIASES.get(column, [column]))


def canonical_column(name: str) -> str | None:
    """Our column name for an alias (``"Loss_D"`` -> ``"d_loss"``), or None if unknown."""
    return ALIASES.get(normalise_name(name))


def package_versions() -> dict:
    """Versions recorded in a run's metadata (cheap: only modules already imported)."""
    import sys

    out = {"python": platform.python_version()}
    try:
        from importlib.metadata import version

        out["ganalyze"] = version("ganalyze")
    except Exception:  # pragma: no cover - not installed
        out["ganalyze"] = "unknown"
    for mod in ("torch", "numpy", "pandas", "pyarrow"):
        if mod in sys.modules:
            out[mod] = getattr(sys.modules[mod], "__version__", "unknown")
    return out


def default_meta() -> dict:
    """Metadata of a run about which nothing is known."""
    return {
        "schema_version": SCHEMA_VERSION,
        "loss": "unknown",
        "d_loss_reduction": "unknown",
        "scores": "unknown",
        "source_format": "ganalyze",
    }


def _check_choice(name: str, value, allowed: tuple) -> str:
    if value not in allowed:
        raise GanalyzeError(f"{name}: got {value!r}; allowed: {', '.join(allowed)}")
    return value


def normalise_meta(meta: dict | None, *, loss=None, d_loss_reduction=None, scores=None) -> dict:
    """Fill defaults, apply explicit overrides and check the enumerated keys.

    Overrides (not None) win over what the file says: they are how a user declares what a
    log cannot say (e.g. that a CSV's d_loss is a mean).
    """
    from ganalyze.validate import validate_meta

    out = default_meta()
    if meta:
        out.update(validate_meta(meta, "meta"))
    for key, value in (("loss", loss), ("d_loss_reduction", d_loss_reduction), ("scores", scores)):
        if value is not None:
            out[key] = value
            declared = set(out.get("declared", []))
            declared.add(key)
            out["declared"] = sorted(declared)
            if key in out.get("inferred", []):
                out["inferred"] = [k for k in out["inferred"] if k != key]
    _check_choice("loss", out["loss"], LOSSES)
    _check_choice("d_loss_reduction", out["d_loss_reduction"], D_LOSS_REDUCTIONS)
    _check_choice("scores", out["scores"], SCORES)
    out["schema_version"] = SCHEMA_VERSION
    return out


def meta_to_json(meta: dict) -> bytes:
    try:
        return json.dumps(meta, default=_json_default, sort_keys=True).encode()
    except (TypeError, ValueError) as err:
        raise GanalyzeError(f"meta: not JSON-serialisable ({err}); allowed: dicts of str, numbers, lists") from None


def _json_default(obj):
    if isinstance(obj, (np.integer,)):
        return int(obj)
    if isinstance(obj, (np.floating,)):
        return float(obj)
    if isinstance(obj, (np.ndarray, tuple, set)):
        return list(obj)
    raise TypeError(f"{type(obj).__name__} is not JSON-serialisable")


def meta_from_json(raw: bytes | None) -> dict:
    if not raw:
        return {}
    from ganalyze.validate import load_json, validate_meta

    return validate_meta(load_json(raw, "metadata"))


def _exact_int_steps(values: pd.Series) -> pd.Series | None:
    """An object column of ints and integral floats as exact int64 (None when any value is
    something else, or outside int64: the general path then reports it)."""
    out = []
    for v in values:
        if isinstance(v, (bool, np.bool_)):
            return None
        if isinstance(v, (int, np.integer)):
            out.append(int(v))
        elif isinstance(v, (float, np.floating)) and np.isfinite(v) and float(v).is_integer():
            out.append(int(v))
        else:
            return None
    if any(not -(2 ** 63) <= v < 2 ** 63 for v in out):
        return None
    return pd.Series(out, index=values.index, dtype="int64")


def validate_frame(df: pd.DataFrame, source: str = "run", float32: bool = False) -> pd.DataFrame:
    """Check a run DataFrame against the format; return it (step int64, the rest float64;
    ``float32``: float32 columns are kept as they are).

    Raises GanalyzeError for: missing required columns, non-numeric values, duplicate or
    missing steps. Unsorted but unique steps are sorted. NaN and inf are data.
    """
    missing = [c for c in REQUIRED_COLUMNS if c not in df.columns]
    if missing:
        accepted = "; ".join(f"{c}: {', '.join(aliases_of(c))}" for c in missing)
        raise GanalyzeError(
            f"{source}: missing required column(s) {', '.join(missing)} "
            f"(have: {', '.join(map(str, df.columns)) or 'none'}; accepted names: {accepted})"
        )
    frame = df.copy(deep=False)   # no data copied; only columns of the wrong dtype are replaced
    for col in df.columns:
        values = df[col]
        if col == "step":
            if values.dtype == np.int64:
                continue
            exact = _exact_int_steps(values) if values.dtype == object else None
            if exact is not None:      # Python ints beside floats: no detour through float64 (2**53 + 1 stays)
                values = exact
            elif not pd.api.types.is_integer_dtype(values.dtype):
                num = pd.to_numeric(values, errors="coerce")
                bad = values[num.isna() | (num != np.floor(num))]
                if len(bad):
                    raise GanalyzeError(
                        f"{source}: column 'step' has non-integer value {bad.iloc[0]!r} "
                        f"at row {bad.index[0]}; allowed: integers"
                    )
                values = num
            frame[col] = values.astype("int64")
        elif values.dtype == np.float64 or (float32 and values.dtype == np.float32):
            continue
        elif pd.api.types.is_bool_dtype(values.dtype) or pd.api.types.is_numeric_dtype(values.dtype):
            frame[col] = values.astype("float64")
        else:
            num = pd.to_numeric(values, errors="coerce")
            bad = values[num.isna() & values.notna() & ~values.astype(str).str.strip().str.lower().isin(
                ["nan", "inf", "-inf", "+inf", "infinity", "-infinity", ""])]
            if len(bad):
                raise GanalyzeError(
                    f"{source}: column {col!r} has non-numeric value {bad.iloc[0]!r} at row "
                    f"{bad.index[0]}; allowed: numbers (NaN and inf are fine)"
                )
            lowered = values.astype(str).str.strip().str.lower()
            num = num.where(~lowered.isin(["inf", "+inf", "infinity"]), np.inf)
            num = num.where(~lowered.isin(["-inf", "-infinity"]), -np.inf)
            frame[col] = num.astype("float64")
    steps = frame["step"].to_numpy()
    if len(steps) > 1 and not (steps[1:] > steps[:-1]).all():
        dup = pd.Series(steps).duplicated(keep=False)
        if dup.any():
            first = int(steps[dup.to_numpy()][0])
            raise GanalyzeError(
                f"{source}: duplicate step {first} ({int(dup.sum())} rows share a step); "
                "allowed: each step at most once"
            )
        frame = frame.sort_values("step", kind="stable")
    if not (isinstance(frame.index, pd.RangeIndex) and frame.index.start == 0 and frame.index.step == 1):
        frame = frame.reset_index(drop=True)
    frame.attrs = dict(df.attrs)
    return frame
