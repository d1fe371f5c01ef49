"""Country geometry for the offline maps.

Build time (needs the shared Natural Earth file, run once, output committed):

    python -m ogp.data.geo build [--source DIR_OR_FILE] [--out DIR]

reads Natural Earth's 1:50m Admin-0 countries, keeps the few attributes the dashboard uses,
simplifies the outlines (0.1 degree, topology preserved, small islands never dropped), rounds
coordinates to 3 decimals and writes ``data/geo/countries.geojson`` (about 0.4 MB), and from it
``static/countries.json`` (ids and outlines only) that the browser fetches once and every map
draws from (see ``map_geometry_text``; ``python -m ogp.data.geo static`` rewrites it alone).

Run time (no ../shared on a user's machine): ``load_countries()`` returns that GeoJSON as a dict,
each feature's ``id`` being its ISO3 code (``XKX`` for Kosovo), and ``country_table()`` one row
per country with its label point, so that small states can be drawn as markers.
"""

from __future__ import annotations

import argparse
import functools
import json
import sys
from pathlib import Path

import pandas as pd

from ogp.model.paths import BUNDLED_DATA_DIR, PROJECT_DIR

GEO_DIR = BUNDLED_DATA_DIR / "geo"
COUNTRIES_FILE = GEO_DIR / "countries.geojson"
SOURCE_NAME = "ne_50m_admin_0_countries.geojson"
DEFAULT_SOURCE_DIR = PROJECT_DIR.parent / "shared" / "data" / "geo"

SIMPLIFY_TOLERANCE = 0.1  # degrees; invisible at world zoom (GUIDE section 4)
COORD_DECIMALS = 3  # about 110 m at the equator
SMALL_AREA_KM2 = 15_000  # below this a country is a few pixels wide at world zoom
EQUAL_AREA_CRS = "EPSG:6933"  # WGS 84 / NSIDC EASE-Grid 2.0 Global, for areas in km²
# ISO_A3_EH is -99 for these; OGP writes Kosovo as XKX (ISO's user-assigned code).
ADM0_TO_ISO3 = {"KOS": "XKX"}
PROPERTIES = ("iso3", "name", "pop_est", "pop_year", "continent", "small", "lat", "lon")
# Served by Streamlit (server.enableStaticServing) at app/static/countries.json: the maps name
# this URL instead of carrying the outlines, so a rerun neither rebuilds nor re-sends them.
STATIC_DIR = PROJECT_DIR / "static"
MAP_GEOMETRY_FILE = STATIC_DIR / "countries.json"


# -- build ----------------------------------------------------------------------------------
def _iso3_codes(g: pd.DataFrame) -> pd.Series:
    """Unique ISO3-like key per feature: ISO_A3_EH, else ADM0_A3 (Kosovo -> XKX); where
    ISO_A3_EH repeats (AUS for two Australian dependencies at 50m) the non-home parts take
    their ADM0_A3 code."""
    key = g["ISO_A3_EH"].where(g["ISO_A3_EH"] != "-99", g["ADM0_A3"])
    dup = key.duplicated(keep=False) & (g["HOMEPART"] != 1)
    key = key.where(~dup, g["ADM0_A3"])
    key = key.replace(ADM0_TO_ISO3)
    if key.duplicated().any():
        raise ValueError(f"duplicate ISO3 keys after the fixes: {sorted(key[key.duplicated()])}")
    return key


def _simplify_one(geom, tolerance: float, decimals: int):
    """Simplified, grid-snapped, valid geometry; falls back to the original outline (only
    snapped) when simplifying would empty it, break it or lose most of its area."""
    import shapely

    grid = 10.0**-decimals
    candidates = (shapely.simplify(geom, tolerance, preserve_topology=True), geom)
    for cand in candidates:
        out = shapely.set_precision(cand, grid)  # snaps to the grid, keeps the output valid
        if out.is_empty or not out.is_valid or out.geom_type not in ("Polygon", "MultiPolygon"):
            continue
        if geom.area > 0 and out.area < 0.5 * geom.area:
            continue
        return out
    return geom  # tiny beyond the grid: keep the original, never drop a country


def _round_coords(geom, decimals: int):
    import numpy as np
    import shapely

    return shapely.transform(geom, lambda xy: np.round(xy, decimals))


