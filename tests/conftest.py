"""Shared fixtures: every test runs with its own PLANNER_HOME below tmp_path."""

from __future__ import annotations

import difflib
import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Mapping
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_plans"
CORPUS = ROOT.parent / "shared" / "corpora" / "toml-test"


# -- property budgets: one profile for every hypothesis test ------------------------
#
# Each property states its budget for everyday runs ("dev", Hypothesis's
# defaults; a test that states none gets 100 examples). HYPOTHESIS_PROFILE picks
# how many times that budget a run gives every property: .ci/run sets "ci",
# which also takes Hypothesis's own CI settings (derandomized, so a red build
# stays red on a re-run and names the example; no example database).
# "ci" is 2x so that CI takes at most about a minute longer: the property tests
# (pytest -m hypothesis) used 29 s of CPU with "dev" and 54 s with "ci" on two
# cores shared with other jobs (the wall clock, +19 to +120 s, followed the load);
# 3x would add about 50 s of CPU, too close to the minute.
PROFILE_SCALES = {"dev": 1, "ci": 2, "thorough": 10}
settings.register_profile("dev", settings.get_profile("default"))
settings.register_profile("ci", settings.get_profile("ci"), max_examples=100 * PROFILE_SCALES["ci"])
settings.register_profile("thorough", settings.get_profile("default"), max_examples=100 * PROFILE_SCALES["thorough"])


def profile_name(environ: Mapping[str, str] = os.environ) -> str:
    return environ.get("HYPOTHESIS_PROFILE") or "dev"


def examples(count: int) -> int:
    """``count`` examples (a property's everyday budget) scaled by the chosen profile."""
    return count * PROFILE_SCALES.get(profile_name(), 1)


def refusal(environ: Mapping[str, str] = os.environ) -> str | None:
    """Why the suite must not run with this environment, or None."""
    name = profile_name(environ)
    if name not in PROFILE_SCALES:
        return f"HYPOTHESIS_PROFILE={name!r} is not a profile of this suite; use one of {', '.join(PROFILE_SCALES)}"
    if environ.get("CI") and environ.get("PLANNER_UPDATE_GOLDEN"):
        # Updating rewrites each golden file with what the export gives, so every
        # golden test would pass whatever the exports write.
        return "PLANNER_UPDATE_GOLDEN is set in CI, where the golden tests must compare, not rewrite; unset it"
    return None


def pytest_configure(config: pytest.Config) -> None:
    refused = refusal()
    if refused:
        raise pytest.UsageError(refused)
    settings.load_profile(profile_name())


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Put every `serial` test, and every test that starts the real binary in tmux, on one worker.

    They measure time against a promise (a journal within two seconds) or run a
    whole app in a real terminal: two of them at once on a small machine would
    test the machine, not the app.
    """
    for item in items:
        if "terminal" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.serial)
        if item.get_closest_marker("serial"):
            item.add_marker(pytest.mark.xdist_group("serial"))


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the locations module at a fresh folder; nothing reads real settings."""
    home = tmp_path / "planner-home"
    monkeypatch.setenv("PLANNER_HOME", str(home))
    return home


@pytest.fixture
def sample(tmp_path: Path):
    """Copy a sample plan into tmp_path and return the copy's path."""

    def copy(name: str = "shop-launch.toml") -> Path:
        target = tmp_path / name
        shutil.copyfile(SAMPLES / name, target)
        return target

    return copy


