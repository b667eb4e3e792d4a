"""Reading a submission's code without running it.

Two questions are answered from the code's syntax tree:

- does an answer call nmacausal's reference implementation of the function
  the student was asked to write (``nmacausal.simulate_neurons`` and the like)?
- does the notebook reach into the machinery that grades it (monkeypatching
  the checkers, swallowing exceptions, rebinding builtins, executing strings)?

The second answer is a screen, not a verdict: a submission it flags is
re-checked in a separate process whose checker the student's code cannot
touch (see :mod:`nmacausal.grading`).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

PACKAGE = "nmacausal"

# Names whose use in a student's notebook only makes sense to tamper with grading.
SUSPICIOUS_NAMES = frozenset(
    {
        "__builtins__",
        "__import__",
        "builtins",
        "compile",
        "delattr",
        "eval",
        "exec",
        "globals",
        "importlib",
        "locals",
        "setattr",
        "vars",
    }
)
SUSPICIOUS_ATTRIBUTES = frozenset(
    {
        "__code__",  # a function's code, copied to run the reference under another name
        "__dict__",
        "__file__",  # the way to the library's source text, to copy the reference
        "assert_correct",
        "excepthook",
        "modules",  # sys.modules
        "register",  # get_ipython().events.register
        "set_custom_exc",
    }
)
PROTECTED_NAMES = frozenset({"AssertionError", "CheckFailed", "CheckResult", "Exception", "np"})


@dataclass(frozen=True)
class Finding:
    """One thing the screen noticed, with the line it is on."""

    cell_index: int
    line: int
    what: str

    def __str__(self) -> str:
        return f"cell {self.cell_index + 1}, line {self.line}: {self.what}"


def python_source(cell_source: str) -> str:
    """The cell as plain Python, with IPython's magics and shell escapes translated."""
    from IPython.core.inputtransformer2 import TransformerManager

    return TransformerManager().transform_cell(cell_source)


def parse_cell(cell_source: str) -> ast.Module | None:
    """The cell's syntax tree, or None when it is not valid Python."""
    try:
        return ast.parse(python_source(cell_source))
    except (SyntaxError, ValueError):
        return None


def reference_uses(cell_source: str, reference_name: str, *, cell_index: int = 0) -> list[Finding]:
    """Where a cell uses nmacausal's own ``reference_name`` (import or attribute access)."""
    tree = parse_cell(cell_source)
    if tree is None:
        return []
    package_aliases = _package_aliases(tree)
    findings = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == PACKAGE:
            if any(alias.name in (reference_name, "*") for alias in node.names):
                findings.append(
                    Finding(cell_index, node.lineno, f"imports {reference_name} from {PACKAGE}")
                )
        elif isinstance(node, ast.Attribute) and node.attr == reference_name:
            if _root_name(node.value) in package_aliases:
                findings.append(
                    Finding(cell_index, node.lineno, f"calls {PACKAGE}'s {reference_name}")
                )
    return findings


def tampering_signs(
    cell_source: str, *, cell_index: int = 0, imported: frozenset[str] = frozenset()
) -> list[Finding]:
    """Constructs in a cell that could change how the notebook is graded.

    ``imported`` holds the names that imports elsewhere in the notebook bind:
    assigning into one of them (``module.function = ...``) is monkeypatching.
    """
    tree = parse_cell(cell_source)
    if tree is None:
        return []
    imported = imported | imported_names(cell_source) | {PACKAGE}
    findings = []
    for node in ast.walk(tree):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Name) and node.id in SUSPICIOUS_NAMES:
            findings.append(Finding(cell_index, line, f"uses {node.id}"))
        elif isinstance(node, ast.Attribute) and node.attr in SUSPICIOUS_ATTRIBUTES:
            findings.append(Finding(cell_index, line, f"uses .{node.attr}"))
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                if alias.name.split(".")[0] in SUSPICIOUS_NAMES | {"sys", "inspect", "gc"}:
                    findings.append(Finding(cell_index, line, f"imports {alias.name}"))
        for target in _assignment_targets(node):
            if isinstance(target, ast.Name) and target.id in PROTECTED_NAMES:
                findings.append(Finding(cell_index, line, f"rebinds {target.id}"))
            elif isinstance(target, (ast.Attribute, ast.Subscript)):
                root = _root_name(target.value)
                if root in imported or root in PROTECTED_NAMES:
                    findings.append(Finding(cell_index, line, f"assigns into {root}"))
    return findings


def _assignment_targets(node):
    if isinstance(node, ast.Assign):
        return node.targets
    if isinstance(node, (ast.AugAssign, ast.AnnAssign)):
        return [node.target]
    if isinstance(node, ast.Delete):
        return node.targets
    return []


def _root_name(node) -> str | None:
    """``a`` for ``a.b.c`` or ``a[0].b``; None when the chain does not start at a name."""
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Call)):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


def _package_aliases(tree) -> set[str]:
    """Names bound to nmacausal or one of its modules in this cell."""
    aliases = {PACKAGE}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == PACKAGE:
                    aliases.add(alias.asname or PACKAGE)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == PACKAGE:
            aliases.update(alias.asname or alias.name for alias in node.names)
    return aliases


def imported_names(cell_source: str) -> frozenset[str]:
    """Every name an import statement binds in a cell."""
    tree = parse_cell(cell_source)
    if tree is None:
        return frozenset()
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                names.add(alias.asname or alias.name.split(".")[0])
    return frozenset(names)
