"""The wings of the code base (docs/ARCHITECTURE.md): ogp/model, data, render, app, ops, in that
order; a wing imports only from itself and the wings before it, wherever the import is written
(inside a function too), and only app and ops import Streamlit. The presentation builders are
pure (no Streamlit, no store: DataFrames in, figures and text out), and the pages never reach
the importer (the write path). Imports are checked in a fresh interpreter too, so what a module
pulls in transitively counts."""

from __future__ import annotations

import ast
import subprocess
import sys

from pagetest import ROOT

PURE = (
    "render.charts",
    "render.maps",
    "render.deck",
    "render.brief",
    "model.text",
    "model.urls",
    "model.filters",
    "render.monitor",
    "model.i18n",
    "model.scales",
    "model.themes",
    "data.geo",
    "data.schema",
    "render.tables",
    "render.views",
    "render.svg",
)
WRITE_PATH = ("ogp.data.ingest", "ogp.data.formats", "ogp.data.synth")  # the importer and the generator
WINGS = ("model", "data", "render", "app", "ops")  # in the order the data flows
STREAMLIT_WINGS = ("app", "ops")  # the glue, and the protocol clients and bench of ops


def loaded_after_importing(modules: list[str]) -> set[str]:
    code = "import sys\n" + "".join(f"import {m}\n" for m in modules) + "print('\\n'.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_presentation_modules_import_neither_streamlit_nor_the_store():
    loaded = loaded_after_importing([f"ogp.{m}" for m in PURE])
    assert not {m for m in loaded if m.split(".")[0] == "streamlit"}, "a pure module imports streamlit"
    assert "ogp.data.store" not in loaded and "duckdb" not in loaded, "a pure module imports the store"


def page_imports(path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names |= {node.module} | {f"{node.module}.{a.name}" for a in node.names}
    return names


def test_pages_never_import_the_importer():
    scripts = sorted((ROOT / "pages").glob("*.py")) + [ROOT / "dashboard.py"]
    ogp_modules = set()
    for script in scripts:
        imported = page_imports(script)
        assert not imported & set(WRITE_PATH), f"{script.name} imports {sorted(imported & set(WRITE_PATH))}"
        ogp_modules |= {
            m for m in imported if m.startswith("ogp.") and (ROOT / (m.replace(".", "/") + ".py")).exists()
        }
    loaded = loaded_after_importing(sorted(ogp_modules))
    assert not loaded & set(WRITE_PATH), f"the pages' modules pull in {sorted(loaded & set(WRITE_PATH))}"


def test_the_check_sees_a_forbidden_import():
    assert "streamlit" in loaded_after_importing(["ogp.app.ui"])


def imports_anywhere(source: str) -> list[tuple[int, str]]:
    """Every module a source imports, with its line: module level and inside functions."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
            found += [(node.lineno, f"{node.module}.{a.name}") for a in node.names]
    return found


def wing_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "ogp" and parts[1] in WINGS else None


def wrong_imports(wing: str, name: str, source: str) -> list[str]:
    """What a module of `wing` imports against the order: a wing after it, or Streamlit outside
    app and ops."""
    wrong = []
    for line, module in imports_anywhere(source):
        target = wing_of(module)
        if target is not None and WINGS.index(target) > WINGS.index(wing):
            wrong.append(f"ogp/{wing}/{name}:{line} imports {module} (wing {target} comes after {wing})")
        if module.split(".")[0] == "streamlit" and wing not in STREAMLIT_WINGS:
            wrong.append(f"ogp/{wing}/{name}:{line} imports {module} (Streamlit only in app and ops)")
    return sorted(set(wrong))


def test_every_module_lives_in_a_wing():
    loose = sorted(p.name for p in (ROOT / "ogp").glob("*.py"))
    assert loose == ["__init__.py", "__main__.py", "cli.py"], loose  # the face and the command line
    for wing in WINGS:
        assert (ROOT / "ogp" / wing / "__init__.py").exists(), wing


def test_no_wing_imports_a_wing_after_it_nor_streamlit_outside_the_glue():
    wrong = []
    for wing in WINGS:
        for path in sorted((ROOT / "ogp" / wing).glob("*.py")):
            wrong += wrong_imports(wing, path.name, path.read_text(encoding="utf-8"))
    assert not wrong, "\n".join(wrong)


def test_the_wing_check_sees_an_import_that_runs_back_up():
    late = "def f():\n    from ogp.app import ui\n    import streamlit as st\n"
    assert wrong_imports("render", "charts.py", late) == [
        "ogp/render/charts.py:2 imports ogp.app (wing app comes after render)",
        "ogp/render/charts.py:2 imports ogp.app.ui (wing app comes after render)",
        "ogp/render/charts.py:3 imports streamlit (Streamlit only in app and ops)",
    ]
    assert wrong_imports("ops", "bench.py", late) == []


def test_the_lower_wings_load_no_streamlit_in_a_fresh_interpreter():
    modules = [f"ogp.{w}.{p.stem}" for w in WINGS[:3] for p in sorted((ROOT / "ogp" / w).glob("[!_]*.py"))]
    loaded = loaded_after_importing(modules)
    assert not {m for m in loaded if m.split(".")[0] == "streamlit"}, (
        "model, data or render pulls in streamlit"
    )


def test_the_face_names_what_tools_need_and_loads_nothing_until_asked():
    code = (
        "import sys, ogp\n"
        "assert 'duckdb' not in sys.modules and 'pandas' not in sys.modules\n"
        "from ogp import Store, Filters, measures\n"
        "from ogp.data.store import Store as S\n"
        "from ogp.model.filters import Filters as F\n"
        "from ogp.model import measures as M\n"
        "assert (Store, Filters, measures) == (S, F, M)\n"
        "assert sorted(ogp.__all__) == sorted(ogp.FACE)\n"
        "print(len([getattr(ogp, n) for n in ogp.__all__]))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert int(out.stdout) >= 20
