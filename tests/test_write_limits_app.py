"""In the app: an edit over a size limit (the post editor's 120,000-character paste) is refused, the rest stays (issue 12, item 8)."""

from __future__ import annotations

import datetime as dt

from planner.app.main import make_app
from planner.plan.plan_file import load
from planner.plan.posts import update_post
from planner.settings import Settings


async def test_a_paste_over_the_limit_says_not_changed_and_keeps_the_other_edits(sample) -> None:
    plan = sample()
    before = plan.read_bytes()
    app = make_app(plan, Settings(), clock=lambda: dt.datetime(2027, 3, 10, 12, 0, tzinfo=dt.UTC))
    app.animation_level = "none"
    async with app.run_test(size=(100, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        model = app.plan_file.plan
        assert app.apply_edit(update_post(model, 1, {"title": "Kept in the app"}))
        # What the post form gives the calendar when the user pastes 120,000 characters into the text.
        assert not app.apply_edit(update_post(app.plan_file.plan, 0, {"text": "p" * 120_000}))
        await pilot.pause()
        status = str(app.query_one("#status-line").content)
        assert (
            status
            == "Not changed: smm.posts[0].text: text of 120,000 characters; planner reads at most 100,000 in one text"
        )
        assert plan.read_bytes() == before
        await pilot.press("ctrl+s")
        for _ in range(50):
            await app.workers.wait_for_complete()
            await pilot.pause()
            if "● unsaved" not in app.sub_title:
                break
        assert "● unsaved" not in app.sub_title
    saved = load(plan)
    assert saved.plan is not None and saved.plan.posts[1].title == "Kept in the app"
    assert len(saved.plan.posts[0].text) < 1000
