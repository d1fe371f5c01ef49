"""`python -m ogp COMMAND`: each command lives in its own module, which exposes
`register(subparsers)` adding a subparser whose `func(args) -> int` runs it."""

from __future__ import annotations

import argparse
import importlib
import sys

COMMAND_MODULES = (
    "ogp.ingest",
    "ogp.synth",
    "ogp.bench",
    "ogp.digest",
    "ogp.serve",
    "ogp.load",
    "ogp.method",
    "ogp.refresh",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m ogp", description="OGP Progress Dashboard tools")
    sub = parser.add_subparsers(dest="command", required=True)
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:  # a command still being written
            if exc.name != name:
                raise
            continue
        register = getattr(module, "register", None)
        if register is not None:
            register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
