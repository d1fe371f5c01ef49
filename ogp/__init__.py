"""OGP Progress Dashboard: the library behind `streamlit run dashboard.py` and `python -m ogp`.

The code lives in five wings, in the order the data flows (docs/ARCHITECTURE.md; the order is
kept by tests/test_layering.py):

    ogp/model    facts written once: paths, IRM scales, measures, themes, filters, URLs, pages,
                 languages, words (pure: no I/O beyond reading its own data files)
    ogp/data     raw exports -> dated snapshots -> DataFrames: formats, ingest, matching, schema,
                 store (DuckDB over the snapshots), geo, population, sources
    ogp/render   DataFrames -> what people read: views, charts, maps, SVG, deck, brief, digest,
                 monitor, method, tables (no Streamlit)
    ogp/app      the Streamlit glue the pages/ scripts stand on: caches, filter bar, widgets
    ops          commands that run the rest: refresh, bake, serve, load, bench

This module is the face of the package: the names tools need, stable across moves, e.g.
`from ogp import Store, Filters, measures`. They load on first use, so `import ogp` stays cheap
and a pure module never pulls in DuckDB through it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

FACE = {  # name -> the module that defines it (a module's own name: the module itself)
    "Store": "ogp.data.store",
    "Snapshot": "ogp.data.store",
    "QueryError": "ogp.data.store",
    "Filters": "ogp.model.filters",
    "Theme": "ogp.model.themes",
    "load_themes": "ogp.model.themes",
    "import_files": "ogp.data.ingest",
    "ImportFailed": "ogp.data.ingest",
    "data_dir": "ogp.model.paths",
    "paths": "ogp.model.paths",
    "scales": "ogp.model.scales",
    "measures": "ogp.model.measures",
    "themes": "ogp.model.themes",
    "filters": "ogp.model.filters",
    "urls": "ogp.model.urls",
    "i18n": "ogp.model.i18n",
    "text": "ogp.model.text",
    "schema": "ogp.data.schema",
    "views": "ogp.render.views",
    "charts": "ogp.render.charts",
    "maps": "ogp.render.maps",
    "deck": "ogp.render.deck",
    "brief": "ogp.render.brief",
    "monitor": "ogp.render.monitor",
}
__all__ = [  # the face (FACE maps each name to its module; tests/test_layering.py keeps them equal)
    "Filters",
    "ImportFailed",
    "QueryError",
    "Snapshot",
    "Store",
    "Theme",
    "brief",
    "charts",
    "data_dir",
    "deck",
    "filters",
    "i18n",
    "import_files",
    "load_themes",
    "maps",
    "measures",
    "monitor",
    "paths",
    "scales",
    "schema",
    "text",
    "themes",
    "urls",
    "views",
]

if TYPE_CHECKING:  # what the checker sees; at run time the names load on first use (below)
    from ogp.data import schema
    from ogp.data.ingest import ImportFailed, import_files
    from ogp.data.store import QueryError, Snapshot, Store
    from ogp.model import filters, i18n, measures, paths, scales, text, themes, urls
    from ogp.model.filters import Filters
    from ogp.model.paths import data_dir
    from ogp.model.themes import Theme, load_themes
    from ogp.render import brief, charts, deck, maps, monitor, views


def __getattr__(name: str) -> Any:
    module = FACE.get(name)
    if module is None:
        raise AttributeError(f"module 'ogp' has no attribute {name!r}")
    loaded = importlib.import_module(module)
    value = loaded if module.rsplit(".", 1)[1] == name else getattr(loaded, name)
    globals()[name] = value
    return value
