"""builder/infra is the bottom layer: paths, cache, archives, the interface texts and Norwegian
typography. It imports nothing from the layers above it (model, loader, render, formats, …).

If this broke, data would no longer flow one way: loading the interface texts would pull in the
renderer, a change there could break `check` and every format at import time (a cycle shows up as a
half-initialised module), and an editor would meet a crash instead of a message."""

from __future__ import annotations

import ast

from tests.conftest import ROOT

ABOVE = ("builder.model", "builder.loader", "builder.render", "builder.formats", "builder.preview",
         "builder.translate", "builder.build", "builder.check", "builder.cli")


def test_infra_imports_nothing_from_the_layers_above_it():
    found = []
    for path in sorted((ROOT / "builder" / "infra").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            found += [f"{path.name}:{node.lineno}: {n}" for n in names if n.startswith(ABOVE)]
    assert found == []
