import pytest

from ganalyze.errors import GanalyzeError
from ganalyze.report.live import LiveConfig, draw_live, live_plot
from ganalyze.runlog import RunLogger


def test_live_plot_redraws_a_run_while_it_is_written(tmp_path, run_factory):
    df = run_factory(n=600)
    frames = []
    log = RunLogger(tmp_path / "run", meta=dict(df.attrs), flush_every_rows=100, background=False)
    rows = df.to_dict("records")
    for r in rows[:300]:
        log.log(int(r.pop("step")), **r)
    log.flush()

    def show(fig):
        frames.append(fig._suptitle.get_text())
        for r in rows[300:]:                 # training goes on between two redraws
            if "step" in r:
                log.log(int(r.pop("step")), **r)
        log.flush()

    live_plot(tmp_path / "run", every_s=0.01, n_updates=2, show=show)
    log.close()
    assert frames == ["live: 300 rows, last step 299", "live: 600 rows, last step 599"]


def test_draw_live_last_steps_and_bad_figures(run_factory):
    fig = draw_live(run_factory(n=500), LiveConfig(last_steps=100, figures=("losses", "helix")))
    assert "100 rows" in fig._suptitle.get_text() and len(fig.axes) == 2
    with pytest.raises(GanalyzeError, match="figures"):
        draw_live(run_factory(n=50), LiveConfig(figures=("nope",)))
    with pytest.raises(GanalyzeError, match="every_s"):
        live_plot("x", every_s=0)
