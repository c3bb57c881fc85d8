"""README and CI must agree: CI runs exactly the test command README gives."""
import re

from tests.conftest import ROOT


def readme_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    setup = readme.split("## Set up and run", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```bash\n(.+?)\n```", setup, flags=re.S)


def test_readme_gives_exactly_two_setup_commands():
    commands = readme_commands()
    assert len(commands) == 2
    assert "framewatch score seeds/seed_article.txt" in commands[0]
    assert "pytest" in commands[1]
    for command in commands:
        assert "torch==2.13.0" in command and "\n" not in command.strip()


def test_ci_runs_readme_test_command_verbatim():
    command = readme_commands()[1]
    test_command = command[command.index("pip install"):].strip()  # after creating and activating the venv
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test_command in ci.splitlines()
