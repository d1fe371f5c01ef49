"""Methodology: how every figure is computed, generated from ogp/measures.py and
ogp/matching.py with the counts of the snapshots (ogp/method.py; also docs/METHOD.md)."""

import streamlit as st

from ogp import ui

ui.ensure_dashboard()  # a deep link on a fresh server: go through dashboard.py
st.markdown(ui.methodology())
