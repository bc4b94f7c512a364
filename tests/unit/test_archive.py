"""modelcheck scan-archive on small hand-written Sources and Packages indices."""

from __future__ import annotations

import gzip
import io
import lzma
from pathlib import Path

import pytest

from modelcheck.archive import scan_archive
from modelcheck.index_judgement import make_rules
from modelcheck.prefilter import Prefilter
from modelcheck.report import text_line

# Line numbers matter: each stanza's first line is in the comment beside it.
SOURCES = """\
Package: cuda-first
Version: 1.0-1
Section: science
Build-Depends: debhelper-compat (= 13), nvidia-cuda-toolkit [amd64] | libopenblas-dev

Package: later-alternative
Version: 2.0-1
Section: science
Build-Depends: libdnnl-dev | libcudnn9-dev-cuda-12,
 libopenblas-dev
Build-Depends-Indep: python3-sphinx

Package: profiles
Version: 3~rc1-2
Section: libs
Build-Depends: libnccl-dev:native <!nocheck>, libcufft11 <pkg.profiles.cuda>
Build-Depends-Arch: libmkl-dev [amd64 i386]
Build-Depends-Indep: intel-mkl-full <!nodoc>

Package: contrib-cuda
Version: 4
Section: contrib/science
Build-Depends: nvidia-cuda-toolkit-gcc, libcudart12

Package: non-free-mkl
Version: 5
Section: non-free/math
Build-Depends: libmkl-rt

Package: firmware
Version: 6
Section: non-free-firmware/kernel
Build-Depends: nvidia-smi

Package: lookalikes
Version: 7
Build-Depends: libcub-dev, libthrust-dev, nvtop, mklibs, libcudacxx (>= 1.0), cuda-mode
Build-Depends-Arch: foo-libcudart12, xlibcublas

Package: restricted
Version: 8
Section: restricted/science
Build-Depends: libnvinfer-dev
"""

EXPECTED = [
    ("cuda-first", "1.0-1", "main", "E: cuda-first source: build-depends-on-proprietary-accelerator "
     "nvidia-cuda-toolkit (Build-Depends [amd64]; stack cuda; free alternative: {cuda}) [{file}:1]"),
    ("later-alternative", "2.0-1", "main", "W: later-alternative source: build-depends-on-proprietary-accelerator "
     "libcudnn9-dev-cuda-12 (Build-Depends, alternative 2; stack cudnn; free alternative: {cudnn}) [{file}:6]"),
    ("profiles", "3~rc1-2", "main", "E: profiles source: build-depends-on-proprietary-accelerator "
     "libnccl-dev (Build-Depends <!nocheck>; stack nccl; free alternative: {nccl}) [{file}:13]"),
    ("profiles", "3~rc1-2", "main", "W: profiles source: build-depends-on-proprietary-accelerator "
     "libcufft11 (Build-Depends <pkg.profiles.cuda>; stack cuda; free alternative: {cuda}) [{file}:13]"),
    ("profiles", "3~rc1-2", "main", "E: profiles source: build-depends-on-proprietary-accelerator "
     "libmkl-dev (Build-Depends-Arch [amd64 i386]; stack mkl; free alternative: {mkl}) [{file}:13]"),
    ("profiles", "3~rc1-2", "main", "E: profiles source: build-depends-on-proprietary-accelerator "
     "intel-mkl-full (Build-Depends-Indep <!nodoc>; stack mkl; free alternative: {mkl}) [{file}:13]"),
    ("contrib-cuda", "4", "contrib", "I: contrib-cuda source: build-depends-on-proprietary-accelerator "
     "nvidia-cuda-toolkit-gcc (Build-Depends; stack cuda; free alternative: {cuda}) [{file}:20]"),
    ("contrib-cuda", "4", "contrib", "I: contrib-cuda source: build-depends-on-proprietary-accelerator "
     "libcudart12 (Build-Depends; stack cuda; free alternative: {cuda}) [{file}:20]"),
    ("non-free-mkl", "5", "non-free", "I: non-free-mkl source: build-depends-on-proprietary-accelerator "
     "libmkl-rt (Build-Depends; stack mkl; free alternative: {mkl}) [{file}:25]"),
    ("firmware", "6", "non-free-firmware", "I: firmware source: build-depends-on-proprietary-accelerator "
     "nvidia-smi (Build-Depends; stack nvml; free alternative: {nvml}) [{file}:30]"),
    ("restricted", "8", "main", "W: restricted source: unknown-archive-area restricted "
     "(Section: restricted/science) [{file}:40]"),
    ("restricted", "8", "main", "E: restricted source: build-depends-on-proprietary-accelerator "
     "libnvinfer-dev (Build-Depends; stack tensorrt; free alternative: {tensorrt}) [{file}:40]"),
]


