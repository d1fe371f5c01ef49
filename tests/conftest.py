"""Suite-wide options. Slow sweeps (every page x every viewport x every language...) are marked
`slow` and run only when asked (`python -m pytest --slow` or `OGP_SLOW=1`); CI runs the
representative set. They are deselected, not skipped: the run's summary counts them."""

from __future__ import annotations

import os


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
