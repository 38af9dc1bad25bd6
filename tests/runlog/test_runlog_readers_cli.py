"""Every format fixture read unchanged by `ganalyze summary`, `diagnose` and (two formats)
`report`; one option set on every command that reads a run; warnings as one line each."""
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ganalyze.cli import main

LOGS = Path(__file__).parents[1] / "data" / "logs"
FIXTURES = sorted(p.name for p in LOGS.iterdir() if p.name != "README.md")
READ_OPTIONS = ["--loss", "--d-loss-reduction", "--scores", "--tb-tags", "--columns", "--step-from",
                "--averaged", "--pair", "--on-duplicate"]


def _invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_every_fixture_is_listed_in_the_format_table():
    doc = (Path(__file__).parents[2] / "docs" / "run_format.md").read_text()
    table = doc.split("## Formats read", 1)[1].split("\n## ", 1)[0]
    for name in FIXTURES:
        assert f"`{name}`" in table, name


@pytest.mark.parametrize("name", FIXTURES)
def test_summary_reads_every_fixture(name):
    result = _invoke("summary", LOGS / name, "--json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    summaries = doc.values() if "rows" not in doc else [doc]
    for s in summaries:
        assert s["rows"] >= 6 and {"d_loss", "g_loss"} <= set(s["columns"])
    # reader warnings (restarts) are single "ganalyze: warning:" lines, never raw Python warnings
    for line in result.stderr.splitlines():
        assert line.startswith("ganalyze: warning: ") and "UserWarning" not in line


@pytest.mark.parametrize("name", FIXTURES)
def test_diagnose_reads_every_fixture(name):
    result = _invoke("diagnose", LOGS / name, "--json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    for d in doc if isinstance(doc, list) else [doc]:
        assert d["summary"]["main_finding"] and d["segments"]


def test_declared_beats_file_beats_guess_on_the_command_line():
    guessed = json.loads(_invoke("summary", LOGS / "keras_gan.log", "--json").stdout)["meta"]
    assert guessed["d_loss_reduction"] == "mean" and "d_loss_reduction" in guessed["guessed"]
    declared = json.loads(_invoke("summary", LOGS / "keras_gan.log", "--json", "--d-loss-reduction", "sum").stdout)["meta"]
    assert declared["d_loss_reduction"] == "sum" and declared["declared"] == ["d_loss_reduction"]
    assert "d_loss_reduction" not in declared["guessed"]
    d = json.loads(_invoke("diagnose", LOGS / "keras_gan.log", "--json", "--d-loss-reduction", "sum",
                           "--loss", "lsgan").stdout)
    assert d["assumptions"]["loss"] == "lsgan" and d["assumptions"]["d_loss_reduction"] == "sum"
    assert "loss" not in d["assumptions"]["inferred"]


def test_cyclegan_pairs_on_the_command_line():
    both = _invoke("summary", LOGS / "cyclegan_loss_log.txt")
    assert both.exit_code == 0
    assert "run: cyclegan_loss_log:A" in both.stdout and "run: cyclegan_loss_log:B" in both.stdout
    assert both.stderr.count("ganalyze: warning: ") == 2 and "6 row(s) replaced" in both.stderr
    one = _invoke("summary", LOGS / "cyclegan_loss_log.txt", "--pair", "B", "--json")
    assert json.loads(one.stdout)["meta"]["pair"] == "B"
    refused = _invoke("summary", LOGS / "cyclegan_loss_log.txt", "--pair", "B", "--on-duplicate", "error")
    assert refused.exit_code == 2 and refused.stderr.splitlines()[-1].startswith("ganalyze: error: ")


def test_columns_and_step_from_options(tmp_path):
    p = tmp_path / "odd.csv"
    p.write_text("critic_value,gen_obj\n-1.5,2.0\n-1.0,1.5\n-0.5,1.0\n")
    refused = _invoke("summary", p)
    assert refused.exit_code == 2 and "--columns" in refused.stderr
    ok = _invoke("summary", p, "--columns", "d_loss=critic_value,g_loss=gen_obj", "--step-from", "row", "--json")
    meta = json.loads(ok.stdout)["meta"]
    assert ok.exit_code == 0 and meta["declared"] == ["columns", "step_from"] and meta["step_from"] == "row number"


def test_a_warning_is_shown_even_when_the_read_fails(tmp_path):
    p = tmp_path / "torn.jsonl"
    p.write_text('{"step": 0, "d_loss": 1.0}\n{"step": 1, "d_loss": 0.9}\n{"step": 2, "d_lo')
    result = _invoke("summary", p)
    lines = result.stderr.splitlines()
    assert result.exit_code == 2 and len(lines) == 2
    assert lines[0].startswith("ganalyze: warning: skipping the torn last line")
    assert lines[1].startswith("ganalyze: error: ") and "g_loss" in lines[1]


def test_unknown_file_error_names_the_formats_tried(tmp_path):
    p = tmp_path / "notes.txt"
    p.write_text("epoch 1 went well\nthen it diverged\n")
    result = _invoke("diagnose", p)
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    for part in ("tried:", "loss_log", "console progress lines", "CSV/TSV table", "step,d_loss,g_loss"):
        assert part in result.stderr


@pytest.mark.parametrize("command", ["summary", "diagnose", "report"])
def test_every_reading_command_takes_the_read_options(command):
    text = _invoke(command, "--help").stdout
    for option in READ_OPTIONS:
        assert option in text, (command, option)


def test_report_reads_a_cyclegan_pair_and_a_notebook(tmp_path):
    result = _invoke("report", LOGS / "cyclegan_loss_log.txt", LOGS / "dcgan_tutorial.ipynb",
                     "-o", tmp_path / "rep", "--format", "png", "--pair", "B", "--loss", "nsgan")
    assert result.exit_code == 0, result.stderr
    written = [Path(p).name for p in result.stdout.split()]
    for run in ("cyclegan_loss_log", "dcgan_tutorial"):
        assert any(name.startswith(run + "_") for name in written), (run, written)
    assert "compare_runs.png" in written
    assert "(B)" in result.stderr and "(A)" not in result.stderr     # only pair B was read
