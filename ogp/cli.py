"""`python -m ogp COMMAND`: each command lives in its own module, which exposes
`register(subparsers)` adding a subparser whose `func(args) -> int` runs it."""

from __future__ import annotations

import argparse
import importlib
import sys

COMMAND_MODULES = {  # module -> the commands it registers
    "ogp.data.ingest": ("import", "snapshots"),
    "ogp.data.synth": ("synth",),
    "ogp.ops.bench": ("bench",),
    "ogp.render.digest": ("digest",),
    "ogp.ops.serve": ("serve",),
    "ogp.ops.load": ("load",),
    "ogp.render.method": ("method",),
    "ogp.ops.bake": ("bake",),
    "ogp.ops.refresh": ("refresh",),
}


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """Every command's parser; only `command`'s module is imported when it is a known command
    (the others load pandas, DuckDB, Locust...: `ogp refresh` run by a timer need not wait)."""
    parser = argparse.ArgumentParser(prog="python -m ogp", description="OGP Progress Dashboard tools")
    sub = parser.add_subparsers(dest="command", required=True)
    known = any(command in commands for commands in COMMAND_MODULES.values())
    for name, commands in COMMAND_MODULES.items():
        if known and command not in commands:
            continue
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
    argv = sys.argv[1:] if argv is None else list(argv)
    args = build_parser(argv[0] if argv else None).parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
