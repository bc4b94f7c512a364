import os
import subprocess
import sys
from pathlib import Path

import pytest

from modelcheck.relation_fields import Alternative, parse_field

LIB = Path(__file__).resolve().parents[2] / "lib"


def names(value: str, field: str = "Depends") -> list[list[str]]:
    return [[a.name for a in r.alternatives] for r in parse_field(value, field).relations]


def test_alternatives_arch_qualifiers_and_profiles() -> None:
    parsed = parse_field(
        "a:any (>= 1) [amd64 !arm64] <!nocheck> <pkg.x.cuda cross>, b | c:native <pkg.x.cuda>", "Build-Depends"
    )
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
    (relation,) = parse_field(value, "Build-Depends").relations
    assert relation.alternatives[0].active_by_default is active


def test_substvars_in_binary_relations_are_relations() -> None:
    value = (
        "${misc:Depends}, ${shlibs:Depends},\n libfoo1 (= ${binary:Version}), foo-data (>= ${source:Version}),"
        "\n libcudart12 (>= ${cuda:Version}), libfoo${abi}-dev [${arch}], ${foo:Depends} | bar:${q},"
    )
    parsed = parse_field(value, "Depends")
    assert parsed.malformed == ()
    assert names(value) == [["libfoo1"], ["foo-data"], ["libcudart12"], ["libfoo${abi}-dev"], ["bar"]]
    (bar,) = parsed.relations[-1].alternatives
    assert (bar.position, bar.archqual) == (1, "${q}")  # after the variable that stands for relations
    assert parsed.relations[3].alternatives[0].arches == ((True, "${arch}"),)


def test_build_relations_take_a_substvar_only_in_a_version() -> None:
    """dpkg-source and dpkg-checkbuilddeps do not expand variables."""
    parsed = parse_field(
        "debhelper-compat (= 13), libcudart12 (>= ${cuda:Version}) <pkg.toy.cuda>, ${misc:Depends}, "
        "libfoo${abi}-dev, bar [${arch}]",
        "Build-Depends",
    )
    assert names("debhelper-compat (= 13), libcudart12 (>= ${cuda:Version}) <pkg.toy.cuda>", "Build-Depends") == [
        ["debhelper-compat"], ["libcudart12"]
    ]
    assert [[a.name for a in r.alternatives] for r in parsed.relations] == [["debhelper-compat"], ["libcudart12"]]
    assert parsed.malformed == ("${misc:Depends}", "libfoo${abi}-dev", "bar [${arch}]")


def test_text_that_looks_like_the_placeholder_is_kept() -> None:
    assert names("substvar0substvar, x${a}") == [["substvar0substvar"], ["x${a}"]]


def test_empty_entries_are_ignored_but_not_an_empty_first_alternative() -> None:
    assert names(", a,,\n b,\n") == [["a"], ["b"]]
    assert names("a | , b |") == [["a"], ["b"]]
    assert parse_field("| a, b || c, d", "Depends").malformed == ("| a", "b | | c")
    assert names("| a, b || c, d") == [["d"]]


def test_malformed_entries_are_reported_and_positions_kept() -> None:
    parsed = parse_field("a (>> 2, foo bar | nvidia-cuda-dev, ok,\n x (== 1), y:native, z [!]", "Depends")
    assert parsed.malformed == ("a (>> 2", "foo bar", "x (== 1)", "y:native", "z [!]")
    assert [[(x.name, x.position) for x in r.alternatives] for r in parsed.relations] == [
        [("nvidia-cuda-dev", 1)],
        [("ok", 0)],
    ]


def test_an_empty_architecture_list_is_malformed_not_a_crash() -> None:
    parsed = parse_field("libcudnn9-dev [ ] | b, c", "Build-Depends")
    assert parsed.malformed == ("libcudnn9-dev [ ]",)
    assert names("libcudnn9-dev [ ] | b, c", "Build-Depends") == [["b"], ["c"]]


def test_parsing_prints_nothing() -> None:
    """PkgRelation logs what it cannot parse; a command must not show it."""
    code = "from modelcheck.relation_fields import parse_field; print(parse_field('a (>> 2, b_c', 'Depends').malformed)"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONPATH": str(LIB)})
    assert (run.stdout, run.stderr) == ("('a (>> 2', 'b_c')\n", "")


def test_alternative_is_a_value() -> None:
    assert Alternative("a", 0, None, (), ()) == Alternative("a", 0, None, (), ())


