"""Suite-wide options. Slow sweeps (every page x every viewport x every language...) are marked
`slow` and run only when asked (`python -m pytest --slow` or `OGP_SLOW=1`); CI runs the
representative set. They are deselected, not skipped: the run's summary counts them."""

from __future__ import annotations

import os

import pytest


def pytest_addoption(parser):
    parser.addoption("--slow", action="store_true", help="also run the slow browser sweeps")


def pytest_collection_modifyitems(config, items):
    if config.getoption("--slow") or os.environ.get("OGP_SLOW") == "1":
        return
    keep, slow = [], []
    for item in items:
        (slow if item.get_closest_marker("slow") else keep).append(item)
    if slow:
        config.hook.pytest_deselected(items=slow)
        items[:] = keep


@pytest.fixture(autouse=True)
def pages_in_navigation(monkeypatch):
    """AppTest runs the dashboard as `streamlit run dashboard.py` serves it. The served process is
    told before its first session that every page is registered with st.navigation (ogp/app/host.py),
    or a `pages/` folder beside the entry point makes Streamlit run a page's file on its own, in
    its old file-based mode. AppTest resets that setting before every run; set it again."""
    from streamlit.runtime.pages_manager import PagesManager

    from ogp.app import host

    init = PagesManager.__init__

    def as_served(self, *args, **kwargs):
        init(self, *args, **kwargs)
        host.prepare_process()

    monkeypatch.setattr(PagesManager, "__init__", as_served)
