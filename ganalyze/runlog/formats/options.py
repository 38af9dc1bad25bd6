"""What a user may declare when reading a run: one frozen dataclass, shared by ``read_run``
and every CLI command that reads a run (``ganalyze.cli_options``).

Precedence, the same for every format: what the user declares here wins over what the file
says, which wins over a reader's guess; guesses are listed in ``df.attrs["guessed"]``.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ganalyze import gan
from ganalyze.errors import GanalyzeError

LOSSES = gan.LOSS_CHOICES                 # the one list (ganalyze.gan)
LSGAN_TERMS = gan.LSGAN_TERMS
D_LOSS_REDUCTIONS = gan.REDUCTION_CHOICES
SCORES = gan.SCORE_CHOICES
ON_DUPLICATE = ("last", "error")
STEP_FROM_KEYWORDS = ("row", "kimg", "epoch")


def _check(name: str, value, allowed: tuple):
    if value is not None and value not in allowed:
        raise GanalyzeError(f"{name}: got {value!r}; allowed: {', '.join(allowed)}")
    return value


def parse_mapping(value, name: str, *, reverse: bool = False) -> dict:
    """``"a=b,c=d"`` or a dict -> ``{"a": "b", "c": "d"}`` (``reverse``: ``{"b": "a", ...}``)."""
    if value is None:
        return {}
    if isinstance(value, dict):
        pairs = [(str(k).strip(), str(v).strip()) for k, v in value.items()]
    else:
        pairs = []
        for item in str(value).split(","):
            if not item.strip():
                continue
            if "=" not in item:
                raise GanalyzeError(f"{name}: got {item.strip()!r}; allowed: 'name=name' pairs separated by commas")
            left, right = item.split("=", 1)
            pairs.append((left.strip(), right.strip()))
    for left, right in pairs:
        if not left or not right:
            raise GanalyzeError(f"{name}: got {left!r}={right!r}; allowed: non-empty names on both sides of '='")
    return {r: l for l, r in pairs} if reverse else dict(pairs)


def our_columns(mapping: dict) -> dict:
    """``columns``' left sides as our column names: a known alias of one (``d_g_z`` -> ``d_g_z1``)
    becomes it; a name that is none of ours is refused, since the diagnosis would never read it."""
    from ganalyze.runlog.schema import KNOWN_COLUMNS, canonical_column

    out = {}
    for ours, theirs in mapping.items():
        name = ours if ours in KNOWN_COLUMNS else canonical_column(ours)
        if name not in KNOWN_COLUMNS:
            raise GanalyzeError(f"columns: got {ours!r} as a column of ours; allowed: {', '.join(KNOWN_COLUMNS)}")
        out[name] = theirs
    return out


STEP_FROM_ALLOWED = ("row, row*N (a log printed every N steps without the step: row number x N), kimg, epoch, "
                     "a column name, or EPOCH,BATCH columns")


def parse_step_from(value) -> tuple[str, ...] | None:
    """``"epoch,batch"`` -> ("epoch", "batch"); ``"row"``, ``"row*50"`` (row number x 50),
    ``"kimg"``, ``"epoch"`` or one column name -> a 1-tuple. At most two parts (epoch column, batch-within-epoch column)."""
    if value is None:
        return None
    parts = tuple(p.strip() for p in (value if isinstance(value, (tuple, list)) else str(value).split(",")) if str(p).strip())
    if not 1 <= len(parts) <= 2:
        raise GanalyzeError(f"step_from: got {value!r}; allowed: {STEP_FROM_ALLOWED}")
    if len(parts) == 1 and parts[0].lower().startswith("row") and parts[0][3:].strip().startswith("*"):
        every = parts[0][3:].strip()
        if not (every[1:].strip().isdigit() and int(every[1:]) >= 1):
            raise GanalyzeError(f"step_from: got {value!r}; allowed: {STEP_FROM_ALLOWED}")
        parts = (f"row*{int(every[1:])}",)
    return parts


@dataclass(frozen=True)
class ReadOptions:
    """Everything a user can declare about a log (all optional; None = let the file or a guess decide).

    ``loss`` / ``d_loss_reduction`` / ``scores``: what the log cannot say (see docs/run_format.md).
    ``tb_tags``: TensorBoard tag -> column (``{"critic": "d_loss"}``).
    ``columns``: our column -> the file's column (``{"d_loss": "D", "g_loss": "G"}``); wins over aliases.
    ``step_from``: how ``step`` is made: ``("row",)``, ``("row*50",)`` (row number x 50),
    ``("kimg",)`` (kimg x 1000, images shown),
    ``("epoch",)``, ``(COLUMN,)``, or ``(EPOCH, BATCH)`` (epoch x batches per epoch + batch).
    ``averaged``: True when each logged value is a mean over the interval since the last line.
    ``pair``: which run to take from a file holding several (``"A"``/``"B"`` for CycleGAN, a
    sub-directory name for a TensorBoard directory with several runs).
    ``on_duplicate``: ``"last"`` (a step written again replaces the earlier rows, counted in
    ``attrs["duplicates_replaced"]``) or ``"error"`` (refuse).
    ``lsgan_terms``: ``"half"`` (LSGAN terms ½(D - target)², the paper's) or ``"plain"`` (plain MSE, as
    ``nn.MSELoss`` in most code: twice the levels).
    """

    loss: str | None = None
    d_loss_reduction: str | None = None
    scores: str | None = None
    tb_tags: dict = field(default_factory=dict)
    columns: dict = field(default_factory=dict)
    step_from: tuple[str, ...] | None = None
    averaged: bool | None = None
    pair: str | None = None
    on_duplicate: str = "last"
    lsgan_terms: str | None = None

    @classmethod
    def make(cls, loss=None, d_loss_reduction=None, scores=None, tb_tags=None, columns=None,
             step_from=None, averaged=None, pair=None, on_duplicate=None, lsgan_terms=None) -> ReadOptions:
        """Build from user values (strings as on the command line, or dicts/tuples); checks each."""
        _check("loss", loss, LOSSES)
        _check("d_loss_reduction", d_loss_reduction, D_LOSS_REDUCTIONS)
        _check("scores", scores, SCORES)
        _check("on_duplicate", on_duplicate, ON_DUPLICATE)
        _check("lsgan_terms", lsgan_terms, LSGAN_TERMS)
        if averaged is not None and not isinstance(averaged, bool):
            raise GanalyzeError(f"averaged: got {averaged!r}; allowed: True, False or None")
        return cls(loss=loss, d_loss_reduction=d_loss_reduction, scores=scores,
                   tb_tags=parse_mapping(tb_tags, "tb_tags"), columns=our_columns(parse_mapping(columns, "columns")),
                   step_from=parse_step_from(step_from), averaged=averaged,
                   pair=None if pair is None else str(pair), on_duplicate=on_duplicate or "last",
                   lsgan_terms=lsgan_terms)

    def declared(self) -> dict:
        """The metadata keys the user declared, with their values."""
        out = {k: getattr(self, k) for k in ("loss", "d_loss_reduction", "scores", "lsgan_terms")
               if getattr(self, k) is not None}
        if self.averaged is not None:
            out["averaged"] = self.averaged
        return out
