"""Jupyter notebooks (``.ipynb``): the training prints live in the code cells' stream outputs.

The outputs of all code cells, in cell order, are joined into one text and read as a
console log or loss_log (``ganalyze.runlog.formats.console`` / ``cyclegan``); the result's
``source_format`` is ``notebook/<format of the text>``. Where a later training cell starts its
steps again (a second training run, a quick test after the real one), the cells up to it and
from it on are separate runs, named ``cell<N>`` after their first cell (``--pair cellN``), not a
resume whose rows would replace the earlier run's.
"""
from __future__ import annotations

import base64
import binascii
import html
import json
import re
import warnings


def looks_like_notebook(head: str) -> bool:
    """A JSON object that names ``cells`` near its start (nbformat 4 writes it first)."""
    return head.lstrip().startswith("{") and '"cells"' in head


def cell_texts(raw: str) -> list[tuple[int, str]]:
    """``(cell number, printed output)`` of every code cell with output (stream outputs, and the
    text/plain of results), in order; cell numbers count all cells from 1, as Jupyter shows them
    top to bottom. A notebook whose JSON was committed cut short (it ends inside an image) keeps the
    outputs before the cut (:func:`salvaged_cell_texts`, with a warning). Raises ValueError when
    ``raw`` is not a notebook."""
    try:
        doc = json.loads(raw, strict=False)     # strict=False: a raw tab or newline inside a string, as some tools write
    except json.JSONDecodeError as err:
        cells = salvaged_cell_texts(raw) if looks_like_notebook(raw[:4096]) else []
        if not cells:
            raise
        warnings.warn(f"the notebook's JSON breaks off at character {err.pos} of {len(raw)} ({err.msg}): read the "
                      f"printed outputs of the {len(cells)} code cell(s) before that point", stacklevel=2)
        return cells
    if not isinstance(doc, dict) or not isinstance(doc.get("cells"), list):
        raise ValueError("no 'cells' list")
    cells = []
    for k, cell in enumerate(doc["cells"], start=1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        parts = []
        for out in cell.get("outputs") or []:
            if not isinstance(out, dict):
                continue
            if out.get("output_type") == "stream":
                text = out.get("text", "")
            elif out.get("output_type") in ("execute_result", "display_data"):
                data = out.get("data") or {}
                text = data.get("text/plain", "")
                if (page := _joined(data.get("text/html", ""))) and _HTML_PLACEHOLDER.match(_joined(text)):
                    # fastai's fit table, or fastprogress's master_bar.write lines, shown as HTML only
                    text = html_table_text(page) if "<table" in page else html_lines_text(page)
            else:
                continue
            parts.append(_joined(text))
        if parts:
            cells.append((k, _outputs_text(parts)))
    return cells


def _outputs_text(parts: list[str]) -> str:
    """A cell's outputs as one text: each on lines of its own, no blank line added where an output ends its
    last line (a long loop's print split into several stream outputs reads as one, not as blocks of records)."""
    return "".join(p if p.endswith("\n") else p + "\n" for p in parts[:-1]) + parts[-1]


_HTML_PLACEHOLDER = re.compile(r"^\s*(?:<IPython\.core\.display\.HTML object>)?\s*$")
_TR = re.compile(r"(?is)<tr[^>]*>(.*?)</tr>")
_CELL = re.compile(r"(?is)<t[hd][^>]*>(.*?)</t[hd]>")
_TAG = re.compile(r"(?s)<[^>]+>")


def _joined(text) -> str:
    return "".join(text) if isinstance(text, list) else str(text or "")


_LINE_BREAK = re.compile(r"(?i)<br\s*/?>|</?p\b[^>]*>|</div>|</li>")
_STYLE = re.compile(r"(?is)<(style|script)\b.*?</\1>")


def html_lines_text(page: str) -> str:
    """An HTML output that is no table as lines of text: breaks at ``<p>`` / ``<br>`` / ``</div>``, tags, styles
    and entities dropped (fastprogress's ``master_bar.write``: "Epoch 1/30 g_loss 3.35 d_loss 0.16<p>Epoch 2/30
    ..", held-out batch 243)."""
    text = html.unescape(_TAG.sub(" ", _LINE_BREAK.sub("\n", _STYLE.sub(" ", page))))
    return "\n".join(" ".join(line.split()) for line in text.splitlines() if line.strip())


def html_table_text(page: str) -> str:
    """The rows of the HTML tables in a notebook output as lines of cells two spaces apart (fastai's fit table,
    "<tr><th>epoch</th><th>train_loss</th>..", its values in <th> or <td>): fastai's "#na#" (no validation) as nan,
    a "time" column ("00:12") left out, tags and entities dropped; the text before the first table kept (fastai
    v1's "Total time: 1:54:23")."""
    out = [html.unescape(_TAG.sub(" ", page.split("<table", 1)[0])).strip()]
    for table in re.split(r"(?i)<table", page)[1:]:
        rows = [[" ".join(html.unescape(_TAG.sub(" ", c)).split()) for c in _CELL.findall(tr)] for tr in _TR.findall(table)]
        rows = [r for r in rows if r]
        if not rows:
            continue
        drop = {i for i, name in enumerate(rows[0]) if name.lower() == "time"}
        for r in rows:
            out.append("  ".join(("nan" if c == "#na#" else c.replace(" ", "_") or "nan")
                                 for i, c in enumerate(r) if i not in drop))
    return "\n".join(line for line in out if line)


def _code_cells(raw: str) -> list[tuple[int, dict]]:
    """``(cell number, cell)`` of every code cell, numbered as :func:`cell_texts` numbers them; empty where the
    JSON does not parse."""
    try:
        doc = json.loads(raw, strict=False)
    except json.JSONDecodeError:
        return []
    cells = doc.get("cells") if isinstance(doc, dict) else None
    return [(k, cell) for k, cell in enumerate(cells if isinstance(cells, list) else [], start=1)
            if isinstance(cell, dict) and cell.get("cell_type") == "code"]


def execution_counts(raw: str) -> dict[int, int]:
    """``{cell number: execution_count}`` of the code cells that carry one (a cell never run, or saved with its
    counts cleared, carries none), numbered as :func:`cell_texts` numbers them: the order the cells last ran in,
    which in a notebook run out of order is not the order they stand in."""
    return {k: cell["execution_count"] for k, cell in _code_cells(raw)
            if isinstance(cell.get("execution_count"), int) and not isinstance(cell.get("execution_count"), bool)}


def code_sources(raw: str) -> list[tuple[int, str]]:
    """``(cell number, source)`` of every code cell, numbered as :func:`cell_texts` numbers them; empty
    where the JSON does not parse (a notebook committed cut short keeps its outputs, not its code)."""
    return [(k, _joined(cell.get("source", ""))) for k, cell in _code_cells(raw)]


def image_outputs(raw: str) -> list[tuple[int, bytes]]:
    """``(cell number, image bytes)`` of every picture a code cell shows (``image/png`` of its displayed data, else
    ``image/jpeg`` or ``image/gif``: IPython's ``Image`` of a saved JPEG or GIF), in order, numbered as
    :func:`cell_texts` numbers them; empty where the JSON does not parse or holds none. A picture whose base64 does
    not decode is left out."""
    out = []
    for k, cell in _code_cells(raw):
        for output in cell.get("outputs") or []:
            data = output.get("data") if isinstance(output, dict) else None
            png = next((_joined(data[key]) for key in ("image/png", "image/jpeg", "image/gif") if data.get(key)), "") \
                if isinstance(data, dict) else ""
            if png:
                try:
                    out.append((k, base64.b64decode(png, validate=False)))
                except (binascii.Error, ValueError):
                    continue
    return out


def notebook_text(raw: str) -> str:
    """The printed output of every code cell, in order (:func:`cell_texts` joined)."""
    return "\n".join(text for _, text in cell_texts(raw))


# the keys of a cell's type and of its outputs' printed text, outside any string ("\"text\": " in a source is escaped)
_NOTEBOOK_KEY = re.compile(r'(?<!\\)"(cell_type|text|text/plain)"\s*:\s*')


def salvaged_cell_texts(raw: str) -> list[tuple[int, str]]:
    """:func:`cell_texts` of a notebook whose JSON does not parse (committed cut short): every complete
    ``"text"`` value of a stream output (and ``"text/plain"`` of a result) in file order, each given to
    the cell whose ``"cell_type"`` came last before it (nbformat 4 writes a cell's type before its
    outputs); reading stops at the first value that does not parse (the cut)."""
    decoder = json.JSONDecoder(strict=False)
    cells: dict[int, list[str]] = {}
    k, code = 0, False
    for m in _NOTEBOOK_KEY.finditer(raw):
        try:
            value, _ = decoder.raw_decode(raw, m.end())
        except ValueError:
            break
        if m.group(1) == "cell_type":
            k, code = k + 1, value == "code"
        elif code and k:
            text = "".join(value) if isinstance(value, list) else value
            if isinstance(text, str):
                cells.setdefault(k, []).append(text)
    return [(n, _outputs_text(parts)) for n, parts in cells.items()]
