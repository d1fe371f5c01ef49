"""`python -m ogp synth`: synthetic snapshots in the canonical schema (docs/DATA.md), for
scale testing.

    python -m ogp synth --commitments N --data-dir DIR [--seed S] [--snapshots K]

writes K dated snapshots (default 2022-01-01, 2023-01-01, 2024-01-01) under DIR/snapshots/.
The newest holds exactly N commitments; each earlier one holds the commitments of the plans
submitted before its date, with the same keys, and with completion never higher than later.

Everything is vectorised (numpy for the draws, Arrow compute for the text), so 1,000,000
commitments take well under two minutes. Output is a pure function of (N, seed, K): the same
arguments give identical tables (only `created_at` in manifest.json differs).

Frequencies of the IRM ratings are hard-coded below from one pass over the real current-schema
export `open_parliament_0703.csv` (../shared/data/raw/ogp/g0v_ogp-commitments/, 558 rows, 2024-07).
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import sys
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ogp.data import schema
from ogp.model import paths
from ogp.model.scales import HIGH_COMPLETION, SCALES

DEFAULT_SEED = 20240706
DEFAULT_SNAPSHOTS = 3
NEWEST_SNAPSHOT_YEAR = 2024  # snapshots are dated <year>-01-01, the newest this one
MAX_SNAPSHOTS = 12
ROW_GROUP_SIZE = 100_000
COMPRESSION = "zstd"
CHUNK = 100_000  # rows per chunk for the (rows x policy areas) draw

# --------------------------------------------------------------------------------------------
# Members. National: real OGP members with their real ISO3 codes (joins ISO_A3_EH), names and
# OGP regions as spelled in open_parliament_0703.csv; first plan year estimated from that file
# (year of submission - 2 x (plan number - 1)). The last rows are real members absent from it;
# names, regions and statuses agree with data/members.csv (checked by tests/test_synth.py).
# Kosovo is left out on purpose: its XKX code needs the special join (docs/DATA.md).
# (code, name, region, first plan year, status)
NATIONAL_MEMBERS: tuple[tuple[str, str, str, int, str], ...] = (
    ("ALB", "Albania", "Europe", 2012, "active"),
    ("ARG", "Argentina", "Americas", 2013, "active"),
    ("ARM", "Armenia", "Asia and the Pacific", 2012, "active"),
    ("AUS", "Australia", "Asia and the Pacific", 2016, "active"),
    ("BGR", "Bulgaria", "Europe", 2012, "active"),
    ("BRA", "Brazil", "Americas", 2012, "active"),
    ("CAN", "Canada", "Americas", 2012, "active"),
    ("CHL", "Chile", "Americas", 2012, "active"),
    ("CIV", "Cote d'Ivoire", "Africa and the Middle East", 2016, "active"),
    ("COL", "Colombia", "Americas", 2012, "active"),
    ("CPV", "Cabo Verde", "Africa and the Middle East", 2018, "active"),
    ("CRI", "Costa Rica", "Americas", 2013, "active"),
    ("CZE", "Czech Republic", "Europe", 2012, "active"),
    ("DEU", "Germany", "Europe", 2017, "active"),
    ("DNK", "Denmark", "Europe", 2012, "active"),
    ("DOM", "Dominican Republic", "Americas", 2012, "active"),
    ("ECU", "Ecuador", "Americas", 2019, "active"),
    ("ESP", "Spain", "Europe", 2012, "active"),
    ("EST", "Estonia", "Europe", 2012, "active"),
    ("FIN", "Finland", "Europe", 2013, "active"),
    ("FRA", "France", "Europe", 2015, "active"),
    ("GBR", "United Kingdom", "Europe", 2011, "active"),
    ("GEO", "Georgia", "Asia and the Pacific", 2012, "active"),
    ("GHA", "Ghana", "Africa and the Middle East", 2013, "active"),
    ("GRC", "Greece", "Europe", 2012, "active"),
    ("GTM", "Guatemala", "Americas", 2012, "active"),
    ("HND", "Honduras", "Americas", 2012, "active"),
    ("HRV", "Croatia", "Europe", 2012, "active"),
    ("IDN", "Indonesia", "Asia and the Pacific", 2011, "active"),
    ("IRL", "Ireland", "Europe", 2014, "active"),
    ("ISR", "Israel", "Europe", 2013, "active"),
    ("ITA", "Italy", "Europe", 2012, "active"),
    ("JAM", "Jamaica", "Americas", 2021, "active"),
    ("JOR", "Jordan", "Africa and the Middle East", 2012, "active"),
    ("KEN", "Kenya", "Africa and the Middle East", 2014, "active"),
    ("KGZ", "Kyrgyz Republic", "Asia and the Pacific", 2018, "active"),
    ("KOR", "Republic of Korea", "Asia and the Pacific", 2013, "active"),
    ("LBR", "Liberia", "Africa and the Middle East", 2013, "active"),
    ("LKA", "Sri Lanka", "Asia and the Pacific", 2016, "active"),
    ("LTU", "Lithuania", "Europe", 2012, "active"),
    ("LVA", "Latvia", "Europe", 2013, "active"),
    ("MAR", "Morocco", "Africa and the Middle East", 2018, "active"),
    ("MDA", "Moldova", "Europe", 2012, "active"),
    ("MKD", "North Macedonia", "Europe", 2012, "active"),
    ("MNE", "Montenegro", "Europe", 2012, "active"),
    ("MNG", "Mongolia", "Asia and the Pacific", 2014, "active"),
    ("MWI", "Malawi", "Africa and the Middle East", 2016, "active"),
    ("NGA", "Nigeria", "Africa and the Middle East", 2017, "active"),
    ("NLD", "Netherlands", "Europe", 2013, "active"),
    ("NOR", "Norway", "Europe", 2011, "active"),
    ("NZL", "New Zealand", "Asia and the Pacific", 2014, "active"),
    ("PAN", "Panama", "Americas", 2013, "active"),
    ("PER", "Peru", "Americas", 2013, "active"),
    ("PHL", "Philippines", "Asia and the Pacific", 2011, "active"),
    ("PNG", "Papua New Guinea", "Asia and the Pacific", 2018, "active"),
    ("PRT", "Portugal", "Europe", 2018, "active"),
    ("PRY", "Paraguay", "Americas", 2012, "active"),
    ("ROU", "Romania", "Europe", 2012, "active"),
    ("SEN", "Senegal", "Africa and the Middle East", 2021, "active"),
    ("SLE", "Sierra Leone", "Africa and the Middle East", 2014, "active"),
    ("SRB", "Serbia", "Europe", 2014, "active"),
    ("SVK", "Slovak Republic", "Europe", 2012, "active"),
    ("SWE", "Sweden", "Europe", 2012, "active"),
    ("TUN", "Tunisia", "Africa and the Middle East", 2014, "active"),
    ("UKR", "Ukraine", "Europe", 2012, "active"),
    ("URY", "Uruguay", "Americas", 2012, "active"),
    ("USA", "United States", "Americas", 2011, "active"),
    # real OGP members absent from the parliament-filtered export
    ("MEX", "Mexico", "Americas", 2011, "active"),
    ("SLV", "El Salvador", "Americas", 2012, "active"),
    ("TTO", "Trinidad and Tobago", "Americas", 2014, "active"),
    ("ZAF", "South Africa", "Africa and the Middle East", 2011, "active"),
    ("BFA", "Burkina Faso", "Africa and the Middle East", 2017, "active"),
    ("SYC", "Seychelles", "Africa and the Middle East", 2019, "active"),
    ("TZA", "Tanzania", "Africa and the Middle East", 2012, "withdrawn"),
    ("PAK", "Pakistan", "Asia and the Pacific", 2016, "active"),
    ("AZE", "Azerbaijan", "Asia and the Pacific", 2012, "suspended"),
    ("LUX", "Luxembourg", "Europe", 2019, "active"),
    ("MLT", "Malta", "Europe", 2012, "active"),
    ("TUR", "Turkey", "Europe", 2012, "withdrawn"),
    ("BIH", "Bosnia and Herzegovina", "Europe", 2015, "active"),
    ("HUN", "Hungary", "Europe", 2013, "withdrawn"),
)
# Local members: OGP Local style codes (country ISO2 + 2 letters), the seat's coordinates, the
# country's ISO3. The first seven are the real export's, with data/members.csv's coordinates; the
# others are real places with made-up codes. (code, name, iso3, first plan year, lat, lon)
LOCAL_MEMBERS: tuple[tuple[str, str, str, int, float, float], ...] = (
    ("ARBA", "Buenos Aires, Argentina", "ARG", 2017, -34.60056, -58.39948),
    ("ESMD", "Madrid, Spain", "ESP", 2017, 40.40197, -3.6853),
    ("GBSC", "Scotland, United Kingdom", "GBR", 2017, 55.94833, -3.21909),
    ("GETB", "Tbilisi, Georgia", "GEO", 2017, 41.72696, 44.78885),
    ("MXJL", "Jalisco, Mexico", "MEX", 2017, 20.67196, -103.33198),
    ("NGKD", "Kaduna State, Nigeria", "NGA", 2018, 10.52196, 7.43805),
    ("PHSC", "South Cotabato, Philippines", "PHL", 2018, 6.5008, 124.8469),
    ("FRPA", "Paris, France", "FRA", 2017, 48.8566, 2.3522),
    ("KRSE", "Seoul, Republic of Korea", "KOR", 2017, 37.5665, 126.9780),
    ("USAU", "Austin, United States", "USA", 2017, 30.2672, -97.7431),
    ("GHST", "Sekondi-Takoradi, Ghana", "GHA", 2017, 4.9016, -1.7831),
    ("IDBO", "Bojonegoro, Indonesia", "IDN", 2017, -7.1502, 111.8817),
    ("KEEM", "Elgeyo Marakwet, Kenya", "KEN", 2018, 0.5167, 35.5167),
    ("PELL", "La Libertad, Peru", "PER", 2017, -8.1116, -79.0288),
    ("BRSP", "Sao Paulo, Brazil", "BRA", 2017, -23.5505, -46.6333),
    ("CAON", "Ontario, Canada", "CAN", 2017, 43.6532, -79.3832),
    ("ESBC", "Basque Country, Spain", "ESP", 2018, 42.8467, -2.6716),
    ("CONA", "Narino, Colombia", "COL", 2021, 1.2136, -77.2811),
    ("UAKH", "Khmelnytskyi, Ukraine", "UKR", 2021, 49.4229, 26.9871),
    ("MNUB", "Ulaanbaatar, Mongolia", "MNG", 2021, 47.8864, 106.9057),
)
PLAN_CYCLE_YEARS = 2  # a plan every two years from the member's first, each running two years

# --------------------------------------------------------------------------------------------
# Policy areas: the 86 0/1 columns of the current schema, in header order, from
# "Anti-Corruption and Integrity" to "Money in Politics" in open_parliament_0703.csv, each with
# its share of rows set to 1 there (count / 558; areas never set there get POLICY_AREA_FLOOR).
# That export is filtered to parliament/legislation, which is why those two areas dominate.
POLICY_AREA_FLOOR = 0.002
POLICY_AREA_COUNTS: tuple[tuple[str, int], ...] = (
    ("Anti-Corruption and Integrity", 133),
    ("Anti-corruption Institutions", 39),
    ("Anti-Corruption Strategies", 1),
    ("Asset Disclosure", 19),
    ("Audits", 15),
    ("Beneficial Ownership", 18),
    ("Conflicts Of Interest", 17),
    ("Elections", 16),
    ("Political Finance", 13),
    ("Lobbying", 10),
    ("Open Contracting", 10),
    ("Public Procurement", 18),
    ("Right To Information", 64),
    ("Whistleblower Protections", 33),
    ("Civic Space and Enabling Environment", 28),
    ("Freedom of Assembly", 3),
    ("Freedom of Association", 10),
    ("Freedom of Expression", 14),
    ("Democratizing Decision-Making", 151),
    ("Digital Participation", 6),
    ("Mainstreaming Participation", 4),
    ("Regulatory Governance", 134),
    ("Social Accountability", 17),
    ("Digital Governance", 12),
    ("Automated Decision-making", 4),
    ("Data Stewardship and Privacy", 5),
    ("Digital Inclusion", 1),
    ("Disinformation/Misinformation", 2),
    ("Online Civic Space", 3),
    ("Environment & Climate", 11),
    ("Climate Finance", 0),
    ("Climate Mitigation and Adaptation", 2),
    ("Environmental Regulation", 8),
    ("International Environmental Agreements", 0),
    ("Fiscal Openness", 77),
    ("Publication Of Budget/Fiscal Information", 56),
    ("Public Participation In Budget/Fiscal Policy", 19),
    ("Oversight Of Budget/Fiscal Policies", 7),
    ("Stimulus and Economic Recovery", 0),
    ("Tax", 15),
    ("Debt", 2),
    ("Inclusion", 42),
    ("Gender", 17),
    ("Gender-Based Violence", 1),
    ("Economic Inclusion", 3),
    ("LGBTQIA+", 1),
    ("People with Disabilities", 13),
    ("Youth", 15),
    ("Justice", 33),
    ("Access to Justice", 13),
    ("Open Justice", 16),
    ("Policing & Corrections", 5),
    ("Judiciary", 15),
    ("Open Parliaments", 177),
    ("Public Service Delivery", 24),
    ("Citizenship & Immigration", 2),
    ("Education", 9),
    ("Health & Nutrition", 4),
    ("Infrastructure & Transport", 6),
    ("Water & Sanitation", 4),
    ("Capacity Building", 129),
    ("Digital Transformation", 33),
    ("Legislation", 389),
    ("Regulation", 52),
    ("Legislative Oversight", 15),
    ("Open Data", 75),
    ("Public Participation", 244),
    ("Aid", 1),
    ("Energy", 10),
    ("Extractive Industries", 23),
    ("Land and Spatial Planning", 12),
    ("Media & Telecommunications", 17),
    ("Science & Technology", 2),
    ("Security & Public Safety", 1),
    ("Labor", 8),
    ("Private Sector", 39),
    ("Subnational", 46),
    ("Human Rights", 13),
    ("Open Parliament Plan", 61),
    ("Sustainable Development Goals", 42),
    ("Open Data (Water/Sanitation)", 0),
    ("Open Data (Health)", 0),
    ("Open Data (Education)", 2),
    ("Participation in Lawmaking", 97),
    ("Access to information", 130),
    ("Money in Politics", 49),
)
REAL_EXPORT_ROWS = 558

# --------------------------------------------------------------------------------------------
# IRM ratings. Two IRM methods, as in the real export: plans submitted before 2020 were rated on
# specificity / potential impact / completion at mid-term and end / DIOG; plans from 2020 get an
# action-plan review (potential for results) and a results report (completion, early results).
# Counts below are from open_parliament_0703.csv; None = missing (ND/NR/NA) or a level we map to
# null ("No early results to report yet").
NEW_METHOD_FROM_YEAR = 2020
# Share of commitments the IRM assesses at all: old method `IRM Assessed` = 1 in 291 of 364 rows
# before 2020; new method: 143 of 194 rows from 2020 have an action-plan review.
P_ASSESSED_OLD = 291 / 364
P_ASSESSED_NEW = 143 / 194
# Old method, among the 291 assessed rows:
OLD_SPECIFICITY = {"High": 101, "Medium": 81, "Low": 28, "None": 2, None: 79}
OLD_VERIFIABLE = {True: 260, False: 30, None: 1}
OLD_RELEVANT = {True: 269, False: 21, None: 1}
OLD_POTENTIAL_IMPACT = {"Moderate": 133, "Minor": 72, "Transformative": 71, "None": 12, None: 3}
OLD_COMPLETION_MIDTERM = {
    "Limited": 78,
    "Substantial": 65,
    "Complete": 40,
    "Not Started": 24,
    "Withdrawn": 1,
    None: 83,
}
OLD_COMPLETION_END = {"Substantial": 80, "Limited": 75, "Complete": 56, "Not Started": 17, None: 63}
OLD_DIOG = {"Did Not Change": 83, "Marginal": 72, "Major": 35, "Outstanding": 7, "Worsens": 1, None: 93}
OLD_OGP_VALUES = {
    "Access to Information": 203 / 291,
    "Civic Participation": 126 / 291,
    "Public Accountability": 90 / 291,
    "Technology and Innovation": 62 / 291,
}
# Stars follow the IRM's rule (ogp/model/measures.py STARRED): the formula is applied to old-method
# commitments with a report (elsewhere `starred` is NULL, as the export's ND), and stars those
# verifiable, relevant, Transformative and Substantial or Complete (36 of 235 in the real export).
# New method, among the 143 reviewed rows:
NEW_VERIFIABLE = {True: 143}
NEW_RELEVANT = {True: 135, False: 8}
NEW_POTENTIAL_FOR_RESULTS = {"Modest": 82, "Substantial": 43, "Unclear": 18}
# ... and among the 44 with a results report (small sample; "Unclear" kept from the old method):
NEW_COMPLETION_END = {"Limited": 23, "Substantial": 13, "Complete": 5, "Not Started": 3, "Unclear": 1}
NEW_DIOG = {"Marginal": 14, "Major": 2, None: 28}
NEW_EARLY_RESULTS = {"No notable results": 7, "Moderate": 2, "Significant": 1, None: 34}
# Progress between snapshots: going one snapshot back, this share of assessed commitments is one
# completion level lower (cumulative, never below Not Started), so later snapshots move up.
P_PROGRESS_PER_SNAPSHOT = 0.3
# Timeline (as-of year Y, plan submitted in year s): mid-term ratings are known from Y >= s + 2,
# end-of-term ratings from Y >= s + 3 (one year after the two-year plan ends).
MIDTERM_AFTER_YEARS = 2
END_AFTER_YEARS = 3
# Process database fields per action plan (the real database covers 2016 plans only; we fill all
# plans so the columns are exercised). None = missing.
STEPS_FOLLOWED = {0: 2, 1: 3, 2: 5, 3: 8, 4: 10, 5: 9, 6: 6, None: 7}
IAP2 = {"Inform": 12, "Consult": 30, "Involve": 20, "Collaborate": 10, "Empower": 2, None: 26}
PARTICIPATION = {"Open": 55, "Invitation-only": 25, None: 20}
P_REGULAR_FORUM = 0.55
P_SELF_ASSESSMENT = 0.7
P_PROCESS_MISSING = 0.2  # regular_forum / self_assessment_published null

# --------------------------------------------------------------------------------------------
# Text. Titles "<verb> <object> <qualifier>", descriptions of three sentences (~200-400 chars).
VERBS = (
    "Strengthen",
    "Establish",
    "Develop",
    "Improve",
    "Publish",
    "Create",
    "Expand",
    "Adopt",
    "Implement",
    "Institutionalise",
    "Promote",
    "Open",
    "Digitise",
    "Reform",
    "Review",
    "Launch",
    "Standardise",
    "Monitor",
    "Modernise",
    "Enhance",
    "Build",
    "Introduce",
)
OBJECTS = (
    "public participation",
    "access to information",
    "the open data portal",
    "beneficial ownership transparency",
    "budget transparency",
    "open contracting",
    "the legislative process",
    "parliamentary oversight",
    "asset declarations",
    "whistleblower protection",
    "lobbying transparency",
    "citizen feedback mechanisms",
    "the public procurement system",
    "open justice",
    "local government transparency",
    "political finance disclosure",
    "the freedom of information law",
    "fiscal openness",
    "e-petitions",
    "the national anti-corruption strategy",
    "extractive industries transparency",
    "civic space protections",
    "inclusive service delivery",
    "gender-responsive budgeting",
    "youth participation",
    "the open parliament action plan",
    "land registry data",
    "health sector accountability",
    "education data",
    "climate finance tracking",
    "digital public services",
    "algorithmic transparency",
    "the registry of legal entities",
    "court decision publication",
    "conflict of interest rules",
    "public audit follow-up",
    "regulatory consultation",
    "water and sanitation data",
    "media ownership transparency",
    "social accountability in local councils",
)
QUALIFIERS = (
    "for all citizens",
    "at the subnational level",
    "through an online platform",
    "in line with international standards",
    "with civil society",
    "in the national assembly",
    "across ministries",
    "for marginalised groups",
    "in open data formats",
    "through a multi-stakeholder forum",
    "by 2024",
    "for public bodies",
    "in municipalities",
    "through legal reform",
    "with real-time reporting",
    "in the justice sector",
    "for state-owned enterprises",
    "in the education system",
    "for procurement above thresholds",
    "through capacity building",
)
SHORT_TITLES = (
    "Open Parliament",
    "Open Data",
    "Budget Transparency",
    "Beneficial Ownership",
    "Access to Information",
    "Open Contracting",
    "E-Petitions",
    "Legislative Footprint",
    "Asset Disclosure",
    "Whistleblowers",
    "Lobbying Register",
    "Citizen Feedback",
    "Open Justice",
    "Fiscal Openness",
    "Civic Space",
    "Digital Services",
    "Youth Participation",
    "Gender Budgeting",
    "Climate Data",
    "Local Transparency",
    "Procurement Reform",
    "Audit Follow-up",
    "Public Consultation",
    "Court Transparency",
    "Service Delivery",
)
CONTEXT_SENTENCES = (
    "Citizens currently have limited means to follow decisions that affect them.",
    "Information is published in scattered formats that are hard to reuse or compare.",
    "Consultations are announced late and rarely explain how input was taken into account.",
    "Previous reforms stalled because responsibilities between agencies were unclear.",
    "Civil society organisations have asked for timely and machine-readable data for years.",
    "Audit findings are seldom followed up and their implementation is not tracked publicly.",
    "Existing rules do not cover all public bodies and exemptions are applied inconsistently.",
    "Local authorities lack the capacity and tools to publish information proactively.",
    "The legal framework predates digital services and needs to be brought up to date.",
    "Marginalised groups face barriers to taking part in policy-making processes.",
    "Procurement records are incomplete, making it difficult to detect red flags.",
    "Parliamentary committees hold most hearings behind closed doors.",
)
ACTION_SENTENCES = (
    "Milestones include a draft law, a public consultation and a pilot in three regions.",
    "A working group with civil society will meet quarterly and publish its minutes.",
    "Data will be released under an open licence and updated at least monthly.",
    "Staff will be trained and guidance published for all implementing agencies.",
    "An online portal will let users search, download and comment on records.",
    "Progress will be reported twice a year to the multi-stakeholder forum.",
    "The government will publish an annual report on compliance and sanctions.",
    "Independent monitoring by civil society will be funded through a small grants scheme.",
    "Standards will be aligned with the Open Contracting Data Standard and related schemas.",
    "Feedback received will be answered publicly within thirty days.",
    "A register will be created and linked to existing company and budget data.",
    "Results will be evaluated at the end of the plan and lessons shared with other members.",
)
INSTITUTIONS = (
    "Ministry of Justice",
    "Ministry of Finance",
    "Parliament",
    "National Assembly",
    "Office of the Prime Minister",
    "Ministry of Public Administration",
    "Supreme Audit Institution",
    "Anti-Corruption Agency",
    "Ministry of the Interior",
    "Information Commissioner",
    "Public Procurement Agency",
    "Ministry of Digital Affairs",
    "Ministry of Health",
    "Ministry of Education",
    "National Statistics Office",
    "Ombudsman",
    "Ministry of Environment",
    "Electoral Commission",
    "Judicial Council",
    "Secretariat of the Chamber of Deputies",
    "Office of the President",
    "Ministry of Local Government",
    "Tax Administration",
    "Open Government Unit",
    "City Council",
    "Mayor's Office",
    "Ministry of Energy and Mines",
    "Ministry of Gender and Social Affairs",
    "Company Registry",
    "Senate",
)
CIVIL_SOCIETY = (
    "Transparency International chapter",
    "Open Knowledge network",
    "Civil society coalition",
    "Journalists' association",
    "Youth council",
    "University research centre",
    "Bar association",
    "Women's rights network",
    "Chamber of Commerce",
    "Local NGOs",
)
PLAN_THEMES = (
    "Open Parliament",
    "Transparency",
    "Accountability",
    "Open Justice",
    "Civic participation",
    "Fiscal Transparency",
    "Anti-corruption",
    "Citizen Inclusion",
    "Environment",
    "Freedom of Information",
    "Public Service Delivery",
    "Digital Government",
)
P_FOURTH_SENTENCE = 0.5  # descriptions of 3 or 4 sentences: ~190-420 chars, mean ~290
P_THEME_NULL = 272 / 558  # Theme = NA in the real export
P_SHORT_TITLE_NULL = 0.4
P_SUPPORTING_NULL = 0.15
P_DATES_NULL = 146 / 558  # Start Date = NA in the real export
START_MONTH_DAY = ("1/1", "7/1", "9/1")
END_MONTH_DAY = ("12/31", "6/30", "8/31")


STR = pa.string()
SOURCE_FILE = "synthetic"
COMPLETION_ORDER = SCALES["completion"]  # Not Started < Limited < Substantial < Complete


class SynthError(Exception):
    """A refusal or bad argument; the CLI prints it as one `error: ...` line."""


# --------------------------------------------------------------------------------------------
# Helpers
def _choice(rng: np.random.Generator, n: int, freq: dict) -> tuple[list, np.ndarray]:
    """Draw n categories with the given counts/weights; returns (levels, int8 codes; -1 = None)."""
    levels = [k for k in freq if k is not None]
    weights = np.array([freq[k] for k in levels] + [freq.get(None, 0)], dtype=float)
    codes = rng.choice(len(weights), size=n, p=weights / weights.sum()).astype(np.int8)
    codes[codes == len(levels)] = -1
    return levels, codes


def _take_str(levels, codes: np.ndarray) -> pa.Array:
    """String array of levels[codes], null where codes < 0."""
    idx = pa.array(codes.astype(np.int32), mask=codes < 0)
    return pa.array(list(levels), type=STR).take(idx)


def _take_bool(levels, codes: np.ndarray) -> pa.Array:
    vals = np.array([bool(x) for x in levels] + [False])[codes]  # codes -1 -> last (masked)
    return pa.array(vals, mask=codes < 0, type=pa.bool_())


def _join(*parts, sep: str = "") -> pa.Array:
    return pc.binary_join_element_wise(*parts, sep)


def _mask_null(arr: pa.Array, null: np.ndarray) -> pa.Array:
    return pc.if_else(pa.array(null), pa.scalar(None, arr.type), arr)


def _list_array(offsets: np.ndarray, names: pa.Array, cols: np.ndarray) -> pa.Array:
    return pa.ListArray.from_arrays(pa.array(offsets.astype(np.int32)), names.take(pa.array(cols)))


def snapshot_dates(k: int) -> list[str]:
    return [f"{y}-01-01" for y in range(NEWEST_SNAPSHOT_YEAR - k + 1, NEWEST_SNAPSHOT_YEAR + 1)]


def check_target(data_dir: str | os.PathLike) -> Path:
    """The resolved target; refuses the bundled data directory and anything inside it."""
    target = Path(data_dir).expanduser().resolve()
    bundled = paths.BUNDLED_DATA_DIR.resolve()
    if target == bundled or target.is_relative_to(bundled):
        raise SynthError(
            f"refusing to write synthetic data into the bundled data directory {bundled}"
            " (choose another --data-dir)"
        )
    return target


# --------------------------------------------------------------------------------------------
# Model
def _members() -> dict[str, np.ndarray]:
    region = {c: r for c, _, r, _, _ in NATIONAL_MEMBERS}
    rows = [(c, n, "national", c, r, s, y, np.nan, np.nan) for c, n, r, y, s in NATIONAL_MEMBERS]
    rows += [
        (c, n, "local", iso, region[iso], "active", y, lat, lon) for c, n, iso, y, lat, lon in LOCAL_MEMBERS
    ]
    cols = list(zip(*rows))
    names = ("code", "name", "kind", "iso3", "region", "status", "first_year", "lat", "lon")
    return {k: np.array(v) for k, v in zip(names, cols)}


def _plans(members: dict, last_year: int) -> dict[str, np.ndarray]:
    """Every member's plans submitted up to last_year, every PLAN_CYCLE_YEARS from its first."""
    m_idx, ap, year = [], [], []
    for i, first in enumerate(members["first_year"]):
        for k, y in enumerate(range(int(first), last_year + 1, PLAN_CYCLE_YEARS), start=1):
            m_idx.append(i)
            ap.append(k)
            year.append(y)
    # ordered by year, so each earlier snapshot is a prefix of the rows (zero-copy slices)
    order = np.lexsort((np.array(ap), np.array(m_idx), np.array(year)))
    return {
        "member": np.array(m_idx, dtype=np.int32)[order],
        "ap": np.array(ap, dtype=np.int16)[order],
        "year": np.array(year, dtype=np.int16)[order],
    }