@pytest.fixture(scope="module")
def alt() -> dict[str, str]:
    from modelcheck.accelerators import default_accelerators

    return {s.id: s.alternatives for s in default_accelerators().stacks}


def lines(names: list[str], **kwargs) -> list[tuple[str, str | None, str, str]]:
    scan = scan_archive(names, **kwargs)
    assert scan.errors == []
    return [(f.finding.package, f.version, f.area, text_line(f.finding)) for f in scan.findings]


def expected(alt: dict[str, str], file: str) -> list[tuple[str, str, str, str]]:
    return [(p, v, a, line.format(file=file, **alt)) for p, v, a, line in EXPECTED]


def write(path: Path, text: str | bytes) -> str:
    data = text.encode() if isinstance(text, str) else text
    opener = {".gz": gzip.compress, ".xz": lzma.compress}.get(path.suffix, bytes)
    path.write_bytes(opener(data))
    return str(path)


def test_every_situation_with_its_severity_area_and_line(tmp_path: Path, alt) -> None:
    name = write(tmp_path / "Sources", SOURCES)
    assert lines([name]) == expected(alt, name)


@pytest.mark.parametrize("suffix", [".gz", ".xz"])
def test_compressed_inputs_read_like_plain_ones(tmp_path: Path, alt, suffix: str) -> None:
    name = write(tmp_path / f"Sources{suffix}", SOURCES)
    assert lines([name]) == expected(alt, name)


def test_standard_input(alt) -> None:
    stdin = io.BytesIO(gzip.compress(SOURCES.encode()))
    assert lines(["-"], stdin=stdin) == expected(alt, "-")


def test_prefilter_and_full_parse_agree_on_the_fixture(tmp_path: Path) -> None:
    name = write(tmp_path / "Sources", SOURCES)
    assert scan_archive([name]) == scan_archive([name], judge_all=True)


PACKAGES_MAIN = """\
Package: libfree-dev
Section: libdevel

Package: libvirtual-impl
Section: libs
Provides: libvirtual-dev (= 1), libboth-dev
"""

PACKAGES_CONTRIB = """\
Package: libcontrib-dev
Section: contrib/libdevel

Package: libboth-dev
Section: contrib/libdevel

Package: contrib-tool
Section: contrib/utils
Provides: virtual-contrib-tool
"""

PACKAGES_NON_FREE = """\
Package: libcontrib-dev
Section: non-free/libdevel

Package: nvidia-cuda-toolkit
Section: non-free/devel
"""

NON_MAIN_SOURCES = """\
Package: needs-contrib
Version: 1
Section: science
Build-Depends: libfree-dev, libcontrib-dev (>= 2), virtual-contrib-tool <pkg.x.tool>,
 libfree-dev | contrib-tool, libboth-dev, libvirtual-dev, nvidia-cuda-toolkit, unknown-dev

Package: contrib-needs-contrib
Version: 2
Section: contrib/science
Build-Depends: libcontrib-dev
"""


def test_non_main_packages_from_packages_indices(tmp_path: Path) -> None:
    packages = [write(tmp_path / f"{area}_Packages", text) for area, text in
                [("main", PACKAGES_MAIN), ("contrib", PACKAGES_CONTRIB), ("non-free", PACKAGES_NON_FREE)]]
    name = write(tmp_path / "Sources", NON_MAIN_SOURCES)
    found = [(letter, tag, context) for _, _, _, line in lines([name], packages=packages)
             for letter, _, _, tag, context in [line.split(" ", 4)]]
    assert [(letter, tag, context.split(";")[0]) for letter, tag, context in found] == [
        ("E:", "build-depends-on-proprietary-accelerator", "nvidia-cuda-toolkit (Build-Depends"),
        ("E:", "build-depends-on-non-main-package", "libcontrib-dev (Build-Depends"),
        ("W:", "build-depends-on-non-main-package", "virtual-contrib-tool (Build-Depends <pkg.x.tool>"),
    ]
    assert found[1][2].endswith("; only in contrib and non-free) [{}:1]".format(name))
    assert scan_archive([name], packages) == scan_archive([name], packages, judge_all=True)


