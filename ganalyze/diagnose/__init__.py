"""Diagnosis: label each logged step of a GAN run with a training phase or pathology.

``diagnose(df) -> Diagnosis`` (segments with confidence, evidence and advice), ``helix_stats(df)``
(rolling crossing rate and anti-correlation of the G and D losses), ``LABELS``,
``infer_metadata(df)`` (what the diagnosis assumes, each with its source and reason).
"""
from ganalyze.diagnose.core import diagnose
from ganalyze.diagnose.explain import NotCheckable
from ganalyze.diagnose.features import WindowConfig, helix_stats
from ganalyze.diagnose.metadata import Assumption, RunMetadata, infer_metadata
from ganalyze.diagnose.model import LABELS, Diagnosis, Segment
from ganalyze.diagnose.rules import RuleConfig

__all__ = ["diagnose", "Diagnosis", "Segment", "LABELS", "helix_stats", "WindowConfig", "RuleConfig",
           "infer_metadata", "RunMetadata", "Assumption", "NotCheckable"]
