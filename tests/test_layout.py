"""The layout of ``kg/``: stage packages that import only downwards, and modules of one job.

The stages run read → extract → rdf → store → views → build → cli, with three packages that
use a built graph placed among them (diff after rdf; ask and serve after views). A module
may import its own stage, a lower one, and the shared modules at the top of ``kg/``; an
import of a higher stage, even one only for type checking or inside a function, fails here.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

import pytest

import kg

KG = Path(kg.__file__).parent

# The order of the stages; a module may import a stage at its own rank or below.
STAGES = ("read", "extract", "rdf", "diff", "store", "views", "ask", "serve", "build", "cli")
RANK = {stage: i + 1 for i, stage in enumerate(STAGES)}
# Records, errors, the vocabulary, the packaged data and the did-you-mean helper: every
# stage uses them, and they use no stage.
SHARED = ("errors", "model", "namespaces", "resources", "fuzzy", "ontology", "queries", "static")
# `kg/__init__.py` is the public API: it may gather from every stage.
API_RANK = len(STAGES) + 1

# Modules that may still pass ~500 lines, each with the reason; the list may only shrink.
LONG_MODULES: dict[str, str] = {}
MAX_LINES = 520


def _modules() -> list[str]:
    names = ["kg"]
    for info in pkgutil.walk_packages(kg.__path__, "kg."):
        if not info.name.endswith("__main__"):
            names.append(info.name)
    return sorted(names)


def _file(name: str) -> Path:
    module = importlib.import_module(name)
    assert module.__file__ is not None
    return Path(module.__file__)


def _rank(name: str) -> int:
    parts = name.split(".")
    if name == "kg":
        return API_RANK
    if parts[1] in SHARED:
        return 0
    assert parts[1] in RANK, f"{name} is in no stage; add its package to STAGES or SHARED"
    return RANK[parts[1]]


def _imports(name: str) -> set[str]:
    """Every kg module ``name`` imports, at the top, in a function or for type checking."""
    path = _file(name)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                found.add(sub if sub in MODULES else target)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {m for m in found if m == "kg" or m.startswith("kg.")}


MODULES = _modules()


def test_every_module_imports() -> None:
    assert len(MODULES) > 60
    for name in MODULES:
        importlib.import_module(name)


def test_the_top_of_kg_holds_only_stages_and_shared_modules() -> None:
    entries = {
        p.stem for p in KG.iterdir() if not p.name.startswith(("_", ".")) and p.name != "py.typed"
    }
    assert entries == set(STAGES) | set(SHARED)


def _upward(name: str, targets: set[str]) -> list[str]:
    rank = _rank(name)
    return sorted(
        f"{name} (stage {rank}) imports {target} (stage {_rank(target)})"
        for target in targets
        if _rank(target) > rank
    )


@pytest.mark.parametrize("name", MODULES)
def test_no_module_imports_a_higher_stage(name: str) -> None:
    assert not _upward(name, _imports(name))


def test_the_direction_check_can_fail() -> None:
    assert _upward("kg.read.segment", {"kg.rdf.graph"})
    assert _upward("kg.errors", {"kg.read.documents"})
    assert _upward("kg.cli.group", {"kg"})
    assert not _upward("kg.rdf.graph", {"kg.read.segment", "kg.errors"})


@pytest.mark.parametrize("name", MODULES)
def test_no_module_is_long(name: str) -> None:
    lines = len(_file(name).read_text(encoding="utf-8").splitlines())
    if name in LONG_MODULES:
        assert lines > MAX_LINES, f"{name} is short now ({lines}); drop it from LONG_MODULES"
    else:
        assert lines <= MAX_LINES, f"{name} has {lines} lines; split it by job"
