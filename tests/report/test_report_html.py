"""End-to-end: the report renders, escapes run names, and every image loads in Chromium."""
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from ganalyze.cli import main
from ganalyze.report import render_report
from ganalyze.runlog import write_run

ROOT = Path(__file__).resolve().parents[2]
CONSOLE_LOG = ROOT / "sample_runs" / "dcgan_tutorial_console.log"
SECTIONS = ("header", "diagnosis", "losses", "scores", "helix", "quantiles", "grads", "samples")

_CHECK = """<script>
window.addEventListener('load', () => {
  const imgs = [...document.images];
  const out = {images: imgs.length, loaded: imgs.filter(i => i.complete && i.naturalWidth > 0).length,
               sections: [...document.querySelectorAll('[data-section]')].map(e => e.dataset.section),
               scripts: document.scripts.length, title: document.title};
  const pre = document.createElement('pre'); pre.id = 'ganalyze-check';
  pre.textContent = JSON.stringify(out); document.body.appendChild(pre);
});
</script>"""


def _chromium():
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _chromium_args(tmp_path):
    return [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            f"--user-data-dir={tmp_path / 'chromium-profile'}"]


@pytest.fixture(scope="module")
def two_run_report(tmp_path_factory, run_factory):
    tmp = tmp_path_factory.mktemp("report")
    healthy = run_factory(kind="healthy")
    write_run(healthy, tmp / "healthy", healthy.attrs)
    evil = run_factory(kind="d_dominant", n=1500)
    evil.attrs["data_source"] = "<img src=x onerror=alert(2)>"
    write_run(evil, tmp / "<script>", evil.attrs)
    from PIL import Image

    (tmp / "healthy" / "samples").mkdir()
    for step in (0, 1000, 1999):
        Image.new("L", (62, 62), color=step % 255).save(tmp / "healthy" / "samples" / f"step_{step:06d}.png")
    out = tmp / "out"
    written = render_report([tmp / "healthy", tmp / "<script>", CONSOLE_LOG], out)
    return out, written


def test_files_written_and_run_names_escaped(two_run_report):
    out, written = two_run_report
    html = (out / "report.html").read_text()
    assert (out / "report.html") in written and (out / "healthy_helix.png") in written
    assert (out / "healthy_samples.png").exists() and (out / "compare_runs.png").exists()
    assert "<script" not in html                      # the report has no scripts at all
    assert "&lt;script&gt;" in html
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(2)&gt;" in html
    assert not re.search(r"""src=["']https?:""", html)  # nothing from the network
    for sec in SECTIONS:
        assert html.count(f'data-section="{sec}"') == 3
    assert 'data-section="comparison"' in html


def test_every_image_loads_and_every_section_is_present_in_chromium(two_run_report, tmp_path):
    if not _chromium():
        pytest.skip("chromium not installed (scripts/test.sh installs Debian's chromium)")
    out, _ = two_run_report
    probe = tmp_path / "probe.html"
    probe.write_text((out / "report.html").read_text().replace("</body>", _CHECK + "</body>"))
    dom = subprocess.run(_chromium_args(tmp_path) + ["--virtual-time-budget=5000", "--dump-dom", probe.as_uri()],
                         capture_output=True, text=True, timeout=60).stdout
    m = re.search(r'<pre id="ganalyze-check">(.*?)</pre>', dom)
    assert m, "the check script did not run"
    result = json.loads(m.group(1).replace("&quot;", '"'))
    # healthy: 6 figures (with samples), <script>: 5, console log: 3 (no quantiles/grads),
    # compare: 1 (small multiples), + one phase timeline per run
    expected = 15 + 3
    assert result["images"] == (out / "report.html").read_text().count("<img ") == expected
    assert result["loaded"] == result["images"]
    assert result["scripts"] == 1                          # only our probe
    for sec in SECTIONS:
        assert result["sections"].count(sec) == 3
    shot = tmp_path / "report.png"
    subprocess.run(_chromium_args(tmp_path) + ["--window-size=1300,2400", f"--screenshot={shot}",
                                               (out / "report.html").as_uri()],
                   capture_output=True, timeout=60, check=True)
    assert shot.stat().st_size > 50_000


