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
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_plans"
CORPUS = ROOT.parent / "shared" / "corpora" / "toml-test"


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
            [*self.tmux, "new-session", "-d", "-s", self.name, "-x", "100", "-y", "30", "-c", str(cwd), f"env {env} {command}; echo \"[exit $?]\"; sleep 30"],
            check=True,
        )

    def screen(self) -> str:
        return subprocess.run([*self.tmux, "capture-pane", "-p", "-t", self.name], capture_output=True, text=True).stdout

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
