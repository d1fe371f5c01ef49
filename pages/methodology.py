"""Methodology: how every figure is computed, generated from ogp/model/measures.py and
ogp/data/matching.py with the counts of the snapshots (ogp/render/method.py; also docs/METHOD.md)."""

import streamlit as st

from ogp.app import ui

st.markdown(ui.methodology())