def test_cli_report_prints_files_and_bad_input_is_one_line(tmp_path):
    runner = CliRunner()
    res = runner.invoke(main, ["report", str(CONSOLE_LOG), "-o", str(tmp_path / "r"), "--format", "png"])
    assert res.exit_code == 0, res.output
    printed = [line for line in res.stdout.splitlines() if line]
    assert all(Path(p).exists() for p in printed) and not any(p.endswith(".html") for p in printed)
    res = runner.invoke(main, ["report", str(CONSOLE_LOG), "-o", str(tmp_path / "p"), "--format", "pdf"])
    assert res.exit_code == 0 and (tmp_path / "p" / "report.pdf").read_bytes()[:4] == b"%PDF"
    res = runner.invoke(main, ["report", str(tmp_path / "missing")])
    assert res.exit_code == 2 and "Traceback" not in res.output
    bad = tmp_path / "empty.parquet"
    bad.write_bytes(b"")
    res = runner.invoke(main, ["report", str(bad)])
    assert res.exit_code == 2 and "error:" in res.output
    (tmp_path / "file").write_text("x")
    res = runner.invoke(main, ["report", str(CONSOLE_LOG), "-o", str(tmp_path / "file")])
    assert res.exit_code == 2 and "--out:" in res.output      # the library says out_dir, the CLI the flag


def _diagnosis_card(tmp_path, df, name):
    write_run(df, tmp_path / name, df.attrs)
    render_report([tmp_path / name], tmp_path / f"out_{name}")
    html = (tmp_path / f"out_{name}" / "report.html").read_text()
    return html[html.index('data-section="diagnosis"'):html.index('data-section="losses"')]


def test_diagnosis_card_says_what_the_log_cannot_show(tmp_path, run_factory):
    """The labels the log cannot settle are listed once with why and what would settle them, as in
    the text output; a log with every column lists none."""
    import numpy as np

    df = run_factory(kind="healthy", n=1500)       # losses, D outputs, grads, lr; no diversity column
    card = _diagnosis_card(tmp_path, df, "nodiv")
    part = card[card.index('data-part="not-checkable"'):]
    part = part[:part.index("</ul>")]
    assert "mode_collapse" in part and "oscillation" in part and "stagnation" not in part   # lr_g is logged
    assert "div_pdist_ratio" in part and "To settle it" in part
    assert card.index("What to change") < card.index('data-part="not-checkable"') < card.index("<details")
    full = df.assign(div_pdist_ratio=np.where(df["step"] % 25 == 0, 0.95, np.nan))
    full.attrs = df.attrs
    assert 'data-part="not-checkable"' not in _diagnosis_card(tmp_path, full, "full")


def test_diagnosis_section_shows_phases_findings_and_helix_stats(tmp_path, run_factory):
    mod = pytest.importorskip("ganalyze.diagnose", reason="ganalyze.diagnose (issue #4) not in this checkout")
    if not hasattr(mod, "diagnose"):
        pytest.skip("ganalyze.diagnose (issue #4) has no diagnose() yet")

    df = run_factory(kind="d_dominant", n=3000)
    write_run(df, tmp_path / "dd", df.attrs)
    render_report([tmp_path / "dd"], tmp_path / "out")
    html = (tmp_path / "out" / "report.html").read_text()
    assert (tmp_path / "out" / "dd_phases.png").exists()
    assert "d_dominant" in html and "diagnosis unavailable" not in html
    # verdict, then its deciding numbers with units and healthy ranges, advice once, evidence collapsed
    card = html[html.index('data-section="diagnosis"'):html.index('data-section="losses"')]
    numbers = card[card.index('data-part="deciding-numbers"'):card.index("</table>")]
    assert "D(G(z)), window mean" in numbers and "probability" in numbers and "0.1–0.4" in numbers
    assert 3 <= numbers.count("<tr>") - 1 <= 5
    assert card.count("What to change") == 1
    advice = card[card.index('<ul class="advice">'):card.index("</ul>")]
    first = re.search(r"<li>(.*?)</li>", advice).group(1)
    assert card.count(first) == 1                      # each piece of advice appears once
    assert card.index('data-part="deciding-numbers"') < card.index("What to change") < card.index("<details")
    assert "d_loss_mean" in card[card.index("<details"):]   # the full evidence, collapsed


def test_a_notebooks_report_reads_the_samples_it_shows_as_diagnose_does(tmp_path):
    """The report's diagnosis left out the sample grid a notebook shows, which `ganalyze diagnose` reads: a notebook
    whose last grid is sixteen near copies (held out, stop 57's review, on 692/06) was "mode_collapse by the samples"
    from diagnose and a loss-pattern reading in its report. Both now read the grid."""
    from tests.diagnose.test_diagnose_shown import _cell, _digits, _log, _notebook, _png, make_grid_png

    p = _notebook(tmp_path, [_cell(_log(57)), _cell(png=_png(make_grid_png(_digits("copies"))))])
    render_report([p], tmp_path / "rep", fmt="html")
    html = (tmp_path / "rep" / "report.html").read_text()
    assert "mode_collapse by the samples the notebook shows" in html
    said = json.loads(CliRunner().invoke(main, ["diagnose", str(p), "--json"]).stdout)["summary"]["main_finding"]
    assert said.startswith("mode_collapse by the samples the notebook shows")
