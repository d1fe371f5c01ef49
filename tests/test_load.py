"""The load generator (`python -m ogp load`, Locust) against real Streamlit servers: a short run
on the dashboard with a few users, one where every page raises, and the bounds it refuses."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest
from pagetest import ROOT

from ogp.ops.serve import Replica
from ogp.ops.stream import Session


def load(*args: str, timeout: float = 240) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ogp", "load", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture(scope="module")
def dashboard():
    with Replica() as server:
        with Session(server.url) as s:  # the first run opens the store: not part of the load
            assert s.rerun("").failure is None
        yield server


def test_a_short_real_load_run_reports_every_page_and_no_failure(dashboard):
    done = load(
        "--url", dashboard.url, "--users", "4", "--spawn-rate", "4", "--duration", "12",
        "--think", "0.2", "0.5", "--json",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout)
    assert report["requests"] > 0
    assert report["failures"] == 0, report["errors"]
    assert report["per_s"] > 0
    reruns = [p for p in report["pages"] if p["type"] == "rerun"]
    assert reruns and all(p["p50_ms"] > 0 and p["p95_ms"] >= p["p50_ms"] for p in reruns)


@pytest.mark.slow  # the short mixed run above covers the generator in CI
def test_the_overview_scenario_stops_after_its_reruns(dashboard):
    done = load(
        "--url", dashboard.url, "--users", "3", "--spawn-rate", "3", "--duration", "60",
        "--scenario", "overview", "--reruns-per-user", "2", "--json",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout)
    assert report["requests"] == 6 and report["failures"] == 0, report
    assert report["elapsed_s"] < 60
    assert [p["name"] for p in report["pages"]] == ["overview"]


def test_an_exception_on_the_page_counts_as_a_failure(tmp_path):
    script = tmp_path / "broken.py"
    script.write_text(
        textwrap.dedent(
            """
            import streamlit as st
            st.title("A page that fails")
            raise RuntimeError("the data could not be read")
            """
        )
    )
    with Replica(script=script) as server:
        done = load(
            "--url", server.url, "--users", "2", "--spawn-rate", "2", "--duration", "6",
            "--scenario", "overview", "--think", "0.1", "0.2", "--json",
        )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout)
    assert report["requests"] > 0
    assert report["failures"] == report["requests"]
    assert any("exception on page" in e["error"] for e in report["errors"]), report["errors"]


@pytest.mark.parametrize(
    "args, message",
    [
        (["--url", "http://example.org"], "on this machine"),
        (["--url", "http://10.0.0.1:8501"], "on this machine"),
        (["--url", "http://127.0.0.1:8501", "--users", "5000"], "--users"),
        (["--url", "http://127.0.0.1:8501", "--duration", "100000"], "--duration"),
    ],
)
def test_refuses_other_hosts_and_unbounded_runs(args, message, capsys):
    """The bounds are checked before any child process or Locust import: `ogp load` in this
    process (the command line as a process is the short run's, above)."""
    from ogp import cli

    assert cli.main(["load", *args]) == 2
    out, err = capsys.readouterr()
    assert err.startswith("error:") and message in err
    assert out == ""
