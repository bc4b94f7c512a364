"""Licence knowledge: verdicts on SPDX expressions, DEP-5 and Hugging Face names, and the data file."""

from __future__ import annotations

from typing import Optional

import pytest

from modelcheck.errors import DataError
from modelcheck import licences
from modelcheck.licences import Recorded, Verdict, equivalent, judge, recorded_verdicts, spdx_from_dep5, spdx_from_model_card


@pytest.mark.parametrize("expression, verdict", [
    ("MIT", Verdict(True, "MIT is DFSG-free")),
    ("mit", Verdict(True, "MIT is DFSG-free")),
    ("MIT AND Apache-2.0", Verdict(True, "MIT is DFSG-free; Apache-2.0 is DFSG-free")),
    ("MIT AND CC-BY-NC-4.0", Verdict(False, "CC-BY-NC-4.0 restricts commercial use (DFSG 6)")),
    ("CC-BY-NC-4.0 OR MIT", Verdict(True, "MIT is DFSG-free")),
    ("CC-BY-ND-4.0 OR LicenseRef-foo", Verdict(
        False, "CC-BY-ND-4.0 forbids modified versions (DFSG 3); LicenseRef-foo is not known to be free")),
    ("GPL-3.0-only AND (CC-BY-NC-SA-4.0 OR CC0-1.0)",
     Verdict(True, "GPL-3.0-only is DFSG-free; CC0-1.0 is DFSG-free")),
    ("LicenseRef-openrail", Verdict(
        False, "LicenseRef-openrail forbids fields of endeavour through its use restrictions (DFSG 6)")),
    ("LicenseRef-my-model-licence", Verdict(False, "LicenseRef-my-model-licence is not known to be free")),
    ("DocumentRef-spdx:LicenseRef-x", Verdict(False, "DocumentRef-spdx:LicenseRef-x is not known to be free")),
    # ScanCode's index maps LicenseRef-Apache to Apache-2.0; a LicenseRef must stay a local name.
    ("LicenseRef-Apache", Verdict(False, "LicenseRef-Apache is not known to be free")),
    ("unknown", Verdict(False, "the licence is unknown")),
    ("Unknown", Verdict(False, "the licence is unknown")),
    ("MIT AND unknown", Verdict(False, "the licence is unknown")),
    ("CC-BY-2.0", Verdict(False, "CC-BY-2.0 is not known to be free")),
    ("AFL-3.0", Verdict(False, "AFL-3.0 is not known to be free")),
])
def test_verdicts(expression: str, verdict: Verdict) -> None:
    assert judge(expression) == verdict


def test_deprecated_identifiers_are_read_as_their_modern_form() -> None:
    assert judge("GPL-2.0+") == Verdict(True, "GPL-2.0-or-later is DFSG-free")
    assert judge("GPL-3.0") == Verdict(True, "GPL-3.0-only is DFSG-free")
    assert judge("LGPL-2.1+ OR AGPL-3.0") == Verdict(True, "LGPL-2.1-or-later is DFSG-free")


def test_with_a_known_exception_is_judged_by_the_licence() -> None:
    assert judge("GPL-2.0-or-later WITH Classpath-exception-2.0") == Verdict(True, "GPL-2.0-or-later is DFSG-free")
    assert judge("CC-BY-NC-4.0 WITH Classpath-exception-2.0") == Verdict(
        False, "CC-BY-NC-4.0 restricts commercial use (DFSG 6)")


def test_with_an_unknown_exception_is_unknown() -> None:
    assert judge("MIT WITH Foo-exception") == Verdict(
        False, "Foo-exception is not an SPDX licence exception", ("Foo-exception",))
    assert judge("Bar-1.0 WITH Foo-exception") == Verdict(
        False, "Foo-exception is not an SPDX licence exception", ("Bar-1.0", "Foo-exception"))
    assert judge("MIT WITH AdditionRef-local") == Verdict(False, "AdditionRef-local is not an SPDX licence exception")


