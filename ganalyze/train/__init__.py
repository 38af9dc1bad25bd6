"""Reference trainer: seed architectures, losses, data, checkpoints and the training loop.

``from ganalyze.train import TrainConfig, train`` (imported lazily so that ``models`` and
``checkpoint`` load without pulling in the loop).
"""
__all__ = ["TrainConfig", "train"]


def __getattr__(name):
    if name == "TrainConfig":
        from ganalyze.train.config import TrainConfig
        return TrainConfig
    if name == "train":
        from ganalyze.train.loop import train
        return train
    raise AttributeError(f"module 'ganalyze.train' has no attribute {name!r}")
