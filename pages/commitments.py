"""Commitments: search and filter every commitment, page through them, open one (?id=KEY),
download exactly the filtered rows as CSV or Excel."""

import math

import streamlit as st

from ogp import text, ui, urls

ui.ensure_dashboard()  # a deep link on a fresh server: go through dashboard.py

PAGE_SIZE = 50
RATINGS = {**text.RATING_LABELS, "starred": "Starred"}

filters = ui.sidebar_filters(show_search=True)
wanted = ui.clean_text(st.query_params.get("id", ""), 40)

if wanted:
    found = ui.run("commitment_key", id=wanted)["key"]
    history = ui.run("commitment_history", key=found.iloc[0]) if len(found) else None
    if history is None or history.empty:
        st.title("Commitments")
        st.warning(f"No commitment with the identifier “{wanted}”. Search for it below.")
    else:
        c = history.iloc[-1]
        st.title(c["title"], anchor=False)
        st.markdown(
            ui.link(c["member_name"], urls.member_url(c["member_code"]))
            + f" · action plan {c['action_plan']} · commitment "
            f"{ui.escape_md(c['commitment_no'])} · submitted {c['year_submitted'] or 'n/a'} · key `{c['key']}`"
            + (f" · OGP id `{c['ogp_id']}`" if c["ogp_id"] else "")
        )
        if c["url"]:
            st.link_button("Open on opengovpartnership.org", c["url"])
        st.caption(
            "Ratings in each snapshot that holds this commitment (the last is its latest known state)."
        )
        ratings = history.set_index("snapshot")[list(RATINGS)]
        ratings = ratings.assign(starred=ratings["starred"].map({True: "Yes", False: "No"}))
        ratings = ratings.rename(columns=RATINGS).T
        ratings.columns = [str(s.date()) if hasattr(s, "date") else str(s) for s in ratings.columns]
        st.dataframe(ratings.astype("string").fillna(text.NOT_ASSESSED), width="stretch")
        st.markdown(
            "**Themes:** "
            + (ui.escape_md(", ".join(ui.theme_names().get(t, t) for t in c["themes"])) or "none")
            + "  \n**Policy areas:** "
            + (ui.escape_md(", ".join(c["policy_areas"])) or "none")
        )
        st.markdown(
            "**Lead institution:** "
            + ui.escape_md(c["lead_institution"] or "not specified")
            + "  \n**Supporting:** "
            + ui.escape_md(c["supporting_institutions"] or "not specified")
        )
        if c["description"]:
            with st.container(border=True):
                st.text(c["description"])
        st.page_link(
            "pages/members.py",
            label=f"More from {c['member_name']}",
            query_params={"member": c["member_code"]},
        )
        st.divider()

st.header("Find commitments") if wanted else st.title("Commitments")
ui.provenance(filters)
total = int(ui.run("headline", filters).iloc[0]["commitments"])
if total == 0:
    st.info("No commitment matches this search and these filters. Try fewer words or clear a filter.")
    st.stop()
pages = math.ceil(total / PAGE_SIZE)
top = st.columns([3, 1])
top[0].markdown(
    f"**{total:,}** commitments match" + (f" “{ui.escape_md(filters.q)}”" if filters.q else "") + "."
)
page = top[1].number_input("Page", 1, pages, key=ui.PAGE_KEY, bind="query-params") if pages > 1 else 1
rows = ui.run("commitments_page", filters, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
ui.commitment_table(rows, key="commitments-table", most=20, on_commitments_page=True)
st.caption(f"Page {page} of {pages}. Open a commitment for its ratings in every snapshot.")

ui.export_buttons(filters, total)
