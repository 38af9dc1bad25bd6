"""Page checksums: a corrupted run.parquet or part is one GanalyzeError line naming it (a part:
with the steps it holds), never altered values; a torn part is skipped with a warning that
names the missing steps."""
import numpy as np
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from ganalyze.cli import main
from ganalyze.errors import GanalyzeError
from ganalyze.runlog import RunLogger, read_run, store


def _silent_flip(path, column="d_loss"):
    """Flip the first bit of ``column``'s first column chunk that, read without checksum
    verification, alters values without any error (the corruption the CRCs exist for)."""
    good = path.read_bytes()
    expected = pq.read_table(path)[column].to_numpy()
    md = pq.ParquetFile(path).metadata
    chunk = md.row_group(0).column(pq.ParquetFile(path).schema_arrow.get_field_index(column))
    start = chunk.dictionary_page_offset or chunk.data_page_offset
    for pos in range(start, start + chunk.total_compressed_size):
        raw = bytearray(good)
        raw[pos] ^= 0x01
        path.write_bytes(bytes(raw))
        try:
            unchecked = pq.read_table(path, page_checksum_verification=False)[column].to_numpy()
        except (OSError, ValueError):          # most flips break decoding outright
            continue
        if not np.array_equal(unchecked, expected):
            return
    pytest.fail("no silent bit flip found")


def _logged(tmp_path, n=30, every=10, close=True):
    log = RunLogger(tmp_path, background=False, flush_every_rows=every)
    for step in range(n):
        log.log(step, d_loss=float(step), g_loss=1.0)
    if close:
        log.close()
    return log


def test_files_carry_page_checksums(tmp_path):
    """pyarrow verifies a page only if the writer stored its CRC."""
    _logged(tmp_path)
    path = tmp_path / "run.parquet"
    _silent_flip(path)
    with pytest.raises(OSError, match="CRC"):
        pq.read_table(path, page_checksum_verification=True)


def test_corrupted_run_file_is_one_error_line_naming_it(tmp_path):
    _logged(tmp_path)
    _silent_flip(tmp_path / "run.parquet")
    with pytest.raises(GanalyzeError, match=r"run\.parquet is corrupted.*CRC") as err:
        read_run(tmp_path)
    assert "\n" not in str(err.value)
    res = CliRunner().invoke(main, ["summary", str(tmp_path)])
    assert res.exit_code == 2 and res.stderr.startswith("ganalyze: error: path: ") and "corrupted" in res.stderr
    assert res.stderr.count("\n") == 1


def test_corrupted_part_names_the_part_and_its_steps(tmp_path):
    log = _logged(tmp_path, close=False)               # a live run: parts 1..3 (steps 0-9, 10-19, 20-29)
    part = store.part_path(tmp_path, 2)
    _silent_flip(part)
    with pytest.raises(GanalyzeError, match=r"run part .*part-000002\.parquet is corrupted .*steps 10-19") as err:
        read_run(tmp_path)
    assert "delete it" in str(err.value)
    # The advice works: without the part, the run reads with exactly those steps missing.
    part.unlink()
    assert read_run(tmp_path)["step"].tolist() == list(range(10)) + list(range(20, 30))
    log.close()


def test_corrupted_step_statistics_are_caught(tmp_path):
    """The footer (statistics) has no CRC: a wrong first step would move the resume cutoff and
    drop rows silently; the data read is checked against it."""
    import pyarrow as pa

    parts = tmp_path / store.PARTS_DIR
    parts.mkdir()
    store.write_table_atomic(pa.table({"step": np.arange(0, 5), "d_loss": np.zeros(5), "g_loss": np.zeros(5)}),
                             store.part_path(tmp_path, 1), {})
    path = store.part_path(tmp_path, 2)
    store.write_table_atomic(pa.table({"step": np.arange(5, 10), "d_loss": np.zeros(5), "g_loss": np.zeros(5)}),
                             path, {})
    md = pq.ParquetFile(path).metadata
    stats = md.row_group(0).column(0).statistics
    assert (stats.min, stats.max) == (5, 9)
    raw = bytearray(path.read_bytes())
    footer = raw.rfind((5).to_bytes(8, "little"), len(raw) - md.serialized_size - 8)
    raw[footer] = 3                                     # min step 5 -> 3 in the footer
    path.write_bytes(bytes(raw))
    assert pq.ParquetFile(path).metadata.row_group(0).column(0).statistics.min == 3
    with pytest.raises(GanalyzeError, match="part-000002.*corrupted.*statistics"):
        read_run(tmp_path)


def test_torn_part_warning_names_the_missing_steps(tmp_path):
    log = _logged(tmp_path, close=False)
    store.part_path(tmp_path, 2).write_bytes(b"PAR1 torn by a power loss")
    with pytest.warns(UserWarning, match=r"skipping torn run part .*part-000002.*steps 10-19 are missing"):
        df = read_run(tmp_path)
    assert df["step"].tolist() == list(range(10)) + list(range(20, 30))
    with pytest.warns(UserWarning, match="torn"):
        log.close()                                     # close() keeps what is readable
    assert read_run(tmp_path)["step"].tolist() == df["step"].tolist()


def test_footer_checksum_catches_a_renamed_column(tmp_path):
    """Parquet has no CRC for the footer: a flipped byte in a column name reads back as a
    different column; our footer CRC refuses it."""
    with RunLogger(tmp_path, background=False) as log:
        for step in range(10):
            log.log(step, d_loss=1.0, g_loss=2.0, d_x=0.5)
    path = tmp_path / "run.parquet"
    raw = bytearray(path.read_bytes())
    footer = len(raw) - 8 - pq.ParquetFile(path).metadata.serialized_size
    raw[raw.index(b"d_x", footer)] = ord("e")
    path.write_bytes(bytes(raw))
    assert "e_x" in pq.read_table(path).column_names                 # silently renamed without the check
    with pytest.raises(GanalyzeError, match="run.parquet is corrupted.*footer checksum mismatch"):
        read_run(tmp_path)
