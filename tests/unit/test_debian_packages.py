"""Provenance as maintainers of real Debian packages write it: DEP-5 licence
names, a custom licence with a recorded verdict, generated training data,
checked against the real debian/copyright files of gnubg and mecab-ipadic
(tests/data/copyright/SOURCES says where they come from)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from helpers import lint_lines, write_tree

from modelcheck.source import PROVENANCE

COPYRIGHTS = Path(__file__).resolve().parents[1] / "data" / "copyright"
P = PROVENANCE
WEIGHTS = b"# gnubg neural net weights, a stand-in for the real file\n"

CONTROL = """\
Source: {name}
Section: {section}
Maintainer: Toy Maintainer <toy@example.org>
Build-Depends: debhelper-compat (= 13)

Package: {name}
Architecture: all
Description: {name}
 {name}
"""

GNUBG = """\
Format: model-provenance/1
Models:
  - Name: gnubg-nets
    Upstream: https://ftp.gnu.org/gnu/gnubg/
    License: {licence}
    Files:
      - Path: gnubg.weights
        Sha256: {sha256}
    Training:
      Data:
        # Self-play: the positions come from the training program itself.
        - Name: self-play positions and rollouts
          Availability: generated
      Code:
        Upstream: https://git.savannah.gnu.org/cgit/gnubg.git
        License: GPL-3+
        Complete: true
    Classification: free
"""

MECAB = """\
Format: model-provenance/1
Licenses:
  - Name: LicenseRef-BSD-3-Clause-with-ICOT-term
    DFSG-Free: true
    Reason: BSD-style terms and ICOT's conditions allow use, modification and
      redistribution, asking only that the notices and the no-warranty section
      be kept (DFSG 1, 3)
Models:
  - Name: ipadic-costs
    Upstream: https://taku910.github.io/mecab/
    License: LicenseRef-BSD-3-Clause-with-ICOT-term
    Files:
      - Path: matrix.def
        Sha256: {sha256}
    Training:
      Data:
        - Name: RWCP Text Corpus
          Upstream: https://example.org/rwcp-text-corpus
          License: unknown
          Availability: registration
      Code:
        Upstream: https://taku910.github.io/mecab/
        License: BSD-3-clause
        Complete: true
    Classification: toxic-candy
"""


def package(tmp_path: Path, name: str, section: str, provenance: str, model_file: str) -> Path:
    root = write_tree(tmp_path, CONTROL.format(name=name, section=section))
    (root / model_file).write_bytes(WEIGHTS)
    (root / "debian" / "copyright").write_bytes((COPYRIGHTS / name).read_bytes())
    (root / PROVENANCE).write_text(provenance.format(sha256=hashlib.sha256(WEIGHTS).hexdigest()), encoding="utf-8")
    return root


def test_gnubg_with_the_names_of_its_copyright_file(tmp_path: Path) -> None:
    """GPL-3+ is understood, not a non-free unknown; generated data needs no
    licence; the real debian/copyright (Files: *, License: GPL-3+) agrees."""
    root = package(tmp_path, "gnubg", "games", GNUBG.replace("{licence}", "GPL-3+"), "gnubg.weights")
    assert lint_lines(root) == [
        f"I: gnubg source: model-license-debian-name GPL-3+ (read as SPDX GPL-3.0-or-later) [{P}:5:14]",
        f"I: gnubg source: model-license-debian-name GPL-3+ (read as SPDX GPL-3.0-or-later) [{P}:16:18]",
        f"C: gnubg source: model-classification gnubg-nets free [{P}:3:11]",
    ]


def test_gnubg_licence_that_differs_from_its_copyright_file(tmp_path: Path) -> None:
    root = package(tmp_path, "gnubg", "games", GNUBG.replace("{licence}", "GPL-2.0-only"), "gnubg.weights")
    assert lint_lines(root)[1:] == [
        f"C: gnubg source: model-classification gnubg-nets free [{P}:3:11]",
        f"E: gnubg source: model-license-differs-from-copyright gnubg.weights (debian/copyright says GPL-3+, "
        f"model gnubg-nets says GPL-2.0-only) [{P}:5:14]",
    ]


def test_mecab_ipadic_custom_licence_with_a_recorded_verdict(tmp_path: Path) -> None:
    """The ICOT licence is free by the recorded verdict, which is shown; the
    corpus that needs registration still keeps the costs out of main; the
    copyright file's local licence name is reported as not compared."""
    root = package(tmp_path, "mecab-ipadic", "misc", MECAB, "matrix.def")
    reason = ("BSD-style terms and ICOT's conditions allow use, modification and redistribution, asking only that "
              "the notices and the no-warranty section be kept (DFSG 1, 3)")
    assert lint_lines(root) == [
        f"I: mecab-ipadic source: model-license-recorded-verdict LicenseRef-BSD-3-Clause-with-ICOT-term DFSG-free "
        f"({reason}) [{P}:3:11]",
        f"C: mecab-ipadic source: model-classification ipadic-costs toxic-candy [{P}:9:11]",
        f"C: mecab-ipadic source: model-class-reason ipadic-costs toxic-candy: training data RWCP Text Corpus is "
        f"available only after registration [{P}:20:25]",
        f"C: mecab-ipadic source: model-class-reason ipadic-costs toxic-candy: training data RWCP Text Corpus has an "
        f"unknown licence [{P}:19:20]",
        f"E: mecab-ipadic source: model-class-not-allowed-in-area ipadic-costs (toxic-candy in main under ml-policy: "
        f"training data RWCP Text Corpus is available only after registration) [{P}:25:21]",
        f"E: mecab-ipadic source: model-class-not-allowed-in-area ipadic-costs (toxic-candy in main under ml-policy: "
        f"training data RWCP Text Corpus has an unknown licence) [{P}:25:21]",
        f"I: mecab-ipadic source: model-license-not-compared-with-copyright matrix.def (debian/copyright says "
        f"BSD-3-Clause-with-ICOT-term, which has no SPDX form: not compared with "
        f"LicenseRef-BSD-3-Clause-with-ICOT-term) [{P}:13:15]",
    ]