def build(
    source: str | Path | None = None,
    out_dir: str | Path | None = None,
    *,
    tolerance: float = SIMPLIFY_TOLERANCE,
    decimals: int = COORD_DECIMALS,
) -> Path:
    """Derive data/geo/countries.geojson from Natural Earth 1:50m countries; returns its path."""
    import geopandas as gpd
    import shapely

    src = Path(source) if source else DEFAULT_SOURCE_DIR
    if src.is_dir():
        src = src / SOURCE_NAME
    if not src.is_file():
        raise FileNotFoundError(
            f"{src}: Natural Earth 1:50m countries GeoJSON not found (pass --source DIR_OR_FILE)"
        )
    g = gpd.read_file(src)
    if g.crs is not None and g.crs.to_epsg() != 4326:
        g = g.to_crs(4326)
    missing = [
        c
        for c in (
            "ISO_A3_EH",
            "ADM0_A3",
            "HOMEPART",
            "NAME",
            "POP_EST",
            "CONTINENT",
            "LABEL_X",
            "LABEL_Y",
        )
        if c not in g.columns
    ]
    if missing:
        raise ValueError(f"{src}: missing column(s) {', '.join(missing)}")
    iso3 = _iso3_codes(g)
    area_km2 = g.geometry.to_crs(EQUAL_AREA_CRS).area / 1e6
    features = []
    for i in range(len(g)):
        row = g.iloc[i]
        geom = row.geometry
        if not geom.is_valid:
            geom = shapely.make_valid(geom)
        geom = _round_coords(_simplify_one(geom, tolerance, decimals), decimals)
        props = {
            "iso3": iso3.iloc[i],
            "name": row["NAME"],
            "pop_est": int(row["POP_EST"]) if pd.notna(row["POP_EST"]) else None,
            "pop_year": int(row["POP_YEAR"]) if pd.notna(row.get("POP_YEAR")) else None,  # year of POP_EST
            "continent": row["CONTINENT"],
            "small": bool(area_km2.iloc[i] < SMALL_AREA_KM2),
            "lat": round(float(row["LABEL_Y"]), 3),
            "lon": round(float(row["LABEL_X"]), 3),
        }
        features.append(
            {
                "type": "Feature",
                "id": props["iso3"],
                "properties": props,
                "geometry": json.loads(shapely.to_geojson(geom)),
            }
        )
    features.sort(key=lambda f: f["id"])
    out = Path(out_dir) if out_dir else GEO_DIR
    out.mkdir(parents=True, exist_ok=True)
    path = out / COUNTRIES_FILE.name
    tmp = path.with_suffix(".tmp")
    text = json.dumps(
        {"type": "FeatureCollection", "features": features}, ensure_ascii=False, separators=(",", ":")
    )
    tmp.write_text(text + "\n", encoding="utf-8")
    tmp.replace(path)
    if out == GEO_DIR:
        write_map_geometry()
    return path


def map_geometry_text(path: str | Path | None = None) -> str:
    """The outlines the browser draws maps from: the countries' ids and geometry, no properties
    (derived from countries.geojson; the maps' traces pick features by id)."""
    features = [
        {"type": "Feature", "id": f["id"], "geometry": f["geometry"]}
        for f in load_countries(path)["features"]
    ]
    return json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":")) + "\n"


def write_map_geometry(out: str | Path | None = None) -> Path:
    path = Path(out) if out else MAP_GEOMETRY_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(map_geometry_text(), encoding="utf-8")
    return path


# -- run time -------------------------------------------------------------------------------
@functools.lru_cache(maxsize=4)
def _load(path: str) -> dict:
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def load_countries(path: str | Path | None = None) -> dict:
    """The bundled country GeoJSON as a dict (features keyed by ``id`` = ISO3), read once.
    The dict is shared between callers: copy before changing it."""
    return _load(str(Path(path) if path else COUNTRIES_FILE))


@functools.lru_cache(maxsize=4)
def _table(path: str) -> pd.DataFrame:
    rows = [{k: f["properties"].get(k) for k in PROPERTIES} for f in _load(path)["features"]]
    t = pd.DataFrame(rows, columns=list(PROPERTIES))
    t["pop_est"] = t["pop_est"].astype("Int64")
    t["pop_year"] = t["pop_year"].astype("Int64")
    t["small"] = t["small"].astype(bool)
    return t


def country_table(path: str | Path | None = None) -> pd.DataFrame:
    """One row per country: iso3, name, pop_est (and pop_year, its year), continent, small (area below
    SMALL_AREA_KM2), lat/lon (Natural Earth's label point, on land, for markers)."""
    return _table(str(Path(path) if path else COUNTRIES_FILE)).copy()


# -- command line ---------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m ogp.data.geo", description="Build the bundled country geometry"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="derive data/geo/countries.geojson from Natural Earth 1:50m")
    b.add_argument(
        "--source",
        default=None,
        help=f"folder holding {SOURCE_NAME}, or the file (default: {DEFAULT_SOURCE_DIR})",
    )
    b.add_argument("--out", default=None, help=f"output folder (default: {GEO_DIR})")
    b.add_argument("--tolerance", type=float, default=SIMPLIFY_TOLERANCE)
    b.add_argument("--decimals", type=int, default=COORD_DECIMALS)
    sub.add_parser("static", help=f"rewrite {MAP_GEOMETRY_FILE.relative_to(PROJECT_DIR)} from the geometry")
    args = parser.parse_args(argv)
    if args.command == "static":
        path = write_map_geometry()
        print(f"wrote {path} ({path.stat().st_size / 1024:.0f} KB)")
        return 0
    try:
        path = build(args.source, args.out, tolerance=args.tolerance, decimals=args.decimals)
    except (FileNotFoundError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    n = len(json.loads(path.read_text(encoding="utf-8"))["features"])
    print(f"wrote {path} ({n} countries, {path.stat().st_size / 1024:.0f} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
