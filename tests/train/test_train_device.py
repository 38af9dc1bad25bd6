"""The one device parser shared by the trainer, the loss surface and the diversity metrics."""
import pytest
import torch

from ganalyze.errors import GanalyzeError
from ganalyze.train.device import resolve_device


def test_names_and_errors():
    assert resolve_device("cpu") == torch.device("cpu")
    assert resolve_device(torch.device("cpu")) == torch.device("cpu")
    assert resolve_device("auto").type == ("cuda" if torch.cuda.is_available() else "cpu")
    with pytest.raises(GanalyzeError, match=r"^device: got 'gpu'; allowed: auto, cpu, cuda, cuda:N"):
        resolve_device("gpu")
    if not torch.cuda.is_available():
        with pytest.raises(GanalyzeError, match="CUDA is not available"):
            resolve_device("cuda:0")


def test_every_user_of_a_device_takes_this_parser():
    from ganalyze.diversity import generators
    from ganalyze.surface import api
    from ganalyze.train import loop

    assert generators.resolve_device is api.resolve_device is loop.resolve_device is resolve_device
