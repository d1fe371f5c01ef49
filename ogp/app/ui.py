"""The pages' toolbox: every name a script of pages/ (and dashboard.py) uses, from the module of
ogp/app that defines it, so a page imports `ui` alone:

    cache      the store opened once, named queries, figures and derived tables built once
    language   the session's language and its picker
    filterbar  the sidebar's filters bound to the URL, read by the page with `filters()`
    style      the page's constant CSS and script
    widgets    charts with their data, figures, provenance, maps, tables and exports
"""

from __future__ import annotations

from ogp.app.cache import (
    begin_run,
    chart,
    derived,
    get_store,
    population_covered,
    restyled,
    run,
    shaped,
    shared,
)
from ogp.app.filterbar import (
    LATEST,
    PAGE_KEY,
    coded_choice,
    filter_bar,
    filters,
    member_names,
    note_run_start,
    sidebar_filters,
    theme_names,
)
from ogp.app.language import choose_language, language_picker
from ogp.app.style import APP_CSS, MAP_CSS, framework_script, map_wait_css, page_style
from ogp.app.widgets import (
    MAP_MEASURES,
    banners,
    commitment_table,
    coverage,
    data_expander,
    data_popover,
    download_buttons,
    export_buttons,
    extract_note,
    figure_row,
    link,
    measure_label,
    measure_name,
    member_columns,
    member_vs_all,
    methodology,
    open_clicked_member,
    present_this,
    process_columns,
    provenance,
    readable,
    scope_text,
    show_chart,
    table_height,
    world_map,
)
from ogp.model.filters import clean_text
from ogp.model.text import escape_md

__all__ = [
    "begin_run",
    "APP_CSS",
    "LATEST",
    "MAP_CSS",
    "MAP_MEASURES",
    "PAGE_KEY",
    "banners",
    "chart",
    "choose_language",
    "clean_text",
    "coded_choice",
    "commitment_table",
    "coverage",
    "data_expander",
    "data_popover",
    "derived",
    "download_buttons",
    "escape_md",
    "export_buttons",
    "extract_note",
    "figure_row",
    "filter_bar",
    "filters",
    "framework_script",
    "get_store",
    "language_picker",
    "link",
    "map_wait_css",
    "measure_label",
    "measure_name",
    "member_columns",
    "member_names",
    "member_vs_all",
    "methodology",
    "note_run_start",
    "open_clicked_member",
    "page_style",
    "population_covered",
    "present_this",
    "process_columns",
    "provenance",
    "readable",
    "restyled",
    "run",
    "scope_text",
    "shaped",
    "shared",
    "show_chart",
    "sidebar_filters",
    "table_height",
    "theme_names",
    "world_map",
]
