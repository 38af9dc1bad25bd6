"""The sweep page and files: escaped, script-free, small multiples per swept hyperparameter; the CLI."""
import re
import shutil
import subprocess

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from click.testing import CliRunner

from ganalyze.cli import main
from ganalyze.sweep import SweepConfig, run_sweep
from ganalyze.sweep.plots import label_columns, plot_shares_by

EVIL = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def swept(tmp_path_factory, sweep_factory):
    tmp = tmp_path_factory.mktemp("page")
    dirs = sweep_factory(tmp / "runs", 12, seed=11)
    dirs[3].rename(tmp / "runs" / EVIL)
    result = run_sweep([str(tmp / "runs")], tmp / "out", SweepConfig(workers=0, progress=False),
                       by=["lr_d", "loss"])
    return tmp, result


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def test_files_agree_with_the_table(swept):
    tmp, result = swept
    table = result["table"]
    assert [p.name for p in result["files"]] == ["sweep.parquet", "sweep.csv", "sweep.html"]
    back = pd.read_parquet(tmp / "out" / "sweep.parquet")
    assert list(back.dtypes.astype(str)[table.dtypes.astype(str) != "object"]) == list(
        table.dtypes.astype(str)[table.dtypes.astype(str) != "object"])      # numbers keep their types
    plain = lambda df: df.astype(object).where(df.notna(), None)          # noqa: E731 - text: object vs str dtype
    pd.testing.assert_frame_equal(plain(back), plain(table))
    csv = pd.read_csv(tmp / "out" / "sweep.csv")
    assert list(csv["run"]) == list(table["run"]) and csv["share_healthy"].tolist() == pytest.approx(table["share_healthy"].tolist(), nan_ok=True)


def test_page_is_escaped_script_free_and_has_a_section_per_hparam(swept):
    tmp, result = swept
    html = (tmp / "out" / "sweep.html").read_text()
    assert "<script" not in html and "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert not re.search(r"""src=["']https?:""", html)
    for sec in ("summary", "by-lr_d", "by-loss", "runs"):
        assert f'data-section="{sec}"' in html
    assert html.count('src="data:image/png;base64,') == 2
    table = result["table"]
    assert html.count("<tr>") >= len(table) + 1
    assert "not a Parquet run file" in html                      # the broken run's error is shown


def test_small_multiples_one_panel_per_label_one_dot_per_run(swept):
    _, result = swept
    table = result["table"]
    fig = plot_shares_by(table, "lr_d")
    panels = [ax for ax in fig.axes if ax.get_visible()]
    shares = label_columns(table)
    assert [ax.get_title() for ax in panels] == [c[len("share_"):] for c in shares]
    ok = table[table["error"].isna()]
    for ax, col in zip(panels, shares):
        dots = ax.collections[0].get_offsets()
        assert len(dots) == len(ok)
        assert sorted(dots[:, 1]) == pytest.approx(sorted(ok[col]))
    lr = ok["hp.lr_d"]
    assert ok["hp.lr_d"].nunique() > 1
    assert panels[0].get_xscale() == ("log" if lr.min() > 0 and lr.max() / lr.min() >= 10 else "linear")
    fig = plot_shares_by(table, "loss")                            # text: one slot per value
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == sorted(ok["hp.loss"].unique())


def test_cli_writes_reports_and_links_them(sweep_factory, tmp_path):
    sweep_factory(tmp_path / "runs", 1, seed=2)                   # one good run, two broken ones
    res = CliRunner().invoke(main, ["sweep", str(tmp_path / "runs" / "run_*"), "-o", str(tmp_path / "o"),
                                    "--workers", "0", "--reports", "--no-progress"])
    assert res.exit_code == 0, res.output
    assert "runs: 3 (2 failed)" in res.output and str(tmp_path / "o" / "sweep.html") in res.output
    html = (tmp_path / "o" / "sweep.html").read_text()
    links = re.findall(r'href="(reports/[^"]+)"', html)
    assert links == ["reports/0000-run_000/report.html"]           # no report for a run that failed
    report = (tmp_path / "o" / links[0]).read_text()
    assert "run_000" in report and "<script" not in report


def test_cli_bad_input_is_one_line(tmp_path, sweep_factory):
    r = CliRunner().invoke(main, ["sweep", str(tmp_path / "missing")])
    assert r.exit_code == 2 and r.output.startswith("ganalyze: error: runs:") and r.output.count("\n") == 1
    sweep_factory(tmp_path / "runs", 2, seed=2, broken=False)
    r = CliRunner().invoke(main, ["sweep", str(tmp_path / "runs"), "--by", "nope", "--workers", "0",
                                  "-o", str(tmp_path / "o"), "--no-progress"])
    assert r.exit_code == 2 and "by: no hyperparameter 'nope'" in r.output and "lr_d" in r.output


def _chromium():
    return shutil.which("chromium") or shutil.which("chromium-browser")


def test_page_renders_in_headless_chromium(swept, tmp_path):
    if not _chromium():
        pytest.skip("chromium not installed (the report tests use Debian's chromium the same way)")
    tmp, _ = swept
    check = ("<script>window.addEventListener('load',()=>{const i=[...document.images];"
             "const p=document.createElement('pre');p.id='chk';p.textContent=JSON.stringify({n:i.length,"
             "ok:i.filter(x=>x.complete&&x.naturalWidth>0).length,rows:document.querySelectorAll('#runs tr').length});"
             "document.body.appendChild(p);});</script>")
    probe = tmp_path / "probe.html"
    probe.write_text((tmp / "out" / "sweep.html").read_text().replace("</body>", check + "</body>"))
    dom = subprocess.run([_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                          f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=5000", "--dump-dom",
                          probe.as_uri()], capture_output=True, text=True, timeout=60).stdout
    m = re.search(r'<pre id="chk">(.*?)</pre>', dom)
    assert m, "the check script did not run"
    import json

    got = json.loads(m.group(1))
    assert got["n"] == 2 and got["ok"] == 2 and got["rows"] == 15      # header + 14 runs