@pytest.fixture
def plan(sample, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The shop launch sample in tmp_path, which is the current folder (the header shows a relative path).

    Test files whose tests need another plan define their own ``plan`` fixture, which overrides this one.
    """
    monkeypatch.chdir(tmp_path)
    return sample("shop-launch.toml")


@pytest.fixture
def line_changes():
    """``(removed, added)``: the lines that turned a file's ``before`` bytes into ``after``, for edits that must touch only their lines."""

    def changes(before: bytes, after: bytes) -> tuple[list[str], list[str]]:
        lines = difflib.unified_diff(before.decode().splitlines(), after.decode().splitlines(), lineterm="", n=0)
        body = [line for line in lines if line[:1] in "+-" and line[:3] not in ("+++", "---")]
        return [line[1:] for line in body if line[0] == "-"], [line[1:] for line in body if line[0] == "+"]

    return changes


def corpus_files(kind: str) -> list[Path]:
    folder = CORPUS / kind
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []


# -- the real binary in a real terminal (tmux) ----------------------------------------

TMUX = shutil.which("tmux")


def planner_command() -> list[str]:
    """The real console script beside this Python, else `python -m planner`."""
    script = Path(sys.executable).with_name("planner")
    return [str(script)] if script.exists() else [sys.executable, "-m", "planner"]


class Terminal:
    def __init__(self, cwd: Path, home: Path, args: list[str]) -> None:
        self.name = f"planner-{uuid.uuid4().hex[:8]}"
        # A tmux server of its own: a test that ends (and takes its server down)
        # cannot race the next one starting its session on a shared server.
        self.tmux = [TMUX, "-L", self.name, "-f", os.devnull]
        command = " ".join(shlex.quote(part) for part in [*planner_command(), *args])
        env = "-u COLUMNS -u LINES " + f"PLANNER_HOME={shlex.quote(str(home))} TERM=xterm-256color COLORFGBG='15;0'"
        subprocess.run(
            [
                *self.tmux,
                "new-session",
                "-d",
                "-s",
                self.name,
                "-x",
                "100",
                "-y",
                "30",
                "-c",
                str(cwd),
                f'env {env} {command}; echo "[exit $?]"; sleep 30',
            ],
            check=True,
        )

    def screen(self) -> str:
        return subprocess.run(
            [*self.tmux, "capture-pane", "-p", "-t", self.name], capture_output=True, text=True
        ).stdout

    def keys(self, *keys: str) -> None:
        subprocess.run([*self.tmux, "send-keys", "-t", self.name, *keys], check=True)

    def type(self, text: str) -> None:
        subprocess.run([*self.tmux, "send-keys", "-t", self.name, "-l", text], check=True)

    def wait_for(self, text: str, timeout: float = 20) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} did not appear; the screen shows:\n{self.screen()}")

    def wait_gone(self, text: str, timeout: float = 10) -> None:
        deadline = time.monotonic() + timeout
        while text in self.screen():
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} is still on screen:\n{self.screen()}")
            time.sleep(0.1)

    def close(self) -> None:
        subprocess.run([*self.tmux, "kill-server"], capture_output=True)


@pytest.fixture
def terminal(tmp_path: Path, isolated_home: Path):
    """Start the real `planner` with these arguments in a terminal of its own (tmux), in tmp_path."""
    if TMUX is None:
        if os.environ.get("CI"):
            raise RuntimeError("tmux is required in CI (.ci/run installs it)")
        pytest.skip("tmux is not installed")
    opened: list[Terminal] = []

    def start(*args: str) -> Terminal:
        term = Terminal(tmp_path, isolated_home, list(args))
        opened.append(term)
        return term

    yield start
    for term in opened:
        term.close()


# -- plans in git (issue 17) ----------------------------------------------------------------


@pytest.fixture
def git(monkeypatch: pytest.MonkeyPatch):
    """Run git (``git(folder, *args)``) with no global or system config: a test sees only its repository's."""
    if shutil.which("git") is None:
        pytest.skip("needs git")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")

    def run(folder: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(["git", *args], cwd=folder, capture_output=True, text=True, timeout=300)
        if check and done.returncode != 0:
            raise AssertionError(f"git {' '.join(args)} failed ({done.returncode}):\n{done.stdout}{done.stderr}")
        return done

    return run


@pytest.fixture
def git_repo(tmp_path: Path, git) -> Path:
    """A new git repository in tmp_path (branch main, a test user, no signing)."""
    path = tmp_path / "repo"
    path.mkdir()
    git(path, "init", "-q", "-b", "main")
    for key, value in (("user.name", "Dana Reviewer"), ("user.email", "dana@example.com"), ("commit.gpgsign", "false")):
        git(path, "config", key, value)
    return path
