"""TensorBoard events with a scalar tag that names the step (``step``, ``global_step``): the
events carry their own step, so the tag is ignored with one warning (was pandas' "cannot insert
step, already exists" traceback)."""
from __future__ import annotations

import pytest
from hostile import cli

from ganalyze.runlog import read_run


def _events(logdir, step_tags, n: int = 12):
    from torch.utils.tensorboard import SummaryWriter

    w = SummaryWriter(str(logdir))
    for i in range(n):
        w.add_scalar("Loss/D", 1.3 - 0.01 * i, 10 * i)
        w.add_scalar("Loss/G", 0.7 + 0.01 * i, 10 * i)
        for tag in step_tags:
            w.add_scalar(tag, float(i), 10 * i)
    w.close()
    return logdir


@pytest.mark.parametrize("tags", [["step"], ["global_step"], ["step", "global_step"]])
def test_a_step_tag_is_ignored_with_one_warning(tmp_path, tags):
    logdir = _events(tmp_path / "tb", tags)
    with pytest.warns(UserWarning, match="name the step, which every TensorBoard event carries itself"):
        df = read_run(logdir)
    assert df["step"].tolist() == [10 * i for i in range(12)]            # the events' step, not the tag's value
    assert df["d_loss"].iloc[-1] == pytest.approx(1.3 - 0.11)
    assert "global_step" not in df.columns
    for command in ("summary", "diagnose", "diagnose --json"):
        result = cli([*command.split(), logdir])
        assert result.exit_code == 0, result.stderr
        lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
        assert len(lines) == 1 and lines[0].startswith("ganalyze: warning:") and all(repr(t) in lines[0] for t in tags)
