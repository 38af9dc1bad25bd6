"""The report's own inputs: sample PNGs and config.json. A bad one is skipped with one
``ganalyze: warning:`` line; the image size is checked from the header before decoding."""
from __future__ import annotations

import os

import numpy as np
import pytest
from hostile import cli, png_header, run_dir
from PIL import Image

from ganalyze.errors import GanalyzeError
from ganalyze.report import prepare
from ganalyze.validate import MAX_IMAGE_PIXELS, check_image, load_json_file, safe_image, validate_config


def _good_png(path):
    Image.fromarray((np.arange(32 * 32) % 255).astype(np.uint8).reshape(32, 32)).save(path)


BAD_SAMPLES = {
    "bomb 30000 x 30000": (lambda p: p.write_bytes(png_header(30000, 30000)), "30000 x 30000 pixels"),
    "corrupt": (lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x07" * 200), "not a readable image"),
    "empty": (lambda p: p.write_bytes(b""), "is empty"),
    "directory": (lambda p: p.mkdir(), "is a directory"),
    "symlink loop": (lambda p: os.symlink(p.name, p), "symlink loop"),
    "fifo": (lambda p: os.mkfifo(p), "named pipe"),
    "jpeg": (lambda p: Image.new("L", (4, 4)).save(p, format="JPEG"), "is a JPEG image"),
}


@pytest.mark.parametrize("case", list(BAD_SAMPLES))
def test_bad_sample_grid_is_skipped_with_a_warning(tmp_path, case):
    make, needle = BAD_SAMPLES[case]
    run = run_dir(tmp_path / "run")
    (run / "samples").mkdir()
    _good_png(run / "samples" / "step_000000.png")
    make(run / "samples" / "step_000050.png")
    with pytest.warns(UserWarning, match=needle):
        grids = prepare.sample_grids(run)
    assert [s for s, _ in grids] == [0]


def test_truncated_png_fails_at_decoding_in_one_line(tmp_path):
    p = tmp_path / "t.png"
    _good_png(p)
    p.write_bytes(p.read_bytes()[:70])       # header intact, pixels cut
    assert check_image(p) == (32, 32)
    with pytest.raises(GanalyzeError, match="is corrupt"):
        safe_image(p)


def test_report_draws_around_a_grid_corrupt_past_its_header(tmp_path):
    run = run_dir(tmp_path / "run", n=80)
    (run / "samples").mkdir()
    _good_png(run / "samples" / "step_000000.png")
    bad = run / "samples" / "step_000070.png"
    _good_png(bad)
    bad.write_bytes(bad.read_bytes()[:70])
    result = cli(["report", run, "-o", tmp_path / "rep", "--format", "png", "--dpi", "30"])
    assert result.exit_code == 0, (result.stderr, result.exception)
    assert any(ln.startswith("ganalyze: warning: skipping sample grid") and "is corrupt" in ln
               for ln in result.stderr.splitlines())
    assert (tmp_path / "rep" / "run_samples.png").exists()


def test_bomb_is_refused_from_the_header_without_decoding(tmp_path):
    p = tmp_path / "bomb.png"
    p.write_bytes(png_header(30000, 30000))
    with pytest.raises(GanalyzeError, match=f"allowed: a PNG file of at most {MAX_IMAGE_PIXELS:,} pixels"):
        safe_image(p)
    assert safe_image(tmp_path / "bomb.png" if False else _write_good(tmp_path)).shape == (32, 32)


def _write_good(tmp_path):
    p = tmp_path / "good.png"
    _good_png(p)
    return p


def test_report_with_a_bomb_and_a_bad_config_json_renders_with_warnings(tmp_path):
    run = run_dir(tmp_path / "run", n=80)
    (run / "samples").mkdir()
    _good_png(run / "samples" / "step_000000.png")
    (run / "samples" / "step_000070.png").write_bytes(png_header(30000, 30000))
    (run / "config.json").write_text("[" * 100000 + "]" * 100000)
    result = cli(["report", run, "-o", tmp_path / "rep", "--format", "html", "--dpi", "30"])
    assert result.exit_code == 0, (result.stderr, result.exception)
    assert "config.json" in (tmp_path / "rep" / "report.html").read_text()
    warnings_ = [ln for ln in result.stderr.splitlines() if ln.startswith("ganalyze: warning:")]
    assert any("30000 x 30000" in w for w in warnings_) and any("config.json" in w for w in warnings_)
    assert "Traceback" not in result.stderr
    assert (tmp_path / "rep" / "run_samples.png").exists()


@pytest.mark.parametrize("text,needle", [
    ("[1, 2]", "config.json: a list"), ("3", "config.json: a int"), ("null", None),
    ('{"lr": NaN}', "NaN is not valid JSON"), ("[" * 5000 + "]" * 5000, "nested 5000 levels deep"),
    ('{"ring_modes": 1000000000}', "ring_modes: 1000000000"),
    ('{"arch_spec": {"name": "mlp", "latent_dim": 1e9}}', "latent_dim: 1000000000.0 (float)"),
    ("{oops", "not valid JSON"),
])
def test_config_json_schema(tmp_path, text, needle):
    p = tmp_path / "config.json"
    p.write_text(text)
    if needle is None:
        assert validate_config(load_json_file(p, "config.json")) == {}
        return
    with pytest.raises(GanalyzeError, match="allowed") as err:
        validate_config(load_json_file(p, "config.json"))
    assert needle in str(err.value)