def test_identifiers_unknown_to_spdx_are_listed() -> None:
    assert judge("Foo-1.0") == Verdict(False, "Foo-1.0 is not an SPDX licence identifier", ("Foo-1.0",))
    assert judge("Foo AND (Bar OR Foo)") == Verdict(
        False, "Foo is not an SPDX licence identifier; Bar is not an SPDX licence identifier", ("Foo", "Bar"))


@pytest.mark.parametrize("expression, verdict", [
    ("GPL-3+", Verdict(True, "GPL-3.0-or-later is DFSG-free", dep5="GPL-3.0-or-later")),
    ("GPL-2", Verdict(True, "GPL-2.0-only is DFSG-free", dep5="GPL-2.0-only")),
    ("Expat", Verdict(True, "MIT is DFSG-free", dep5="MIT")),
    ("Expat OR MIT", Verdict(True, "MIT is DFSG-free", dep5="MIT OR MIT")),
    ("LGPL-2.1+ or Expat", Verdict(True, "LGPL-2.1-or-later is DFSG-free", dep5="LGPL-2.1-or-later OR MIT")),
    ("GPL-2+ with Font exception", Verdict(True, "GPL-2.0-or-later is DFSG-free",
                                           dep5="GPL-2.0-or-later WITH Font-exception-2.0")),
    ("public-domain", Verdict(False, "LicenseRef-public-domain is not known to be free", dep5="LicenseRef-public-domain")),
    # Spelled as SPDX spells it, up to case: no DEP-5 reading, no hint.
    ("BSD-3-clause", Verdict(True, "BSD-3-Clause is DFSG-free")),
    ("Apache-2.0", Verdict(True, "Apache-2.0 is DFSG-free")),
    # A DEP-5 name local to one copyright file has no SPDX form.
    ("BSD-3-Clause-with-ICOT-term", Verdict(False, "BSD-3-Clause-with-ICOT-term is not an SPDX licence identifier",
                                            ("BSD-3-Clause-with-ICOT-term",))),
])
def test_debian_licence_names_are_read_as_spdx(expression: str, verdict: Verdict) -> None:
    assert judge(expression) == verdict


ICOT = Recorded("LicenseRef-ICOT", True, "BSD-3-Clause with a no-warranty notice (DFSG 1, 3)")
CMU = Recorded("LicenseRef-CMU-flite", False, "a test verdict")


@pytest.mark.parametrize("expression, verdict", [
    ("LicenseRef-ICOT", Verdict(True, "LicenseRef-ICOT is DFSG-free by the recorded verdict: "
                                      "BSD-3-Clause with a no-warranty notice (DFSG 1, 3)", recorded=("LicenseRef-ICOT",))),
    ("licenseref-icot AND MIT", Verdict(True, "LicenseRef-ICOT is DFSG-free by the recorded verdict: "
                                              "BSD-3-Clause with a no-warranty notice (DFSG 1, 3); MIT is DFSG-free",
                                        recorded=("LicenseRef-ICOT",))),
    ("LicenseRef-CMU-flite OR LicenseRef-other", Verdict(
        False, "LicenseRef-CMU-flite is not DFSG-free by the recorded verdict: a test verdict; "
               "LicenseRef-other is not known to be free", recorded=("LicenseRef-CMU-flite",))),
    # The data files know this one: their judgement stands.
    ("LicenseRef-openrail", Verdict(
        False, "LicenseRef-openrail forbids fields of endeavour through its use restrictions (DFSG 6)")),
])
def test_recorded_verdicts(expression: str, verdict: Verdict) -> None:
    openrail = Recorded("LicenseRef-openrail", True, "wishful")
    assert judge(expression, (ICOT, CMU, openrail)) == verdict
    assert judge("LicenseRef-ICOT") == Verdict(False, "LicenseRef-ICOT is not known to be free")


def test_recorded_verdicts_from_a_licenses_list() -> None:
    entries = [{"Name": "LicenseRef-ICOT", "DFSG-Free": True, "Reason": "BSD-3-Clause with a no-warranty\n notice (DFSG 1, 3)"}]
    assert recorded_verdicts(entries) == (ICOT,)
    assert recorded_verdicts(None) == ()


