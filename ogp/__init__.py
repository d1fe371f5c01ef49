"""OGP Progress Dashboard: the library behind `streamlit run dashboard.py` and `python -m ogp`.

A map of the modules, in the order the data flows (tests/test_layering.py keeps the layers apart).

Write path: raw exports -> dated snapshots (never imported by the pages)
    formats   read an export whatever its shape (CSV dialects, XLSX) and recognise its layout
    ingest    map it to the canonical snapshot and publish it atomically (`python -m ogp import`)
    synth     synthetic snapshots at scale, same schema (`python -m ogp synth`)
    schema    the snapshot schema written once: Arrow types, version, required columns
    paths     where the data lives (--data-dir, $OGP_DATA_DIR, data/) and atomic publishing
    refresh   fetch OGP's published exports and import what changed (`python -m ogp refresh`),
              mail the digest; sources: data/sources.toml and the refresh's state (read by /data)

Read path: snapshots -> DataFrames
    store     DuckDB over every snapshot; named, parameterised queries of queries/*.sql
    filters   the dashboard's filters as one value, cleaned, bound to every filtered query
    scales    IRM rating scales in order (also the `scales` table of SQL), level colours
    themes    data/themes.toml: themes -> policy areas and tags
    geo       country geometry for the offline maps
    monitor   what needs attention (the /monitor lists and the digest)

Presentation: DataFrames -> what people read (pure: no Streamlit, no store)
    views     the overview's, a member's and a theme's figures and chart data, computed once
              over the named queries (a `run` function in: ui.run, or views.runner(store))
    text      shares (pct), plurals, labels, the export note, the focus/all colours
    tables    the members list and a plan's co-creation process shaped for reading
    i18n      the session's language: catalogs, locale numbers and dates, country names
    urls      every in-app link, under server.baseUrlPath (reads that one option)
    charts    Plotly charts with title, axis labels, alt text and their data
    maps      offline MapLibre world maps
    svg       charts and the world map as inline SVG (the baked site: no JavaScript needed)
    deck      the summit deck (/present); brief: a member's printable page; digest: the
              monitoring lists as a document (`python -m ogp digest`, it runs the store itself)
    ui        the only Streamlit module: cached store and queries, sidebar filters bound to
              the URL, charts with their data and downloads; app_pages/*.py are thin scripts
              over it, registered by dashboard.py

Tools: cli (`python -m ogp COMMAND`), bake (the static public site from the views, with
ogp/site/ templates), bench (page timings), serve (replicas behind nginx),
stream / loadgen / load (protocol-level clients and a Locust load generator).
"""
