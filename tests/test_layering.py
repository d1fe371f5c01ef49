"""The layers of the code base (see ogp/__init__.py): the presentation builders are pure (no
Streamlit, no store: DataFrames in, figures and text out), and the pages never reach the
importer (the write path). Imports are checked in a fresh interpreter, so what a module pulls
in transitively counts."""

from __future__ import annotations

import ast
import subprocess
import sys

from pagetest import ROOT

PURE = (
    "charts",
    "maps",
    "deck",
    "brief",
    "text",
    "urls",
    "filters",
    "monitor",
    "i18n",
    "scales",
    "themes",
    "geo",
    "schema",
    "tables",
    "views",
    "svg",
)
WRITE_PATH = ("ogp.ingest", "ogp.formats", "ogp.synth")  # the importer and the generator


def loaded_after_importing(modules: list[str]) -> set[str]:
    code = "import sys\n" + "".join(f"import {m}\n" for m in modules) + "print('\\n'.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_presentation_modules_import_neither_streamlit_nor_the_store():
    loaded = loaded_after_importing([f"ogp.{m}" for m in PURE])
    assert not {m for m in loaded if m.split(".")[0] == "streamlit"}, "a pure module imports streamlit"
    assert "ogp.store" not in loaded and "duckdb" not in loaded, "a pure module imports the store"


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
    assert "streamlit" in loaded_after_importing(["ogp.ui"])
