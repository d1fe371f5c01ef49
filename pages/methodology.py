"""Methodology: how every figure is computed, generated from ogp/measures.py and
ogp/matching.py with the counts of the snapshots (ogp/method.py; also docs/METHOD.md)."""

import streamlit as st

from ogp import ui

st.markdown(ui.methodology())
