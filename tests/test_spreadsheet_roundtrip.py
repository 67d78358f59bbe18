"""Every sample plan's posts through a real spreadsheet (LibreOffice headless) and back: nothing to write.

LibreOffice rewrites the CSV as a spreadsheet user's copy would: times as
``07:00:00 PM``, every text cell quoted, LF line ends. Importing that back
must change nothing. Needs ``soffice`` (Debian: ``libreoffice-calc-nogui``);
without it the test is skipped and says why.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SAMPLES

from planner.cli import main

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
# Comma, double quote, UTF-8 (76), from the first line: LibreOffice's CSV filter options.
CSV_OPTIONS = "44,34,76,1"

pytestmark = pytest.mark.skipif(
    SOFFICE is None,
    reason="soffice not found: install LibreOffice Calc (Debian: apt-get install libreoffice-calc-nogui)",
)


def soffice(profile: Path, *args: str, cwd: Path) -> None:
    """Run LibreOffice headless with its own profile (so no running instance or other test is shared)."""
    assert SOFFICE is not None
    done = subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("name", sorted(path.name for path in SAMPLES.glob("*.toml")))
def test_a_sample_plans_csv_through_libreoffice_imports_with_nothing_to_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copyfile(SAMPLES / name, "plan.toml")
    before = Path("plan.toml").read_bytes()
    runner = CliRunner()
    assert (
        runner.invoke(main, ["export", "plan.toml", "--format", "csv", "--phase", "smm", "-o", "posts.csv"]).exit_code
        == 0
    )
    profile = tmp_path / "profile"
    soffice(
        profile, f"--infilter=CSV:{CSV_OPTIONS}", "--convert-to", "xlsx", "--outdir", "xlsx", "posts.csv", cwd=tmp_path
    )
    assert (tmp_path / "xlsx" / "posts.xlsx").is_file()
    soffice(
        profile,
        "--convert-to",
        f"csv:Text - txt - csv (StarCalc):{CSV_OPTIONS}",
        "--outdir",
        "back",
        "xlsx/posts.xlsx",
        cwd=tmp_path,
    )
    back = tmp_path / "back" / "posts.csv"
    assert back.read_bytes() != Path("posts.csv").read_bytes()  # the spreadsheet did rewrite it
    result = runner.invoke(main, ["import", "plan.toml", str(back)])
    assert result.exit_code == 0, result.output
    assert result.output.endswith("unchanged; nothing to write\n"), result.output
    assert Path("plan.toml").read_bytes() == before
