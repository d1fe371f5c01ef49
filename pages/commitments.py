"""Commitments: search and filter every commitment, page through them, open one (?id=KEY),
download exactly the filtered rows as CSV or Excel."""

import math

import streamlit as st

from ogp.app import ui
from ogp.model import i18n, registry, scales, text, urls
from ogp.model.i18n import N_, _, ngettext, number

PAGE_SIZE = 50
RATINGS = {**text.RATING_LABELS, "starred": N_("Starred")}  # shown through _()

filters = ui.filters()
wanted = ui.clean_text(st.query_params.get("id", ""), 40)

if wanted:
    found = ui.run("commitment_key", id=wanted)["key"]
    history = ui.run("commitment_history", key=found.iloc[0]) if len(found) else None
    if history is None or history.empty:
        st.title(_("Commitments"))
        st.warning(
            _("No commitment with the identifier “{id}”. Search for it below.").format(
                id=ui.escape_md(wanted)
            )
        )
    else:
        c = history.iloc[-1]
        st.title(c["title"], anchor=False)
        st.markdown(
            ui.link(c["member_name"], urls.member_url(c["member_code"]))
            + " · "
            + _("action plan {plan} · commitment {number} · submitted {year} · key `{key}`").format(
                plan=c["action_plan"],
                number=ui.escape_md(c["commitment_no"]),
                year=c["year_submitted"] or _("n/a"),
                key=c["key"],
            )
            + (" · " + _("OGP id `{id}`").format(id=c["ogp_id"]) if c["ogp_id"] else "")
        )
        if c["url"]:
            st.link_button(_("Open on opengovpartnership.org"), c["url"])
        st.caption(
            _("Ratings in each snapshot that holds this commitment (the last is its latest known state).")
        )
        ratings = history.set_index("snapshot")[list(RATINGS)]
        ratings = ratings.assign(
            starred=ratings["starred"].map({True: _("Yes"), False: _("No")}),
            **{
                col: ratings[col].map(lambda v, s=s: i18n.level(s, v))
                for col, s in scales.COLUMN_SCALE.items()
                if col in ratings
            },
        )
        ratings = ratings.rename(columns={k: _(v) for k, v in RATINGS.items()}).T
        ratings.columns = [str(s.date()) if hasattr(s, "date") else str(s) for s in ratings.columns]
        st.dataframe(ratings.astype("string").fillna(_(text.NOT_ASSESSED)), width="stretch")
        none = _("none")
        st.markdown(
            _("**Themes:** {themes}  \n**Policy areas:** {areas}").format(
                themes=ui.escape_md(", ".join(ui.theme_names().get(t, t) for t in c["themes"])) or none,
                areas=ui.escape_md(", ".join(c["policy_areas"])) or none,
            )
        )
        unspecified = _("not specified")
        st.markdown(
            _("**Lead institution:** {lead}  \n**Supporting:** {supporting}").format(
                lead=ui.escape_md(c["lead_institution"] or unspecified),
                supporting=ui.escape_md(c["supporting_institutions"] or unspecified),
            )
        )
        if c["description"]:
            with st.container(border=True):
                st.text(c["description"])
        st.page_link(
            registry.MEMBERS.file,
            label=_("More from {member}").format(member=c["member_name"]),
            query_params={"member": c["member_code"]},
        )
        st.divider()

st.header(_("Find commitments")) if wanted else st.title(_("Commitments"))
ui.provenance(filters)
# Said once, here: the commitments' own words are data, in the language they were written in.
st.caption(
    _(
        "Commitment titles, descriptions and institutions stay as written in OGP's exports, "
        "in the language of the action plan; everything else is translated."
    )
)
total = int(ui.run("headline", filters).iloc[0]["commitments"])
if total == 0:
    st.info(_("No commitment matches this search and these filters. Try fewer words or clear a filter."))
    st.stop()
pages = math.ceil(total / PAGE_SIZE)
top = st.container(key="table-pager").columns([3, 1])  # room under it for the table's toolbar (APP_CSS)
if filters.q:
    matched = ngettext("**{n}** commitment matches “{q}”.", "**{n}** commitments match “{q}”.", total)
else:
    matched = ngettext("**{n}** commitment matches.", "**{n}** commitments match.", total)
top[0].markdown(matched.format(n=number(total), q=ui.escape_md(filters.q)))
page = top[1].number_input(_("Page"), 1, pages, key=ui.PAGE_KEY, bind="query-params") if pages > 1 else 1
rows = ui.run("commitments_page", filters, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
ui.commitment_table(rows, key="commitments-table", most=20, on_commitments_page=True, rating=filters.rating)
st.caption(
    _("Page {page} of {pages}. Open a commitment for its ratings in every snapshot.").format(
        page=page, pages=pages
    )
)

ui.export_buttons(filters, total)
