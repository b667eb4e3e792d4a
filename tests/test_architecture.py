"""The package's layers: each imports only from the layers below it, so there is no cycle.

From the bottom: the shared helpers; the model; the figures and explorers; checking;
the tutorials' declarations; the checkers students call; the course (notebooks);
grading; the command line. Imports inside functions count too.
"""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "nmacausal"

# Each layer, and the layers it may import from.
ALLOWED = {
    "model": {"_validation", "_reexport"},
    "plotting": {"_validation", "_reexport", "model"},
    "widgets": {"_validation", "_reexport", "model", "plotting"},
    "checking": {"_validation", "model"},
    "tutorials": {"_validation", "model", "checking"},
    "checks": {"_validation", "checking", "tutorials"},
    "course": {"_errors", "tutorials"},
    "grading": {"_errors", "_validation", "checking", "checks", "course", "tutorials"},
    "cli": {"_errors", "course", "grading", "tutorials"},
}


def layer_imports() -> dict[str, set[str]]:
    """For each layer, the other layers its modules import (relative imports)."""
    found = {}
    for path in PACKAGE.rglob("*.py"):
        if "_shipped" in path.parts:
            continue
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        package = list(parts[:-1])  # a module's own package; an __init__'s too
        layer = parts[1] if len(parts) > 1 else "__init__"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level:
                base = package[: len(package) - (node.level - 1)]
                target = [*base, *(node.module.split(".") if node.module else [])]
                other = target[1] if len(target) > 1 else "__init__"
                if other != layer:
                    found.setdefault(layer, set()).add(other)
    return found


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_each_layer_imports_only_from_the_layers_below(layer):
    imported = layer_imports().get(layer, set())
    assert imported <= ALLOWED[layer], sorted(imported - ALLOWED[layer])


def test_every_layer_is_placed():
    assert set(layer_imports()) - {"__init__", "__main__"} <= set(ALLOWED)
