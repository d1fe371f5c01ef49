"""Where the data lives: --data-dir, else $OGP_DATA_DIR, else ./data (next to dashboard.py)."""
from __future__ import annotations

import os
import re
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
BUNDLED_DATA_DIR = PROJECT_DIR / "data"
SNAPSHOT_NAME = re.compile(r"^\d{4}-\d{2}-\d{2}$")
SNAPSHOT_FILES = ("commitments", "members", "action_plans")


def data_dir(explicit: str | os.PathLike | None = None) -> Path:
    if explicit:
        return Path(explicit)
    env = os.environ.get("OGP_DATA_DIR")
    return Path(env) if env else BUNDLED_DATA_DIR


def snapshots_dir(base: str | os.PathLike | None = None) -> Path:
    return data_dir(base) / "snapshots"


def snapshot_names(base: str | os.PathLike | None = None) -> list[str]:
    """Dated snapshot folders, oldest first; anything not named YYYY-MM-DD is ignored."""
    root = snapshots_dir(base)
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if p.is_dir() and SNAPSHOT_NAME.match(p.name))