@pytest.mark.parametrize("expression, error", [
    ("MIT OR", "OR requires two or more licenses as in: MIT OR BSD"),
    ("(MIT", "Invalid expression"),
    ("MIT)", 'Unbalanced parenthesis for token: ")" at position: 3'),
    ("MIT Apache-2.0", 'Invalid symbols sequence such as (A B) for token: "Apache-2.0" at position: 4'),
    ("", "empty expression"),
    ("Classpath-exception-2.0", "Classpath-exception-2.0 is a licence exception: it needs WITH"),
    ("MIT WITH Apache-2.0", "Apache-2.0 is a licence, not an exception"),
])
def test_parse_errors(expression: str, error: str) -> None:
    assert judge(expression) == Verdict(False, f"{expression!r} is not a valid SPDX expression", (), error)


@pytest.mark.parametrize("dep5, spdx", [
    ("Expat", "MIT"),
    ("GPL-2+ or Expat", "GPL-2.0-or-later OR MIT"),
    ("Apache-2.0 and CC-BY-4.0", "Apache-2.0 AND CC-BY-4.0"),
    ("GPL-3", "GPL-3.0-only"),
    ("GPL-3+", "GPL-3.0-or-later"),
    ("LGPL-2.1+", "LGPL-2.1-or-later"),
    ("gpl-2+ OR expat", "GPL-2.0-or-later OR MIT"),
    ("BSD-3-clause", "BSD-3-Clause"),
    ("CC-BY-SA-4.0", "CC-BY-SA-4.0"),
    ("public-domain", "LicenseRef-public-domain"),
    ("GFDL-NIV-1.3+", "GFDL-1.3-no-invariants-or-later"),
    ("GPL-2+ with Font exception", "GPL-2.0-or-later WITH Font-exception-2.0"),
    ("GPL-2+ or Artistic-2.0, and BSD-3-clause", "(GPL-2.0-or-later OR Artistic-2.0) AND BSD-3-Clause"),
    ("MIT, and BSD-3-clause or Expat", "MIT AND (BSD-3-Clause OR MIT)"),
])
def test_dep5_names(dep5: str, spdx: str) -> None:
    assert spdx_from_dep5(dep5) == spdx


@pytest.mark.parametrize("dep5", [
    "GPL-2+ with OpenSSL exception",  # SPDX has no such exception
    "NVIDIA-proprietary",  # a name local to one copyright file
    "Expat or",
    "MIT BSD-3-clause",
    "Apache-2.0+",  # DEP-5 "+" only where the licence has later versions to choose
    "GPL-2+, BSD-3-clause",
    "",
])
def test_dep5_names_without_spdx_form(dep5: str) -> None:
    assert spdx_from_dep5(dep5) is None


@pytest.mark.parametrize("a, b, same", [
    ("GPL-3+", "GPL-3.0-or-later", True),
    ("Expat", "MIT", True),
    ("GPL-2+ or Expat", "MIT OR GPL-2.0+", True),
    ("Apache-2.0 and CC-BY-4.0", "CC-BY-4.0 AND Apache-2.0", True),
    ("LicenseRef-x", "LicenseRef-x", True),
    ("GPL-2", "GPL-2.0-or-later", False),
    ("Expat", "BSD-3-Clause", False),
    ("MIT", "(MIT", False),
    ("NVIDIA-proprietary", "NVIDIA-proprietary", False),
])
def test_equivalence(a: str, b: str, same: bool) -> None:
    assert equivalent(a, b) is same


