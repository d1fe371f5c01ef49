"""The README's two commands stay true: CI runs the README's test command, and the files
the commands name exist."""

import re

from pagetest import ROOT


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return [block.strip() for block in re.findall(r"```bash\n(.*?)```", text, flags=re.S)][:2]


def test_readme_opens_with_run_and_test_commands():
    run, test = readme_commands()
    assert run == "pip install -r requirements.txt && streamlit run dashboard.py"
    assert "pytest" in test
    assert (ROOT / "dashboard.py").is_file() and (ROOT / "requirements.txt").is_file()


def test_ci_runs_the_readme_test_command():
    _, test = readme_commands()
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test in ci.splitlines()
    assert (ROOT / test.split()[1]).is_file()  # the setup script it calls


def test_requirements_are_pinned():
    for name in ("requirements.txt", "requirements-dev.txt"):
        for line in (ROOT / name).read_text().splitlines():
            if line.strip() and not line.startswith("#"):
                assert re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[\w.]+", line.strip()), line


def test_the_readme_command_serves_with_production_settings():
    # `streamlit run dashboard.py` reads .streamlit/config.toml: every setting `ogp serve` passes
    # a replica (but its port and address) is there, the file watcher off above all.
    import tomllib

    from ogp.ops.serve import Replica

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["fileWatcherType"] == "none"
    args = Replica.__new__(Replica)
    args.script, args.port, args.extra_args = "dashboard.py", 1, []
    cmd = args.command()
    flags = dict(zip(cmd[5::2], cmd[6::2]))
    for flag, value in flags.items():
        section, name = flag.removeprefix("--").split(".")
        if name in ("port", "address"):
            continue
        assert str(config[section][name]).lower() == value, flag
    assert "--server.fileWatcherType auto" in (ROOT / "README.md").read_text(encoding="utf-8")
