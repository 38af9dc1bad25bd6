"""The logged columns the diagnosis reads, so that a reader can skip the others of a long run.

Both methods, the metadata inference (loss family, sum vs mean, BEGAN's k_t and M, G's other loss
terms logged beside its total), the
evidence, the advice (learning rates), the not-checkable list and the logged FID, PSNR and SSIM the summary
quotes look only at these columns;
``diagnose(df[diagnose_columns(df.columns)])`` gives the same diagnosis as ``diagnose(df)``.
"""
from __future__ import annotations

from ganalyze.diagnose.log_facts import MOMENT_COLUMNS, is_d_accuracy
from ganalyze.diagnose.loss_family import BEGAN_K, BEGAN_M, is_class_term, is_g_term, is_g_total, norm_name
from ganalyze.diagnose.metadata import D_OUTPUTS
from ganalyze.diagnose.quality import HIGHER_IS_BETTER

COLUMNS = ("step", "d_loss", "g_loss", "d_loss_real", "d_loss_fake", *D_OUTPUTS,
           "grad_norm_d", "grad_norm_g", "div_pdist_ratio", "lr_d", "lr_g", "fid", *HIGHER_IS_BETTER, *MOMENT_COLUMNS)


def diagnose_columns(names) -> list[str]:
    """The names among ``names`` that ``diagnose`` reads (in their order)."""
    began = set(BEGAN_K) | set(BEGAN_M)
    return [n for n in names if n in COLUMNS or norm_name(n) in began or is_g_term(n) or is_g_total(n) or is_d_accuracy(n)
            or is_class_term(n)]