BROKEN = b"""\
Package: garbage-hides-a-field
Version: 1
this line is no field
Build-Depends: libcudart12

Package: duplicated
Version: 2
Build-Depends: debhelper
Build-Depends: libnccl-dev

Version: 3
Build-Depends: libnvinfer-dev

Package: bad-utf8
Version: 4
Section: contrib/sci\xe9nce
Build-Depends: libmkl-dev (>= 1) | libcudnn-dev (>> \xff

Package: bad-relation
Version: 5
Build-Depends: debhelper-compat (= 13), nvidia-cuda-dev (>> 2, foo (<< 3

Package: fine
Version: 6
Build-Depends: libnpp-dev
"""


def test_broken_stanzas_give_findings_and_the_scan_goes_on(tmp_path: Path) -> None:
    name = write(tmp_path / "Sources", BROKEN)
    scan = scan_archive([name])
    assert scan.errors == []
    assert [(f.finding.package, f.finding.severity.letter, f.finding.tag, f.finding.context.split(";")[0],
             f.finding.line) for f in scan.findings] == [
        ("garbage-hides-a-field", "E", "malformed-index-stanza", "stanza (a line that is not a field)", 1),
        ("garbage-hides-a-field", "E", "build-depends-on-proprietary-accelerator", "libcudart12 (Build-Depends", 1),
        ("duplicated", "E", "malformed-index-stanza", "stanza (a duplicated field)", 6),
        ("duplicated", "E", "build-depends-on-proprietary-accelerator", "libnccl-dev (Build-Depends", 6),
        ("", "E", "malformed-index-stanza", "stanza (no Package field)", 11),
        ("", "E", "build-depends-on-proprietary-accelerator", "libnvinfer-dev (Build-Depends", 11),
        ("bad-utf8", "E", "malformed-index-stanza", "Section (not UTF-8)", 14),
        ("bad-utf8", "E", "malformed-index-stanza", "Build-Depends (not UTF-8)", 14),
        ("bad-utf8", "E", "malformed-relation", "libcudnn-dev (>> \ufffd (Build-Depends)", 14),
        ("bad-utf8", "I", "build-depends-on-proprietary-accelerator", "libmkl-dev (Build-Depends", 14),
        ("bad-relation", "E", "malformed-relation", "nvidia-cuda-dev (>> 2 (Build-Depends)", 19),
        ("fine", "E", "build-depends-on-proprietary-accelerator", "libnpp-dev (Build-Depends", 23),
    ]
    assert scan == scan_archive([name], judge_all=True)


SUBSTVARS = """\
Package: versioned
Version: 1
Build-Depends: debhelper-compat (= 13), libcudnn9-dev (>= ${cudnn:Version}),

Package: expanded-nowhere
Version: 2
Build-Depends: ${misc:Depends}, libcudart${cuda:Abi}, libfoo
"""


def test_substvars_in_build_relations_as_dpkg_source_reads_them(tmp_path: Path) -> None:
    """A substvar version is a version; anywhere else dpkg-source rejects it,
    and the scan reports it where an accelerator name may hide."""
    name = write(tmp_path / "Sources", SUBSTVARS)
    scan = scan_archive([name])
    assert [(f.finding.package, f.finding.severity.letter, f.finding.tag, f.finding.context.split(";")[0],
             f.finding.line) for f in scan.findings] == [
        ("versioned", "E", "build-depends-on-proprietary-accelerator", "libcudnn9-dev (Build-Depends", 1),
        ("expanded-nowhere", "E", "malformed-relation", "libcudart${cuda:Abi} (Build-Depends)", 5),
    ]
    assert scan == scan_archive([name], judge_all=True)