@pytest.mark.parametrize("license_id, name, link, spdx", [
    ("apache-2.0", None, None, "Apache-2.0"),
    ("MIT", None, None, "MIT"),
    ("cc-by-nc-4.0", None, None, "CC-BY-NC-4.0"),
    ("openrail", None, None, "LicenseRef-openrail"),
    ("openrail++", None, None, "LicenseRef-openrail-plusplus"),
    ("creativeml-openrail-m", None, None, "LicenseRef-creativeml-openrail-m"),
    ("bigscience-bloom-rail-1.0", None, None, "LicenseRef-bigscience-bloom-rail-1.0"),
    ("llama3.1", None, None, "LicenseRef-llama3.1"),
    ("gemma", None, None, "LicenseRef-gemma"),
    ("gpl-3.0", None, None, "GPL-3.0-only"),
    ("odc-by", None, None, "ODC-By-1.0"),
    ("unknown", None, None, "unknown"),
    ("bsd", None, None, None),  # a family: which BSD licence is not said
    ("cc", None, None, None),
    ("no-such-id", None, None, None),
    ("other", "deepseek", "LICENSE", "LicenseRef-deepseek"),
    ("other", "Tongyi Qianwen License Agreement", None, "LicenseRef-Tongyi-Qianwen-License-Agreement"),
    ("other", "---", None, None),
    ("other", None, "https://example.org/licence", None),
])
def test_hugging_face_ids(license_id: str, name: Optional[str], link: Optional[str], spdx: Optional[str]) -> None:
    assert spdx_from_model_card(license_id, name, link) == spdx


def test_class_entries_are_canonical_spdx_ids_and_free_ones_never_local() -> None:
    data = licences.knowledge()
    for key, kind in data.classes.items():
        if licences.LICENSE_REF.match(key):
            assert not kind.free, key
            continue
        symbol = licences.licensing().known_symbols.get(licences.parse(key).key)
        assert symbol is not None and not symbol.is_exception, key
        assert symbol.key.lower() == key, f"{key}: write it as {symbol.key}"


def test_every_mapped_name_is_valid_spdx_or_a_local_name() -> None:
    data = licences.knowledge()
    targets = [t for t in data.hugging_face.values() if t and t != "unknown"]
    targets += [t for pair in data.dep5.values() for t in pair if t]
    for target in targets:
        verdict = judge(target)
        assert verdict.error is None and verdict.unknown == (), target
        assert licences.LICENSE_REF.match(target) or licences.parse(target).key == target, target
    for exception in data.dep5_exceptions.values():
        assert licences.licensing().known_symbols[exception].is_exception


def test_broken_data_is_a_data_error(tmp_path) -> None:
    path = tmp_path / "licences.desc"
    path.write_text("Class: maybe\nReason: x\nLicenses: MIT\n", encoding="utf-8")
    with pytest.raises(DataError, match="unknown class 'maybe'"):
        licences.load(path)


def test_classified_identifiers_are_canonical_spdx_keys_or_licence_refs() -> None:
    """What lets an expression of classified licences skip the SPDX index:
    the grammar alone reads each of them as the index does."""
    from license_expression import get_license_index

    canonical = {e["spdx_license_key"] for e in get_license_index()
                 if e.get("spdx_license_key") and not e.get("is_deprecated")}
    names = licences.knowledge().identifiers
    assert names and all(n in canonical or licences.LICENSE_REF.match(n) for n in names)
    full = licences.licensing()
    for name in sorted(names):
        for expression in (name, f"({name} OR MIT) AND Apache-2.0", f"{name} and CC0-1.0"):
            fast = licences.parse(expression)
            assert fast == full.parse(expression, validate=False, strict=False), expression
            assert licences.unknown_keys(fast) == full.unknown_license_keys(fast)


def test_expressions_the_data_does_not_classify_use_the_index() -> None:
    """Deprecated names, other cases and exceptions are read by the index."""
    assert str(licences.parse("GPL-2.0+")) == "GPL-2.0-or-later"
    assert str(licences.parse("mit")) == "MIT"
    assert str(licences.parse("GPL-2.0-or-later WITH Classpath-exception-2.0")) == (
        "GPL-2.0-or-later WITH Classpath-exception-2.0")
    assert licences.unknown_keys(licences.parse("MIT AND Nonsense-1.0")) == ["Nonsense-1.0"]


def test_a_dep5_name_the_index_knows_reads_as_its_translation() -> None:
    """What lets a single DEP-5 name skip the SPDX index."""
    full = licences.licensing()
    for base, (exact, later) in licences.knowledge().dep5.items():
        for name, spdx in ((base, exact), (base + "+", later)):
            tree = full.parse(name, validate=False, strict=False)
            if spdx is not None and not full.unknown_license_keys(tree):
                assert str(tree) == spdx, name
    assert equivalent("GPL-3+", "GPL-3.0-or-later") and equivalent("Expat", "MIT")