def test_mecab_ipadic_without_a_verdict_is_not_known_to_be_free(tmp_path: Path) -> None:
    provenance = MECAB.split("Models:", 1)[1].replace("Classification: toxic-candy", "Classification: non-free")
    root = package(tmp_path, "mecab-ipadic", "non-free/misc", "Format: model-provenance/1\nModels:" + provenance,
                   "matrix.def")
    assert lint_lines(root)[:2] == [
        f"C: mecab-ipadic source: model-classification ipadic-costs non-free [{P}:3:11]",
        f"C: mecab-ipadic source: model-class-reason ipadic-costs non-free: weights: "
        f"LicenseRef-BSD-3-Clause-with-ICOT-term is not known to be free [{P}:5:14]",
    ]


def licence_names(name: str) -> dict[str, "str | None"]:
    from debian.copyright import Copyright

    from modelcheck.licences import spdx_from_dep5

    text = (COPYRIGHTS / name).read_text(encoding="utf-8")
    paragraphs = Copyright(text.splitlines(keepends=True), strict=False).all_files_paragraphs()
    return {p.license.synopsis: spdx_from_dep5(p.license.synopsis) for p in paragraphs}


def test_every_licence_name_of_the_real_copyright_files() -> None:
    """What the cross-check can compare in two real files, and what it
    reports as not compared (no SPDX form)."""
    assert licence_names("gnubg") == {
        "GPL-3+": "GPL-3.0-or-later",
        "FSF-unlimited": "FSFULLR",
        "FSF-unlimited, and GPL-2+ with Autoconf exception or GPL-3+": None,
        "LGPL-2+": "LGPL-2.0-or-later",
        "GPL-2+ with Autoconf exception or GPL-3+": None,
        "GPL-3+ with Autoconf exception or GPL-3+": None,
        "FSF-configure, and GPL-2+ with Libtool exception or GPL-3+":
            "FSFUL AND (GPL-2.0-or-later WITH Libtool-exception OR GPL-3.0-or-later)",
        "GPL-2+": "GPL-2.0-or-later",
        "GFDL-1.3+": "GFDL-1.3-or-later",
        "Bitstream-Vera": "Bitstream-Vera",
        "X11": "X11",
        "BSD-3-clause": "BSD-3-Clause",
        "GPL-2+ with Libtool exception or GPL-3+": "GPL-2.0-or-later WITH Libtool-exception OR GPL-3.0-or-later",
        "all-permissive": "FSFAP",
        "GPL-2+ with Autoconf exception": None,
        "GPL-1+ with Autoconf exception or GPL-3+": None,
        "curl": "curl",
        "FSF-unlimited, and GPL-2+ with Libtool exception or GPL-3+":
            "FSFULLR AND (GPL-2.0-or-later WITH Libtool-exception OR GPL-3.0-or-later)",
        "Expat": "MIT",
        "all-permissive-gettext": None,
    }
    assert licence_names("mecab-ipadic") == {"BSD-3-Clause-with-ICOT-term": None, "BSD-3-Clause": "BSD-3-Clause"}
