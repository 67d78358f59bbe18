"""The app shell: opens a plan off the UI thread, shows it, never as markup."""

from __future__ import annotations

from pathlib import Path

from planner.app.main import make_app


async def _summary_text(app) -> str:
    await app.workers.wait_for_complete()
    return str(app.query_one("#summary").render())


async def test_opens_a_sample_plan_and_shows_its_overview(sample) -> None:
    path = sample("webinar-series.toml")
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        text = await _summary_text(app)
        await pilot.pause()
        assert "SMO" in text and "of 12 done" in text
        assert app.title != "planner"  # the campaign's name
        assert path.name in app.sub_title


async def test_plan_text_is_shown_literally_not_as_markup(tmp_path: Path) -> None:
    path = tmp_path / "markup.toml"
    path.write_text(
        'schema = 1\n[campaign]\nname = "[bold]Sale[/] [link=x]"\ntimezone = "UTC"\n'
        "start = 2027-01-04\nend = 2027-02-01\n[smo]\ndue = 2027-01-08\n",
        encoding="utf-8",
    )
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        text = await _summary_text(app)
        await pilot.pause()
        assert "[bold]Sale[/] [link=x]" in text
        assert app.title == "[bold]Sale[/] [link=x]"


async def test_a_plan_that_does_not_load_shows_the_error_and_is_not_written(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_bytes(b"schema = 1\n[campaign\n")
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        text = await _summary_text(app)
        await pilot.pause()
        assert "broken.toml:2:" in text
        await pilot.press("ctrl+q")
    assert path.read_bytes() == b"schema = 1\n[campaign\n"
