"""Population covered: the people living in the jurisdictions of the members in scope, for the
overview and the deck's title slide. Pure (no Streamlit, no SQL): the pages pass the members
(`by_member` rows: member_code, kind, iso3).

- National members: Natural Earth's `POP_EST` of their country (data/geo/countries.geojson,
  `pop_year` says of which year, 2019 for most countries).
- Local members: the figure in data/members.csv (`population`, `population_year`,
  `population_source`: a census or register), counted only when their country is not itself a
  national member in scope: its people are counted already (Madrid is in Spain).

OGP's own claim is beside it for context: its brochure says its members represent more than two
billion people; the bundled exports hold a subset of the members."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from ogp.data import geo
from ogp.model import i18n
from ogp.model.i18n import N_, _
from ogp.model.paths import BUNDLED_DATA_DIR

MEMBERS_FILE = BUNDLED_DATA_DIR / "members.csv"
CLAIM = N_("OGP's brochure: members representing more than two billion people")  # shown through _()
NATIONAL_SOURCE = "Natural Earth POP_EST"


@dataclass(frozen=True)
class Covered:
    people: int  # national + local_added
    national: int
    national_members: int
    local_added: int  # local members outside the national members in scope
    local_members: int  # local members in scope (counted or inside a national member)
    years: tuple[int, int] | None  # range of POP_EST years of the national members counted
    local_sources: tuple[str, ...]  # sources of the local figures counted
    missing: tuple[str, ...]  # member codes with no figure

    def text(self) -> str:
        return people(self.people)

    def source(self) -> str:
        """Where the number comes from, in one sentence."""
        years = ""
        if self.years:
            years = (
                f" {self.years[0]}" if self.years[0] == self.years[1] else f" {self.years[0]}–{self.years[1]}"
            )
        parts = [
            i18n.ngettext(
                "{n} national member: {source}{years}",
                "{n} national members: {source}{years}",
                self.national_members,
            ).format(n=i18n.number(self.national_members), source=NATIONAL_SOURCE, years=years)
        ]
        if self.local_members:
            if self.local_added:
                parts.append(
                    _("local members outside them: {people} ({sources})").format(
                        people=people(self.local_added), sources="; ".join(self.local_sources)
                    )
                )
            else:
                parts.append(
                    i18n.ngettext(
                        "{n} local member, inside a national member counted",
                        "{n} local members, all inside national members counted",
                        self.local_members,
                    ).format(n=i18n.number(self.local_members))
                )
        if self.missing:
            parts.append(_("no figure for {members}").format(members=", ".join(self.missing)))
        return _("People living in the members' jurisdictions.") + " " + "; ".join(parts) + "."

    def note(self) -> str:
        """The line under the figure (overview, deck): its source, and the brochure's claim beside it."""
        return _("{source} For context, {claim}.").format(source=self.source(), claim=_(CLAIM))


def people(n: int) -> str:
    """2,313,456,789 -> '2.31 billion'; 5,439,842 -> '5.4 million'."""
    if n >= 1_000_000_000:
        return i18n.compact(n, 2)
    if n >= 1_000_000:
        return i18n.compact(n, 1)
    return i18n.number(n)


@lru_cache(maxsize=4)
def _local_figures(path: str) -> pd.DataFrame:
    with open(path, encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if (r.get("population") or "").strip()]
    return pd.DataFrame(
        {
            "member_code": [r["member_code"] for r in rows],
            "population": [int(r["population"]) for r in rows],
            "population_year": [int(r["population_year"]) for r in rows],
            "population_source": [r["population_source"] for r in rows],
        }
    )


def local_figures(path: str | Path = MEMBERS_FILE) -> pd.DataFrame:
    """member_code, population, population_year, population_source of the local members."""
    return _local_figures(str(path)).copy()


def covered(
    members: pd.DataFrame, countries: pd.DataFrame | None = None, locals_: pd.DataFrame | None = None
) -> Covered:
    """The population covered by `members` (rows with member_code, kind, iso3)."""
    countries = geo.country_table() if countries is None else countries
    locals_ = local_figures() if locals_ is None else locals_
    is_local = members["kind"].astype("string").str.lower().eq("local").fillna(False).astype(bool)
    national = members[~is_local].drop_duplicates("member_code")
    iso = national["iso3"].where(national["iso3"].notna(), national["member_code"]).astype(str)
    pops = countries.set_index("iso3")
    found = iso[iso.isin(pops.index)]
    national_people = int(pops.loc[found, "pop_est"].fillna(0).astype("int64").sum())
    years = pops.loc[found, "pop_year"].dropna().astype(int) if "pop_year" in pops else pd.Series(dtype=int)
    missing = national.loc[~iso.isin(pops.index), "member_code"].tolist()

    local = members[is_local].drop_duplicates("member_code").merge(locals_, on="member_code", how="left")
    missing += local.loc[local["population"].isna(), "member_code"].tolist()
    outside = local[local["population"].notna() & ~local["iso3"].isin(set(iso))]
    return Covered(
        people=national_people + int(outside["population"].sum()),
        national=national_people,
        national_members=len(found),
        local_added=int(outside["population"].sum()),
        local_members=len(local),
        years=(int(years.min()), int(years.max())) if len(years) else None,
        local_sources=tuple(
            f"{s}, {y}" for s, y in zip(outside["population_source"], outside["population_year"])
        ),
        missing=tuple(missing),
    )
