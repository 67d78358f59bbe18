"""Checking plans before each commit, in real git repositories made in tmp_path.

`planner check --staged` reads what the commit will hold (the index), not
the working copy; the README's plain git hook uses it, and the pre-commit
framework runs .pre-commit-hooks.yaml from a clone of this repository.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLES

GOOD = (SAMPLES / "shop-launch.toml").read_text("utf-8")
BAD = GOOD.replace('status = "approved"', 'status = "aproved"', 1)
BIN = Path(sys.executable).parent  # the planner console script of this environment

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def git(
    repo: Path, *args: str, check: bool = True, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=check, env=env, timeout=600)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    path = tmp_path / "site"
    path.mkdir()
    git(path, "init", "-q", "-b", "main")
    git(path, "config", "user.email", "test@example.com")
    git(path, "config", "user.name", "Test")
    git(path, "config", "commit.gpgsign", "false")
    return path


def env() -> dict[str, str]:
    return {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}


def check_staged(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "planner"), "check", "--staged", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        env=env(),
        timeout=120,
    )


def write(repo: Path, name: str, text: str) -> Path:
    path = repo / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_a_broken_plan_fixed_but_not_staged_is_still_refused(repo: Path) -> None:
    plan = write(repo, "plans/spring launch.toml", BAD)
    git(repo, "add", ".")
    plan.write_text(GOOD, encoding="utf-8")  # fixed in the working copy only
    result = check_staged(repo)
    assert result.returncode == 1
    line = BAD[: BAD.index('status = "aproved"')].count("\n") + 1
    assert result.stdout.splitlines() == [
        f"plans/spring launch.toml:{line}: smm.posts[0].status: unknown status 'aproved' (did you mean approved?)"
    ]
    git(repo, "add", ".")
    assert check_staged(repo).returncode == 0


def test_only_staged_toml_files_that_are_plans_are_checked(repo: Path) -> None:
    write(repo, "pyproject.toml", '[project]\nname = "site"\n')
    write(repo, "notes.md", "[campaign]\n")
    write(repo, "draft.toml", BAD)  # a plan, but not staged
    git(repo, "add", "pyproject.toml", "notes.md")
    assert (check_staged(repo).returncode, check_staged(repo).stdout) == (0, "")
    write(repo, "odd name: [x] *.toml", BAD)
    git(repo, "add", "--", "odd name: [x] *.toml")
    result = check_staged(repo)
    assert result.returncode == 1 and result.stdout.startswith("odd name: [x] *.toml:")
    named = check_staged(repo, "pyproject.toml")  # a path named is checked whatever it holds
    assert named.returncode == 1 and "pyproject.toml: campaign: the [campaign] table is missing" in named.stdout


def test_a_staged_plan_that_is_no_toml_is_named_with_its_line(repo: Path) -> None:
    write(repo, "plans/a.toml", "[campaign]\nname = \n")
    git(repo, "add", ".")
    result = check_staged(repo)
    assert result.returncode == 2
    assert result.stdout.startswith("plans/a.toml:2:")


def test_check_staged_from_a_subfolder_names_plans_relative_to_it(repo: Path) -> None:
    write(repo, "plans/a.toml", BAD)
    git(repo, "add", ".")
    result = check_staged(repo / "plans")
    assert result.returncode == 1 and result.stdout.startswith("a.toml:")


def test_check_staged_outside_git_says_so(tmp_path: Path) -> None:
    result = check_staged(tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("planner: git rev-parse: ") and "not a git repository" in result.stderr


def readme_hook() -> str:
    text = (ROOT / "README.md").read_text("utf-8")
    match = re.search(r"As a plain git hook.*?```sh\n(.*?)```", text, re.DOTALL)
    assert match, "the README shows a plain git hook"
    return match.group(1)


def test_the_readmes_git_hook_blocks_what_is_staged(repo: Path) -> None:
    hook = repo / ".git" / "hooks" / "pre-commit"
    hook.write_text(readme_hook(), encoding="utf-8")
    hook.chmod(0o755)
    plan = write(repo, "plans/spring launch.toml", BAD)
    git(repo, "add", ".")
    plan.write_text(GOOD, encoding="utf-8")
    refused = git(repo, "commit", "-q", "-m", "broken", check=False, env=env())
    assert refused.returncode != 0
    assert (
        "plans/spring launch.toml:" in refused.stdout + refused.stderr and "aproved" in refused.stdout + refused.stderr
    )
    git(repo, "add", ".")
    assert git(repo, "commit", "-q", "-m", "fixed", check=False, env=env()).returncode == 0


# -- the pre-commit framework ------------------------------------------------------------------


def test_pre_commit_runs_the_hook_from_a_clone_of_this_repository(repo: Path, tmp_path: Path) -> None:
    """pre-commit installs planner (at this repository's HEAD) into its own environment and runs .pre-commit-hooks.yaml.

    pip installs planner's dependencies from wherever pip is configured to
    look (this machine's package index); it needs no other network.
    """
    pre_commit = BIN / "pre-commit"
    assert pre_commit.exists(), "pre-commit is not installed: pip install -e '.[test]' installs it"
    if git(ROOT, "rev-parse", "--git-dir", check=False).returncode != 0:
        pytest.skip("this checkout is not a git repository")
    source = tmp_path / "planner-src"
    git(tmp_path, "clone", "-q", str(ROOT), str(source))
    head = git(ROOT, "rev-parse", "HEAD").stdout.strip()
    assert git(source, "rev-parse", "HEAD").stdout.strip() == head
    # the README's snippet, pointed at the clone and at HEAD
    snippet = re.search(r"With \[pre-commit\].*?```yaml\n(.*?)```", (ROOT / "README.md").read_text("utf-8"), re.DOTALL)
    assert snippet, "the README shows a .pre-commit-config.yaml"
    config = re.sub(r"repo: \S+", f"repo: {source}", snippet.group(1))
    config = re.sub(r"rev: [0-9a-f]{40}", f"rev: {head}", config)
    assert f"rev: {head}" in config and "id: planner-check" in config
    write(repo, ".pre-commit-config.yaml", config)
    hook_env = {**env(), "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    installed = subprocess.run(
        [str(pre_commit), "install"], cwd=repo, capture_output=True, text=True, env=hook_env, timeout=120
    )
    assert installed.returncode == 0, installed.stdout + installed.stderr

    write(repo, "plans/good plan.toml", GOOD)
    git(repo, "add", ".")
    good = git(repo, "commit", "-q", "-m", "a good plan", check=False, env=hook_env)
    assert good.returncode == 0, good.stdout + good.stderr
    assert re.search(r"planner check\.+Passed", good.stdout + good.stderr)

    write(repo, "plans/good plan.toml", BAD)
    git(repo, "add", ".")
    bad = git(repo, "commit", "-q", "-m", "a broken plan", check=False, env=hook_env)
    output = bad.stdout + bad.stderr
    assert bad.returncode != 0
    assert re.search(r"planner check\.+Failed", output)
    assert "plans/good plan.toml:148: smm.posts[0].status: unknown status 'aproved' (did you mean approved?)" in output
    assert git(repo, "log", "--format=%s").stdout.split("\n")[0] == "a good plan"
