"""Where the data lives: --data-dir, else $OGP_DATA_DIR, else ./data (next to dashboard.py)."""

from __future__ import annotations

import os
import re
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[2]
BUNDLED_DATA_DIR = PROJECT_DIR / "data"
SNAPSHOT_NAME = re.compile(r"^\d{4}-\d{2}-\d{2}$")


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


def snapshot_listing(base: str | os.PathLike | None = None) -> tuple[tuple[str, int], ...]:
    """(name, inode) of each dated snapshot folder, oldest first: changes when a snapshot is added,
    removed or replaced under the same date (publish_snapshot moves a new folder into place),
    at the cost of one directory listing (the inode comes with it)."""
    root = snapshots_dir(base)
    try:
        entries = [e for e in os.scandir(root) if SNAPSHOT_NAME.match(e.name) and e.is_dir()]
    except OSError:
        return ()
    return tuple(sorted((e.name, e.inode()) for e in entries))


def publish_snapshot(snapshots: Path, as_of: str, write, tag: str = "") -> Path:
    """Build a snapshot folder and move it into place in one rename, so that readers never
    see a half-written snapshot and a failure leaves what was there untouched.

    `write(folder)` fills a fresh temporary folder next to the target; an existing snapshot
    of that date is swapped out only once the new one is complete."""
    import os
    import shutil

    target = snapshots / as_of
    tmp = snapshots / f".tmp-{tag}{as_of}-{os.getpid()}"
    old = snapshots / f".old-{tag}{as_of}-{os.getpid()}"
    snapshots.mkdir(parents=True, exist_ok=True)
    try:
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
        write(tmp)
        if target.exists():
            os.replace(target, old)
            try:
                os.replace(tmp, target)
            except BaseException:
                os.replace(old, target)
                raise
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return target
