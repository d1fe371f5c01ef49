"""A bare Streamlit app that sends, for each view of the dashboard, the same elements (kind
and count) with trivial content: what Streamlit itself costs for such a page. Written and run
by bench/rerun_bench.py (`--twins`); twin.json beside this file says what each view sends:

    {"root": "/path/to/project", "pages": 19, "views": {"overview": {"new_element:markdown": 9, ...}}}

The view is chosen by ?view=NAME; the twin runs on the dashboard's transport (ogp.app.host.no_nagle).
The app registers as many pages as the dashboard's menu
(st.navigation sends the menu on every rerun) and sets a page config, as dashboard.py does.
Its chart is frozen the dashboard's way (ogp.app.cache.FrozenFigure: dict and JSON made once), so the
twin pays for a chart what a dashboard page pays, no more."""

import json
import sys
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import streamlit as st


@st.cache_resource
def spec() -> dict:
    return json.loads(Path(__file__).with_name("twin.json").read_text())


@st.cache_resource
def figure() -> go.Figure:
    sys.path.insert(0, spec()["root"])
    from ogp.app.cache import FrozenFigure

    return FrozenFigure.freeze(go.Figure(go.Bar(x=[1, 2], y=[3, 4])))


@st.cache_resource
def frame() -> pd.DataFrame:
    return pd.DataFrame({"a": [1, 2], "b": ["x", "y"]})


def emit(counts: dict[str, int]) -> None:
    n = counts.get
    for i in range(n("new_element:multiselect", 0)):
        st.sidebar.multiselect(f"m{i}", ["a", "b"], key=f"m{i}")
    for i in range(n("new_element:selectbox", 0)):
        st.sidebar.selectbox(f"s{i}", ["a", "b"], key=f"s{i}")
    for i in range(n("new_element:slider", 0)):
        st.sidebar.slider(f"r{i}", 0, 10, (0, 10), key=f"r{i}")
    for i in range(n("new_element:text_input", 0)):
        st.sidebar.text_input(f"t{i}", key=f"t{i}")
    for i in range(n("new_element:number_input", 0)):
        st.number_input(f"n{i}", 1, 10, key=f"n{i}")
    for i in range(n("new_element:radio", 0)):
        st.radio(f"o{i}", ["a", "b"], key=f"o{i}", horizontal=True)
    for i in range(n("new_element:button", 0)):
        st.button(f"b{i}", key=f"b{i}")
    for i in range(n("new_element:download_button", 0)):
        st.download_button(f"d{i}", b"x", key=f"dl{i}", on_click="ignore")
    for _ in range(n("new_element:html", 0)):
        st.html("<style>p {margin: 0}</style>")
    for _ in range(n("new_element:heading", 0)):
        st.header("A heading")
    for _ in range(n("new_element:markdown", 0) + n("new_element:page_link", 0)):
        st.markdown("A line of *text*.")
    for _ in range(n("new_element:alert", 0)):
        st.info("A note.")
    for _ in range(n("new_element:metric", 0)):
        st.metric("A figure", 42)
    for i in range(n("new_element:plotly_chart", 0) + n("ref_hash", 0)):
        st.plotly_chart(figure(), key=f"p{i}")
    for i in range(n("new_element:dataframe", 0)):
        st.dataframe(frame(), key=f"f{i}", on_select="rerun", selection_mode="single-row")
    for i in range(n("add_block:expandable", 0)):
        st.expander(f"e{i}", key=f"e{i}", on_change="rerun")
    rows, cols = n("add_block:flex_container", 0), n("add_block:column", 0)
    for r in range(rows):
        k = cols // rows + (1 if r < cols % rows else 0)
        if k:
            st.columns(k)
        else:
            st.container(horizontal=True)


def page(index: int):
    def run() -> None:
        emit(spec()["views"].get(st.query_params.get("view", ""), {}))

    run.__name__ = f"page_{index}"
    return run


if __name__ == "__main__":  # each session
    st.set_page_config(page_title="Twin", layout="wide")
    st.navigation(
        [
            st.Page(page(i), title=f"Page {i}", url_path=f"p{i}", default=i == 0)
            for i in range(spec()["pages"])
        ]
    ).run()
else:  # imported by `streamlit run`: the dashboard's transport, as dashboard.py has it
    sys.path.insert(0, json.loads(Path(__file__).with_name("twin.json").read_text())["root"])
    from ogp.app import host

    host.no_nagle()
    app = st.App(__file__)
