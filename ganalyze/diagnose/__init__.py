"""Diagnosis: label each logged step of a GAN run with a training phase or pathology.

``diagnose(df) -> Diagnosis`` (segments with confidence, evidence and advice), ``helix_stats(df)``
(rolling crossing rate and anti-correlation of the G and D losses), ``LABELS``.
"""
from ganalyze.diagnose.core import diagnose
from ganalyze.diagnose.features import WindowConfig, helix_stats
from ganalyze.diagnose.model import LABELS, Diagnosis, Segment
from ganalyze.diagnose.rules import RuleConfig

__all__ = ["diagnose", "Diagnosis", "Segment", "LABELS", "helix_stats", "WindowConfig", "RuleConfig"]
