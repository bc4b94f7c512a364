import pytest

from modelcheck.relations import Alternative, parse_field


def names(value: str) -> list[list[str]]:
    return [[a.name for a in r.alternatives] for r in parse_field(value).relations]


def test_alternatives_arch_qualifiers_and_profiles() -> None:
    parsed = parse_field("a:any (>= 1) [amd64 !arm64] <!nocheck> <pkg.x.cuda cross>, b | c:native <pkg.x.cuda>")
    first, second = parsed.relations
    (a,) = first.alternatives
    assert (a.name, a.archqual, a.position) == ("a", "any", 0)
    assert a.arches == ((True, "amd64"), (False, "arm64"))
    assert a.profiles == (((False, "nocheck"),), ((True, "pkg.x.cuda"), (True, "cross")))
    assert a.restriction_text() == "[amd64 !arm64] <!nocheck> <pkg.x.cuda cross>"
    assert [(x.name, x.archqual, x.position) for x in second.alternatives] == [("b", None, 0), ("c", "native", 1)]
    assert parsed.malformed == ()


@pytest.mark.parametrize(
    "value, active",
    [
        ("a", True),
        ("a <!nocheck>", True),  # a negated profile holds in the default build
        ("a <!nocheck !nodoc>", True),
        ("a <pkg.x.cuda>", False),
        ("a <!nocheck pkg.x.cuda>", False),  # all terms of a group must hold
        ("a <pkg.x.cuda> <!nocheck>", True),  # any group may hold
        ("a [amd64]", True),
    ],
)
def test_active_by_default(value: str, active: bool) -> None:
    (relation,) = parse_field(value).relations
    assert relation.alternatives[0].active_by_default is active


def test_substvars_and_trailing_commas_are_not_malformed() -> None:
    parsed = parse_field("${misc:Depends}, a,\n b,\n")
    assert names("${misc:Depends}, a,\n b,\n") == [["a"], ["b"]]
    assert parsed.malformed == ()


def test_malformed_entries_are_reported_and_positions_kept() -> None:
    parsed = parse_field("a (>> 2, foo bar | nvidia-cuda-dev, ok")
    assert parsed.malformed == ("a (>> 2", "foo bar")
    assert [[(x.name, x.position) for x in r.alternatives] for r in parsed.relations] == [
        [("nvidia-cuda-dev", 1)],
        [("ok", 0)],
    ]


def test_parsing_logs_nothing(caplog: pytest.LogCaptureFixture) -> None:
    parse_field("a (>> 2")
    assert caplog.records == []


def test_alternative_is_a_value() -> None:
    assert Alternative("a", 0, None, (), ()) == Alternative("a", 0, None, (), ())
