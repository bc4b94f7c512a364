"""The census as one static HTML page: inline CSS and SVG charts drawn
here, no script and nothing fetched, so that it opens from a file in any
browser and can be mailed or attached to a bug.

Charts: sources with model files by archive area (and quick mode's
candidate packages), model files by format, each policy option's
standings, and each option's closure.  Every bar carries its figure as
data-* attributes as well as text, so that a test reads the numbers from
the DOM a browser built.
"""

from __future__ import annotations

import sqlite3
from html import escape
from pathlib import Path
from typing import Any, Mapping, NamedTuple, Sequence

from ..safeio import write_atomically
from . import policy

# Colours of the standings; the rest of the page is black on white.
COLOURS = {policy.LEAVES: "#c0392b", policy.STAYS: "#27ae60", policy.UNDECIDABLE: "#9e9e9e"}
BAR = "#3b6ea5"
ROW, LABEL_WIDTH, BAR_WIDTH = 22, 190, 420

CSS = """
body { font: 15px/1.4 sans-serif; margin: 2em auto; max-width: 60em; color: #111; background: #fff; }
h1 { font-size: 1.6em; } h2 { font-size: 1.25em; margin-top: 2em; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; margin: 1em 0; } td, th { border: 1px solid #ccc; padding: 2px 8px; }
th { background: #f0f0f0; text-align: left; } td.n { text-align: right; }
svg text { font: 13px sans-serif; fill: #111; }
.legend span { display: inline-block; padding: 0 8px; margin-right: 8px; color: #fff; }
.must-leave-main { background: #c0392b; } .stays { background: #27ae60; } .undecidable { background: #9e9e9e; }
ul.packages { columns: 4; font-family: monospace; }
"""


class Figures(NamedTuple):
    """What the charts show, read from the census database."""

    sources_by_area: dict[str, int]  # sources with model files
    candidates_by_area: dict[str, int]  # quick mode's candidate packages
    files_by_format: dict[str, int]
    sources: list[tuple[str, str, str, int, bool]]  # (source, version, area, model files, provenance)


def figures(conn: sqlite3.Connection, suite: str) -> Figures:
    def counts(query: str) -> dict[str, int]:
        return {k: n for k, n in conn.execute(query, (suite,))}
    return Figures(
        counts("SELECT s.area, COUNT(DISTINCT s.source) FROM sources s JOIN model_files m USING (suite, source, version)"
               " WHERE s.suite = ? GROUP BY s.area ORDER BY s.area"),
        counts("SELECT area, COUNT(DISTINCT package) FROM candidates WHERE suite = ? GROUP BY area ORDER BY area"),
        counts("SELECT format, COUNT(*) FROM model_files WHERE suite = ? GROUP BY format ORDER BY COUNT(*) DESC, format"),
        [(s, v, a, n, bool(p)) for s, v, a, n, p in conn.execute(
            "SELECT s.source, s.version, s.area, COUNT(*), s.provenance FROM sources s"
            " JOIN model_files m USING (suite, source, version) WHERE s.suite = ?"
            " GROUP BY s.source, s.version ORDER BY s.source, s.version", (suite,))],
    )


def _svg(chart: str, rows: int, body: list[str]) -> str:
    height = max(rows, 1) * ROW + 10
    width = LABEL_WIDTH + BAR_WIDTH + 60
    return (f'<svg xmlns="http://www.w3.org/2000/svg" data-chart="{chart}" width="{width}" height="{height}"'
            f' viewBox="0 0 {width} {height}" role="img">' + "".join(body) + "</svg>")


def _label(y: int, text: str) -> str:
    return f'<text x="{LABEL_WIDTH - 6}" y="{y + 15}" text-anchor="end">{escape(text)}</text>'


def bar_chart(chart: str, rows: Sequence[tuple[str, int]]) -> str:
    """Horizontal bars, one per (label, value), scaled to the largest."""
    top = max([v for _, v in rows] + [1])
    body = []
    for i, (label, value) in enumerate(rows):
        y, width = i * ROW + 5, round(BAR_WIDTH * value / top)
        body.append(f'<g class="bar" data-label="{escape(label)}" data-value="{value}">{_label(y, label)}'
                    f'<rect x="{LABEL_WIDTH}" y="{y + 2}" width="{width}" height="{ROW - 6}" fill="{BAR}"/>'
                    f'<text x="{LABEL_WIDTH + width + 6}" y="{y + 15}">{value}</text></g>')
    return _svg(chart, len(rows), body)