def build(n: int, seed: int = DEFAULT_SEED, snapshots: int = DEFAULT_SNAPSHOTS):
    """Yield (as_of, {"commitments": Table, "members": Table, "action_plans": Table}) oldest first.
    The newest snapshot has exactly n commitments."""
    if n < 1:
        raise SynthError("--commitments must be at least 1")
    if not 1 <= snapshots <= MAX_SNAPSHOTS:
        raise SynthError(f"--snapshots must be between 1 and {MAX_SNAPSHOTS}")
    rng = np.random.default_rng(seed)
    dates = snapshot_dates(snapshots)
    years = [int(d[:4]) for d in dates]
    members = _members()
    plans = _plans(members, years[-1] - 1)  # plans submitted before the newest as-of date
    n_plans = len(plans["year"])

    # ---- commitments per plan: member size x plan size, lognormal, like the real skew
    member_w = rng.lognormal(0.0, 0.6, size=len(members["code"]))
    plan_w = member_w[plans["member"]] * rng.lognormal(0.0, 0.5, size=n_plans)
    per_plan = rng.multinomial(n, plan_w / plan_w.sum()).astype(np.int64)
    plan_of = np.repeat(np.arange(n_plans, dtype=np.int32), per_plan)  # rows ordered by plan
    starts = np.concatenate([[0], np.cumsum(per_plan)[:-1]])
    comm_no = (np.arange(n, dtype=np.int64) - starts[plan_of] + 1).astype(np.int32)
    member_of = plans["member"][plan_of]
    year_of = plans["year"][plan_of]
    new_method = year_of >= NEW_METHOD_FROM_YEAR

    # ---- identifiers (Arrow compute, no Python loop over rows)
    codes_arr = pa.array(members["code"].tolist(), type=STR)
    names_arr = pa.array(members["name"].tolist(), type=STR)
    m_idx = pa.array(member_of)
    member_code = codes_arr.take(m_idx)
    member_name = names_arr.take(m_idx)
    ap_arr = pa.array(plans["ap"][plan_of])
    ap_str = pc.cast(ap_arr, STR)
    no_str = pc.cast(pa.array(comm_no), STR)
    key = _join(member_code, ap_str, no_str, sep="-")
    ap_id = _join(pa.scalar("AP_"), member_code, pc.utf8_lpad(ap_str, 2, "0"))
    ogp_id = _join(pa.scalar("SY"), pc.utf8_lpad(pc.cast(pa.array(np.arange(1, n + 1)), STR), 6, "0"))

    # ---- text
    def pick(words, size=n):
        return pa.array(words, type=STR).take(pa.array(rng.integers(0, len(words), size, dtype=np.int32)))

    verb_idx = rng.integers(0, len(VERBS), n, dtype=np.int32)
    verbs = pa.array(VERBS, type=STR)
    obj = pick(OBJECTS)
    qual = pick(QUALIFIERS)
    title = _join(verbs.take(pa.array(verb_idx)), obj, qual, sep=" ")
    short_title = _mask_null(pick(SHORT_TITLES), rng.random(n) < P_SHORT_TITLE_NULL)
    lead = pick(INSTITUTIONS)
    verbs_lc = pa.array([v.lower() for v in VERBS], type=STR)
    first_sentence = _join(
        pa.scalar("The"),
        lead,
        pa.scalar("will"),
        verbs_lc.take(pa.array(verb_idx)),
        obj,
        _join(qual, pa.scalar(".")),
        sep=" ",
    )
    extra = _mask_null(pick(ACTION_SENTENCES), rng.random(n) >= P_FOURTH_SENTENCE)
    description = pc.binary_join_element_wise(
        first_sentence, pick(CONTEXT_SENTENCES), pick(ACTION_SENTENCES), extra, " ", null_handling="skip"
    )
    del first_sentence, extra, obj, qual, verb_idx  # free the intermediates before the next ones
    supporting = _join(pick(INSTITUTIONS), pick(CIVIL_SOCIETY), sep=", ")
    supporting = _mask_null(supporting, rng.random(n) < P_SUPPORTING_NULL)
    theme = _mask_null(pick(PLAN_THEMES), rng.random(n) < P_THEME_NULL)
    year_str = pc.cast(pa.array(year_of), STR)
    end_year = (year_of + PLAN_CYCLE_YEARS).astype(np.int16)
    end_year_str = pc.cast(pa.array(end_year), STR)
    dates_null = rng.random(n) < P_DATES_NULL
    start_date = _mask_null(_join(pick(START_MONTH_DAY), year_str, sep="/"), dates_null)
    end_date = _mask_null(_join(pick(END_MONTH_DAY), end_year_str, sep="/"), dates_null)

    # ---- policy areas: independent 0/1 per area at the real shares, at least one per row
    area_names = pa.array([a for a, _ in POLICY_AREA_COUNTS], type=STR)
    area_p = np.array([max(c / REAL_EXPORT_ROWS, POLICY_AREA_FLOOR) for _, c in POLICY_AREA_COUNTS])
    offs, cols = [np.zeros(1, np.int64)], []
    total = 0
    for lo in range(0, n, CHUNK):
        hi = min(n, lo + CHUNK)
        hit = rng.random((hi - lo, len(area_p)), dtype=np.float32) < area_p.astype(np.float32)
        empty = ~hit.any(axis=1)
        hit[np.flatnonzero(empty), rng.choice(len(area_p), empty.sum(), p=area_p / area_p.sum())] = True
        r, c = np.nonzero(hit)
        offs.append(total + np.cumsum(np.bincount(r, minlength=hi - lo)))
        cols.append(c.astype(np.int32))
        total += len(c)
    policy_areas = _list_array(
        np.concatenate(offs), area_names, np.concatenate(cols) if cols else np.zeros(0, np.int32)
    )

    # ---- IRM ratings, final (newest-snapshot) values; codes index the level lists
    assessed = rng.random(n) < np.where(new_method, P_ASSESSED_NEW, P_ASSESSED_OLD)
    old = ~new_method

    def draw(freq_old, freq_new=None):
        lv_o, c_o = _choice(rng, n, freq_old)
        if freq_new is None:
            return lv_o, np.where(old, c_o, -1).astype(np.int8)
        lv_n, c_n = _choice(rng, n, freq_new)
        levels = lv_o + [x for x in lv_n if x not in lv_o]
        remap = np.array([levels.index(x) for x in lv_n] + [-1], dtype=np.int8)
        return levels, np.where(old, c_o, remap[c_n]).astype(np.int8)

    spec_lv, spec = draw(OLD_SPECIFICITY)
    verif_lv, verif = draw(OLD_VERIFIABLE, NEW_VERIFIABLE)
    rel_lv, rel = draw(OLD_RELEVANT, NEW_RELEVANT)
    pi_lv, pi = draw(OLD_POTENTIAL_IMPACT)
    pfr_lv, pfr = _choice(rng, n, NEW_POTENTIAL_FOR_RESULTS)
    pfr = np.where(new_method, pfr, -1).astype(np.int8)
    # completion as strings codes over COMPLETION levels incl. unordered ones
    comp_levels = list(COMPLETION_ORDER) + ["Withdrawn", "Unclear", "No Evidence Available"]

    def comp(freq, where):
        lv, c = _choice(rng, n, freq)
        remap = np.array([comp_levels.index(x) for x in lv] + [-1], dtype=np.int8)
        return np.where(where, remap[c], -1).astype(np.int8)

    mid = comp(OLD_COMPLETION_MIDTERM, old)
    end = np.where(old, comp(OLD_COMPLETION_END, old), comp(NEW_COMPLETION_END, new_method)).astype(np.int8)
    ordered = lambda c: (c >= 0) & (c < len(COMPLETION_ORDER))  # noqa: E731
    both = ordered(mid) & ordered(end)
    end = np.where(both, np.maximum(end, mid), end).astype(np.int8)  # end of term >= mid-term
    diog_lv, diog = draw(OLD_DIOG, NEW_DIOG)
    er_lv, er = _choice(rng, n, NEW_EARLY_RESULTS)
    er = np.where(new_method, er, -1).astype(np.int8)
    ogp_val_names = pa.array(list(OLD_OGP_VALUES), type=STR)
    ogp_hit = (
        rng.random((n, len(OLD_OGP_VALUES)), dtype=np.float32)
        < np.array(list(OLD_OGP_VALUES.values()), dtype=np.float32)
    ) & (old & assessed)[:, None]
    # progress: how many levels lower j snapshots back (cumulative, so monotone in j)
    back = np.zeros((snapshots, n), dtype=np.int8)
    for j in range(1, snapshots):
        back[j] = back[j - 1] + (rng.random(n) < P_PROGRESS_PER_SNAPSHOT)

    # ---- per-plan process fields (constant across snapshots)
    steps_lv, steps = _choice(rng, n_plans, STEPS_FOLLOWED)
    iap_lv, iap_dev = _choice(rng, n_plans, IAP2)
    _, iap_impl = _choice(rng, n_plans, IAP2)
    part_lv, part = _choice(rng, n_plans, PARTICIPATION)
    forum = rng.random(n_plans) < P_REGULAR_FORUM
    forum_null = rng.random(n_plans) < P_PROCESS_MISSING
    selfa = rng.random(n_plans) < P_SELF_ASSESSMENT
    selfa_null = rng.random(n_plans) < P_PROCESS_MISSING
    steps_vals = np.array(steps_lv + [0], dtype=np.int8)[steps]

    plan_ap_id = [f"AP_{members['code'][m]}{a:02d}" for m, a in zip(plans["member"], plans["ap"])]

    for i, (as_of, y) in enumerate(zip(dates, years)):
        j_back = snapshots - 1 - i  # snapshots back from the newest
        m = int(np.searchsorted(year_of, y))  # rows of plans submitted before the as-of date
        rows = slice(0, m)
        ys = year_of[rows]
        a = assessed[rows]
        mid_known = a & (y >= ys + MIDTERM_AFTER_YEARS)
        end_known = a & (y >= ys + END_AFTER_YEARS)
        d = back[j_back][rows]

        def progress(c):
            c = c[rows]
            lowered = np.where(ordered(c), np.maximum(c - d, 0), c)
            return lowered.astype(np.int8)

        mid_s = np.where(mid_known, progress(mid), -1).astype(np.int8)
        end_s = np.where(end_known, progress(end), -1).astype(np.int8)
        latest = np.where(end_s >= 0, end_s, mid_s)
        high = np.isin(latest, [comp_levels.index(h) for h in HIGH_COMPLETION])
        star_applied = mid_known & old[rows]
        meets = (
            (verif[rows] >= 0)
            & np.array([bool(x) for x in verif_lv] + [False])[verif[rows]]
            & (rel[rows] >= 0)
            & np.array([bool(x) for x in rel_lv] + [False])[rel[rows]]
            & (pi[rows] == pi_lv.index("Transformative"))
            & high
        )
        starred = pa.array(meets, mask=~star_applied, type=pa.bool_())
        ha = ogp_hit[rows]
        r_, c_ = np.nonzero(ha)
        ogp_off = np.concatenate([[0], np.cumsum(ha.sum(axis=1))])
        na = lambda c: np.where(a, c[rows], -1).astype(np.int8)  # noqa: E731

        commitments = pa.Table.from_arrays(
            [
                key.slice(0, m),
                ogp_id.slice(0, m),
                member_code.slice(0, m),
                member_name.slice(0, m),
                ap_arr.slice(0, m),
                ap_id.slice(0, m),
                no_str.slice(0, m),
                title.slice(0, m),
                short_title.slice(0, m),
                description.slice(0, m),
                theme.slice(0, m),
                lead.slice(0, m),
                supporting.slice(0, m),
                pa.array(ys),
                pa.array(end_year[rows]),
                start_date.slice(0, m),
                end_date.slice(0, m),
                policy_areas.slice(0, m),
                _list_array(ogp_off, ogp_val_names, c_.astype(np.int32)),
                _take_bool(rel_lv, na(rel)),
                _take_bool(verif_lv, na(verif)),
                _take_str(spec_lv, na(spec)),
                _take_str(pi_lv, na(pi)),
                _take_str(comp_levels, mid_s),
                _take_str(comp_levels, end_s),
                _take_str(pfr_lv, na(pfr)),
                _take_str(er_lv, np.where(end_known, er[rows], -1).astype(np.int8)),
                _take_str(diog_lv, np.where(end_known, diog[rows], -1).astype(np.int8)),
                starred,
                pa.array(mid_known),
                pa.nulls(m, STR),
                pa.repeat(pa.scalar("synthetic", STR), m),
                pa.repeat(pa.scalar(SOURCE_FILE, STR), m),
                pa.array(np.arange(1, m + 1, dtype=np.int32)),
                pa.nulls(m, STR),  # match: keys are the generator's, not matched (ogp/data/matching.py)
                pa.ListArray.from_arrays(np.zeros(m + 1, dtype=np.int32), pa.array([], STR)),  # links
            ],
            schema=schema.COMMITMENTS,
        )

        plan_n = np.bincount(plan_of[rows], minlength=n_plans)
        pl = np.flatnonzero(plan_n > 0)
        action_plans = pa.Table.from_arrays(
            [
                pa.array(members["code"][plans["member"][pl]].tolist(), STR),
                pa.array(plans["ap"][pl]),
                pa.array([plan_ap_id[i] for i in pl], STR),
                pa.array(plans["year"][pl]),
                pa.array((plans["year"][pl] + PLAN_CYCLE_YEARS).astype(np.int16)),
                pa.array(plan_n[pl].astype(np.int32)),
                pa.array(steps_vals[pl], mask=steps[pl] < 0, type=pa.int8()),
                _take_str(iap_lv, iap_dev[pl]),
                _take_str(iap_lv, iap_impl[pl]),
                _take_str(part_lv, part[pl]),
                pa.array(forum[pl], mask=forum_null[pl]),
                pa.array(selfa[pl], mask=selfa_null[pl]),
            ],
            schema=schema.ACTION_PLANS,
        )

        mem = np.unique(plans["member"][pl])
        lat, lon = members["lat"][mem].astype(float), members["lon"][mem].astype(float)
        members_t = pa.Table.from_arrays(
            [
                pa.array(members["code"][mem].tolist(), STR),
                pa.array(members["name"][mem].tolist(), STR),
                pa.array(members["kind"][mem].tolist(), STR),
                pa.array(members["iso3"][mem].tolist(), STR),
                pa.array(members["region"][mem].tolist(), STR),
                pa.array(members["status"][mem].tolist(), STR),
                pa.array(lat, mask=np.isnan(lat)),
                pa.array(lon, mask=np.isnan(lon)),
            ],
            schema=schema.MEMBERS,
        )
        yield as_of, {"commitments": commitments, "members": members_t, "action_plans": action_plans}


