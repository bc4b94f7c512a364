from pathlib import Path

import pytest

from modelcheck.control import area_of_section, load_control, parse_control
from modelcheck.errors import UnusableInput

GOOD = """\
# a comment
Source: toy
Section: contrib/science
Build-Depends: debhelper-compat (= 13),
# between continuation lines
 nvidia-cuda-toolkit,

Package: toy
Depends: libcudart12
"""


def test_fields_lines_and_area() -> None:
    control = parse_control(GOOD)
    assert control.source_name == "toy"
    assert control.area.name == "contrib"
    assert control.source.line_of("build-depends") == 4
    assert control.source.line_of("Build-Depends", "nvidia-cuda-toolkit") == 6
    assert control.binaries[0].line_of("Depends") == 9
    assert control.source.get("Build-Depends") == "debhelper-compat (= 13),\n nvidia-cuda-toolkit,"


@pytest.mark.parametrize(
    "section, area, declared",
    [
        (None, "main", None),
        ("science", "main", None),
        ("contrib/science", "contrib", None),
        ("non-free/libs", "non-free", None),
        ("non-free-firmware/kernel", "non-free-firmware", None),
        ("restricted/science", "main", "restricted"),
    ],
)
def test_area_of_section(section, area, declared) -> None:
    assert area_of_section(section).name == area
    assert area_of_section(section).declared == declared


@pytest.mark.parametrize(
    "text, message",
    [
        ("Source: a\nthis is garbage\n\nPackage: b\n", "debian/control: malformed: "),
        ("Source: a\nSource: b\n\nPackage: b\n", "debian/control: malformed: Duplicate field"),
        ("Package: b\n", "debian/control: the first paragraph has no Source field"),
        ("Source: a\n", "debian/control: no binary package paragraph"),
        ("Source: a\n\nArchitecture: all\n", "debian/control:3: paragraph without a Package field"),
        ("", "debian/control: the first paragraph has no Source field"),
    ],
)
def test_malformed_control_is_unusable(text: str, message: str) -> None:
    with pytest.raises(UnusableInput) as raised:
        parse_control(text)
    assert str(raised.value).startswith(message)


@pytest.mark.parametrize(
    "content, message",
    [
        (None, "debian/control: no such file"),
        (b"Source: a\0\n", "debian/control: binary data (NUL byte)"),
        (b"Source: \xff\xfe\n", "debian/control: not UTF-8 (byte 8)"),
        (b"x" * (4 * 1024 * 1024 + 1), "debian/control: larger than 4194304 bytes"),
    ],
)
def test_unreadable_control_is_unusable(tmp_path: Path, content, message: str) -> None:
    (tmp_path / "debian").mkdir()
    if content is not None:
        (tmp_path / "debian" / "control").write_bytes(content)
    with pytest.raises(UnusableInput) as raised:
        load_control(tmp_path)
    assert str(raised.value) == message


def test_control_that_is_a_directory(tmp_path: Path) -> None:
    (tmp_path / "debian" / "control").mkdir(parents=True)
    with pytest.raises(UnusableInput, match="^debian/control: is a directory$"):
        load_control(tmp_path)