def stacked_chart(chart: str, rows: Sequence[tuple[str, Mapping[str, int]]]) -> str:
    """One bar per label, split by standing, each part with its count."""
    top = max([sum(parts.values()) for _, parts in rows] + [1])
    body = []
    for i, (label, parts) in enumerate(rows):
        y, x = i * ROW + 5, LABEL_WIDTH
        body.append(f'<g class="stack" data-label="{escape(label)}">{_label(y, label)}')
        for standing in policy.STANDINGS:
            value = parts.get(standing, 0)
            width = round(BAR_WIDTH * value / top)
            body.append(f'<g class="part" data-standing="{standing}" data-value="{value}">'
                        f'<rect x="{x}" y="{y + 2}" width="{width}" height="{ROW - 6}" fill="{COLOURS[standing]}"/>'
                        + (f'<text x="{x + 4}" y="{y + 15}" style="fill:#fff">{value}</text>' if value else "")
                        + "</g>")
            x += width
        body.append("</g>")
    return _svg(chart, len(rows), body)


def _table(head: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    cells = "".join(f"<th>{escape(h)}</th>" for h in head)
    lines = ["<tr>" + "".join(f'<td class="n">{c}</td>' if isinstance(c, int) else f"<td>{escape(str(c))}</td>"
                              for c in row) + "</tr>" for row in rows]
    return f"<table><tr>{cells}</tr>{''.join(lines)}</table>"


def _packages(names: Sequence[str]) -> str:
    if not names:
        return "<p>none</p>"
    return '<ul class="packages">' + "".join(f"<li>{escape(n)}</li>" for n in names) + "</ul>"


def _options_section(options: Mapping[str, Mapping[str, Any]]) -> list[str]:
    legend = "".join(f'<span class="{s}">{s}</span>' for s in policy.STANDINGS)
    parts = ["<h2>Standing of the sources in main, by policy option</h2>", f'<p class="legend">{legend}</p>',
             stacked_chart("policy", [(name, o["counts"]) for name, o in options.items()]),
             _table(["option", "meaning"], [(name, o["description"]) for name, o in options.items()]),
             "<h2>Reverse-dependency closure</h2>",
             "<p>Binary packages in main built by the sources that must leave, and the other packages in main "
             "whose Depends or Pre-Depends could no longer be satisfied.</p>",
             bar_chart("closure", [(f"{name}: {what}", len(o[key])) for name, o in options.items()
                                   for what, key in (("leaving", "leaving-binaries"), ("closure", "closure"))])]
    for name, o in options.items():
        parts += [f"<h3>{escape(name)}</h3>",
                  f"<p>Must leave main ({len(o[policy.LEAVES])}):</p>", _packages(o[policy.LEAVES]),
                  f"<p>Undecidable: no valid provenance file, or one that does not settle it"
                  f" ({len(o[policy.UNDECIDABLE])}):</p>",
                  _packages(o[policy.UNDECIDABLE]),
                  f"<p>Left uninstallable in main ({len(o['closure'])}):</p>", _packages(o["closure"])]
    return parts


def render(suite: str, figs: Figures, ruled: Mapping[tuple[str, str], Mapping[str, str]],
           summary: Mapping[str, Any]) -> str:
    """The page: a pure function of the figures and the policy summary."""
    options = summary["options"]
    source_rows = [(s, v, a, n, "yes" if p else "no", *(ruled.get((s, v), {}).get(o, "") for o in options))
                   for s, v, a, n, p in figs.sources]
    body = [
        f"<h1>Model census of {escape(suite)}</h1>",
        f"<p>{len(figs.sources)} source packages ship model files; "
        f"{summary['sources-with-models']} of them in main.</p>",
        "<h2>Sources with model files, by area</h2>", bar_chart("area", list(figs.sources_by_area.items())),
    ]
    if figs.candidates_by_area:
        body += ["<h2>Candidate packages by name (quick mode), by area</h2>",
                 bar_chart("candidates", list(figs.candidates_by_area.items()))]
    body += ["<h2>Model files, by format</h2>", bar_chart("format", list(figs.files_by_format.items()))]
    body += _options_section(options)
    body += ["<h2>Sources</h2>",
             _table(["source", "version", "area", "model files", "provenance", *options], source_rows)]
    return ('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f"<title>Model census of {escape(suite)}</title><style>{CSS}</style></head>"
            "<body>" + "\n".join(body) + "</body></html>\n")


def write_html(conn: sqlite3.Connection, suite: str, path: Path | str, summary: Mapping[str, Any]) -> None:
    """Write the report for a suite, given policy.summary's result."""
    page = render(suite, figures(conn, suite), policy.standings(conn, suite), summary)
    write_atomically(Path(path), page.encode("utf-8"))