# --------------------------------------------------------------------------------------------
# Writing
def _write_snapshot(root: Path, as_of: str, tables: dict, manifest: dict) -> Path:
    """Write into a temporary folder next to the target, then rename it into place (as the
    importer does); a previous synthetic snapshot of that date is replaced."""

    def write(folder: Path) -> None:
        for name in schema.TABLES:
            pq.write_table(
                tables[name],
                folder / f"{name}.parquet",
                compression=COMPRESSION,
                row_group_size=ROW_GROUP_SIZE,
            )
        (folder / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")

    return paths.publish_snapshot(root, as_of, write, tag="synth-")


def _refuse_real_snapshots(root: Path, dates: list[str]) -> None:
    """Never replace a snapshot that synth did not write (its manifest must say synthetic)."""
    for as_of in dates:
        target = root / as_of
        if not target.exists():
            continue
        try:
            synthetic = json.loads((target / "manifest.json").read_text(encoding="utf-8")).get("synthetic")
        except (OSError, ValueError):
            synthetic = False
        if synthetic is not True:
            raise SynthError(f"{target} exists and is not a synthetic snapshot; refusing to replace it")


def write(
    data_dir: str | os.PathLike,
    n: int,
    seed: int = DEFAULT_SEED,
    snapshots: int = DEFAULT_SNAPSHOTS,
    log=None,
) -> list[dict]:
    """Generate and write the synthetic snapshots; returns their manifests, oldest first."""
    root = check_target(data_dir) / "snapshots"
    if not 1 <= snapshots <= MAX_SNAPSHOTS:
        raise SynthError(f"--snapshots must be between 1 and {MAX_SNAPSHOTS}")
    _refuse_real_snapshots(root, snapshot_dates(snapshots))
    root.mkdir(parents=True, exist_ok=True)
    manifests = []
    for as_of, tables in build(n, seed, snapshots):
        manifest = {
            "schema_version": schema.SCHEMA_VERSION,
            "as_of": as_of,
            "created_at": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
            "synthetic": True,
            "seed": seed,
            "sources": [],
            "counts": {k: tables[k].num_rows for k in ("commitments", "members", "action_plans")},
            "warnings": [],
        }
        path = _write_snapshot(root, as_of, tables, manifest)
        del tables
        manifests.append(manifest)
        if log:
            c = manifest["counts"]
            log(
                f"{path}: {c['commitments']:,} commitments, {c['members']} members, "
                f"{c['action_plans']} action plans"
            )
    return manifests


# --------------------------------------------------------------------------------------------
# CLI
def register(subparsers) -> None:
    p = subparsers.add_parser(
        "synth",
        help="write synthetic snapshots for scale testing",
        description="Write synthetic snapshots in the canonical schema (docs/DATA.md) for scale "
        "testing. Never writes into the bundled data/ directory.",
    )
    p.add_argument(
        "--commitments", type=int, required=True, metavar="N", help="commitments in the newest snapshot"
    )
    p.add_argument(
        "--data-dir",
        required=True,
        metavar="DIR",
        help="where to write (DIR/snapshots/<date>/); not the bundled data/",
    )
    p.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    p.add_argument(
        "--snapshots",
        type=int,
        default=DEFAULT_SNAPSHOTS,
        metavar="K",
        help=f"number of yearly snapshots ending {NEWEST_SNAPSHOT_YEAR}-01-01 (default {DEFAULT_SNAPSHOTS})",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        write(
            args.data_dir,
            args.commitments,
            args.seed,
            args.snapshots,
            log=lambda s: print(s, file=sys.stderr),
        )
    except (SynthError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0
