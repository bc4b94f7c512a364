"""The import direction: inputs -> checks -> runners -> report -> front ends.
Nothing imports a module of a layer above its own, whether at the top of a
module, inside a function (a lazy import) or for type checking only.  A
module that is in no layer fails the test: place it when adding it."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Iterator

from conftest import REPO

LIB = REPO / "lib" / "modelcheck"

# Bottom to top; a name covers the module and, for a package, its modules.
LAYERS: tuple[tuple[str, ...], ...] = (
    # what everything may use
    ("modelcheck", "errors", "safeio", "datafile", "wildcards"),
    # inputs and the knowledge to judge them, the Finding type and catalog
    ("findings", "ownership", "accelerators", "licences", "profiles", "hashing", "signatures", "discover",
     "formats", "relation_fields", "relation_judgement", "control", "provenance_file", "schema", "model_card",
     "model_classes", "source", "overrides", "indices", "prefilter", "index_judgement", "pickles"),
    # the check families
    ("checks",),
    # what runs checks or judgements over inputs
    ("engine", "archive", "export", "census"),
    # pure formatters
    ("report",),
    # the front ends
    ("options", "cli", "dh", "dh_install", "progress", "authoring", "__main__"),
)


def layer_of(module: str) -> int:
    """The layer of 'modelcheck.X.Y' (or of the package itself)."""
    parts = module.split(".")
    name = parts[1] if len(parts) > 1 else parts[0]
    for number, names in enumerate(LAYERS):
        if name in names:
            return number
    raise AssertionError(f"{module} is in no layer of {__name__}.LAYERS")


def module_name(path: Path) -> str:
    parts = path.relative_to(LIB.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: Path) -> Iterator[tuple[int, str]]:
    """(line, absolute module name) of each modelcheck import in a file."""
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, a.name) for a in node.names if a.name.split(".")[0] == "modelcheck")
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            elif (node.module or "").split(".")[0] == "modelcheck":
                target = node.module or ""
            else:
                continue
            # 'from . import x' names modules when x is one.
            names = [f"{target}.{a.name}" for a in node.names]
            yield from ((node.lineno, n if _is_module(n) else target) for n in names)


def _is_module(name: str) -> bool:
    path = LIB.parent.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def test_no_module_imports_from_a_layer_above_its_own() -> None:
    upward = [
        f"{path.relative_to(REPO)}:{line}: {module_name(path)} imports {target}"
        for path in sorted(LIB.rglob("*.py"))
        for line, target in imported(path)
        if layer_of(target) > layer_of(module_name(path))
    ]
    assert upward == []


def test_the_layer_test_sees_lazy_and_relative_imports() -> None:
    """It would pass vacuously if it missed the imports it is about."""
    found = {target for line, target in imported(LIB / "cli.py")}
    assert {"modelcheck.engine", "modelcheck.archive", "modelcheck.progress"} <= found
    assert {"modelcheck.engine"} <= {t for _, t in imported(LIB / "dh_install.py")}
