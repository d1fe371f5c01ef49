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