# -- dpkg as the oracle -------------------------------------------------------

# dpkg-gencontrol expands variables in binary relations first, undefined ones
# to nothing; these are the values the oracle expands them to.
ORACLE = r"""
use strict; use warnings;
use Dpkg::Deps; use Dpkg::Substvars; use Dpkg::ErrorHandling;
report_options(quiet_warnings => 1);
my $substvars = Dpkg::Substvars->new();
$substvars->set("binary:Version", "1.0-1");
$substvars->set("source:Version", "1.0-1");
$substvars->set("shlibs:Depends", "libc6 (>= 2.36), libgcc-s1 (>= 3.0)");
$substvars->set("cuda:Version", "12.4");
$substvars->set("abi", "2");
$substvars->set("arch", "amd64 arm64");
binmode STDIN, ":encoding(UTF-8)";
while (my $line = <STDIN>) {
    chomp $line;
    my ($kind, $value) = split /\t/, $line, 2;
    $value =~ s/\\n/\n/g;
    $value = $substvars->substvars($value) if $kind eq "binary";
    my $deps = eval { deps_parse($value, build_dep => $kind eq "build" ? 1 : 0) };
    print defined $deps ? "accepted\n" : "rejected\n";
}
"""

CORPUS = [
    "libfoo1 (= ${binary:Version}), ${misc:Depends}, ${shlibs:Depends}",
    "foo-data (>= ${source:Version}), libcudart12 (>= ${cuda:Version})",
    "libfoo${abi}-dev",
    "foo [${arch}]",
    "foo:${abi}",
    "foo (<< ${cuda:Version} )",
    "foo (>= ${cuda:Version}",
    "${undefined:Depends}, a", "${not_a_substvar}, a", "foo (>= ${no substvar})",
    "a, , b,", ", a", "a |", "| a", "a || b", "a | | b",
    "foo bar", "foo_bar", "-foo", "Foo", "f", "a.b+c-d", "1",
    "foo (>> 2", "foo (>> 2))", "foo (>= 1.0 2.0)", "foo (>= 1) (<< 2)",
    "foo (=> 1)", "foo (== 1)", "foo (<> 1)", "foo (> 1)", "foo (< 1)", "foo(>=1)", "foo ( >= 1 )",
    "foo (>= 1:2.3-4~5+6)", "foo (>= ~)",
    "foo:any", "foo:native", "foo:", "foo:-x",
    "foo [amd64", "foo []", "foo [!]", "foo [a,b]", "foo [amd64_x]", "foo [ amd64 ]",
    "foo [!amd64 i386]", "foo [any-amd64 linux-any]", "foo [amd64] [i386]",
    "foo <!nocheck> <cross>", "foo < !nocheck >", "foo <>", "foo <!nocheck", "foo <a> [amd64]",
    "foo [amd64] <!nocheck>", "foo <a b,c>", "foo <!${profile}>",
    "a (>= 1) [amd64] <!nocheck>,\n b | c:any (<< 2)",
]
# Where PkgRelation is stricter than Dpkg::Deps (see relation_fields.py).
DIFFERENT = ["foo (>= 1_0)", "foo (>= )", "foo [ ]"]


@pytest.fixture(scope="module")
def dpkg_verdicts() -> dict[tuple[str, str], bool]:
    cases = [(kind, value) for value in CORPUS + DIFFERENT for kind in ("build", "binary")]
    # One case a line: newlines inside a value are written as \n.
    stdin = "".join(kind + "\t" + value.replace("\n", "\\n") + "\n" for kind, value in cases)
    run = subprocess.run(["perl", "-e", ORACLE], input=stdin, capture_output=True, text=True, check=True)
    return {case: verdict == "rejected" for case, verdict in zip(cases, run.stdout.split())}


@pytest.mark.parametrize("kind", ["build", "binary"])
@pytest.mark.parametrize("value", CORPUS)
def test_malformed_exactly_where_dpkg_rejects(dpkg_verdicts: dict, kind: str, value: str) -> None:
    field = "Build-Depends" if kind == "build" else "Depends"
    assert bool(parse_field(value, field).malformed) == dpkg_verdicts[kind, value]


@pytest.mark.parametrize("value", DIFFERENT)
def test_documented_differences_with_dpkg(dpkg_verdicts: dict, value: str) -> None:
    assert parse_field(value, "Build-Depends").malformed == (value,)
    assert not dpkg_verdicts["build", value]