@pytest.mark.parametrize("suffix", [".xz", ".gz"])
@pytest.mark.parametrize("share", [0.1, 0.5, 0.9])
def test_truncated_input_is_one_error_and_the_next_file_is_scanned(tmp_path: Path, suffix: str, share: float) -> None:
    broken = tmp_path / f"broken{suffix}"
    data = Path(write(broken, (SOURCES + "\n") * 3)).read_bytes()
    broken.write_bytes(data[: int(len(data) * share)])
    good = write(tmp_path / "Sources", SOURCES)
    scan = scan_archive([str(broken), "/nonexistent", good])
    assert [str(e).split(":")[0] for e in scan.errors] == [str(broken), "/nonexistent"]
    assert str(scan.errors[1]) == "/nonexistent: no such file"
    assert "unreadable " in str(scan.errors[0])
    assert [f.finding.file for f in scan.findings][-len(EXPECTED):] == [good] * len(EXPECTED)


def test_truncation_names_the_last_good_stanza(tmp_path: Path) -> None:
    data = gzip.compress((SOURCES * 40).encode())
    broken = tmp_path / "Sources.gz"
    broken.write_bytes(data[: len(data) // 2])
    (error,) = scan_archive([str(broken)]).errors
    assert f"{broken}: unreadable after stanza " in str(error)
    assert "(Package: " in str(error)


def test_lz4_is_refused_in_one_line(tmp_path: Path) -> None:
    name = write(tmp_path / "Sources.lz4", b"\x04\x22\x4d\x18rest")
    (error,) = scan_archive([name]).errors
    assert str(error) == f"{name}: lz4-compressed; decompress it, or use gzip, bzip2, xz or zstd"


@pytest.mark.parametrize("compress", ["bz2", "zstd"])
def test_bzip2_and_zstd_inputs_read_as_plain(tmp_path: Path, alt, compress: str) -> None:
    if compress == "bz2":
        import bz2

        data = bz2.compress(SOURCES.encode())
    else:
        import zstandard

        data = zstandard.ZstdCompressor().compress(SOURCES.encode())
    name = tmp_path / f"Sources.{compress}"
    name.write_bytes(data)
    assert lines([str(name)]) == expected(alt, str(name))


def test_a_cut_off_last_stanza_is_reported_not_judged_as_main(tmp_path: Path) -> None:
    """A stanza cut before its Section would read as main: its contrib
    build-dependency would be a false error.  It is named, never judged."""
    text = "Package: whole\nVersion: 1\nBuild-Depends: debhelper\n\nPackage: cut\nBuild-Depends: nvidia-cuda-toolkit\nSec"
    data = gzip.compress(text.encode() + b"tion: contrib/science\n")
    broken = tmp_path / "Sources.gz"
    broken.write_bytes(data[:-12])  # the gzip trailer and the last bytes of text
    scan = scan_archive([str(broken)])
    assert scan.findings == [] and scan.stanzas == 1
    assert [str(e) for e in scan.errors] == [
        f"{broken}: unreadable after stanza 1 (Package: whole): gzip data truncated; "
        "stanza 2 (Package: cut) is cut off, not judged"
    ]
    plain = tmp_path / "Sources"
    plain.write_text(text.removesuffix("\nSec") + ", libfo", encoding="utf-8")
    scan = scan_archive([str(plain)])
    assert scan.findings == [] and [str(e) for e in scan.errors] == [
        f"{plain}: unreadable after stanza 1 (Package: whole): text ends inside a line; "
        "stanza 2 (Package: cut) is cut off, not judged"
    ]


def test_prefilter_admits_every_name_the_data_matches() -> None:
    """Soundness, name by name: exact names, and names made from each glob."""
    rules = make_rules({"non-main-tool": ("contrib",)})
    names = ["non-main-tool"] + [n for s in rules.accelerators.stacks for n in s.packages]
    for stack in rules.accelerators.stacks:
        names += [g.replace("*", "x9").replace("?", "q").replace("[0-9]", "7") for g in stack.patterns]
    assert all(rules.accelerators.match(n) or n == "non-main-tool" for n in names)
    for name in names:
        for text in (name, f"a, {name}", f"a |\n  {name} (>= 1)", f"a,{name}:any"):
            assert rules.prefilter.may_name(text), text


@pytest.mark.parametrize(
    "globs, text, found",
    [
        (["*-cuda"], "libfoo-cuda", True),  # no literal prefix: looked for anywhere
        (["*"], "anything", True),  # no literal at all: every stanza
        (["lib[0-9]x*"], "lib7xy", True),
        (["libx*"], "alibx", False),  # names start after a separator
    ],
)
def test_prefilter_for_awkward_globs(globs: list[str], text: str, found: bool) -> None:
    assert Prefilter([], globs).may_name(text) is found


def test_concatenated_gzip_members_are_all_read(tmp_path: Path) -> None:
    first, second = SOURCES.split("\nPackage: contrib-cuda\n")
    name = tmp_path / "Sources.gz"
    name.write_bytes(gzip.compress(first.encode() + b"\n") + gzip.compress(b"Package: contrib-cuda\n" + second.encode()))
    assert len(scan_archive([str(name)]).findings) == len(EXPECTED)


# -- the prefilter against the full parse, on a large generated index ----------

VOCABULARY = [
    "debhelper-compat (= 13)", "libc6-dev", "libcurl4-openssl-dev", "python3-all", "libcub-dev", "nvtop",
    "libcudacxx", "mklibs", "libnvidia-egl-wayland1", "ocl-icd-opencl-dev", "cuda-mode", "xlibcudart12",
    "libcontrib-dev", "virtual-contrib-tool", "libboth-dev", "libvirtual-dev",
]


def judged_names(rules) -> list[str]:
    names = []
    for stack in rules.accelerators.stacks:
        names += sorted(stack.packages)
        names += [g.replace("*", "-dev").replace("?", "x").replace("[0-9]", "4") for g in stack.patterns]
    return names


def generated_relation(rng, names: list[str]) -> str:
    """Mostly free names, so that most stanzas are not candidates."""
    alternatives = []
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        name = rng.choice(names) if rng.random() < 0.02 else rng.choice(VOCABULARY)
        text = name + rng.choice(["", ":any", ":native"]) + rng.choice(["", " (>= 1.0)", "(<< 2)"])
        text += rng.choice(["", "", " [amd64]", " [!arm64 i386]"])
        text += rng.choice(["", "", " <!nocheck>", " <pkg.x.cuda>", " <!nodoc> <cross>"])
        alternatives.append(text)
    relation = rng.choice([" | ", "|", " |\n  "]).join(alternatives)
    return relation if rng.random() > 0.01 else relation + " (>> broken"


def generated_index(seed: int, stanzas: int, rules) -> str:
    import random

    rng = random.Random(seed)
    names = judged_names(rules)
    out = []
    for number in range(stanzas):
        section = rng.choice(["science", "libs", "contrib/science", "non-free/libs", "non-free-firmware/kernel",
                             "restricted/science"])
        lines = [f"Package: src{number}", f"Version: {number}-1", f"Section: {section}"]
        for field in ("Build-Depends", "Build-Depends-Arch", "Build-Depends-Indep"):
            if rng.random() < 0.6:
                relations = [generated_relation(rng, names) for _ in range(rng.randint(1, 6))]
                lines.append(f"{field}: " + rng.choice([", ", ",\n ", ","]).join(relations))
        out.append("\n".join(lines) + "\n")
    return "\n".join(out)


def test_fast_path_and_full_parse_agree_on_a_large_generated_index(tmp_path: Path) -> None:
    packages = [write(tmp_path / f"{area}_Packages", text) for area, text in
                [("main", PACKAGES_MAIN), ("contrib", PACKAGES_CONTRIB), ("non-free", PACKAGES_NON_FREE)]]
    rules = make_rules({})
    name = write(tmp_path / "Sources.xz", generated_index(5, 2000, rules))
    fast = scan_archive([name], packages)
    full = scan_archive([name], packages, judge_all=True)
    assert fast.stanzas == full.stanzas == 2000
    assert fast == full
    tags = {(f.finding.tag, f.finding.severity.label) for f in fast.findings}
    assert len(tags) == 7, tags
    # The prefilter had work to do: most stanzas name no judged package.
    judged = {f.finding.package for f in fast.findings if f.finding.tag != "unknown-archive-area"}
    assert 100 < len(judged) < 1000
