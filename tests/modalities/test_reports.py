"""The coordinators and deadlines reports: one query answers the CLI, its --json and the TUI's Coordinators screen alike."""

from __future__ import annotations

import json
from datetime import date

from cicatext.store.modalities.reports import coordinators, deadlines_report, overview
from cicatext.store.repository import Repository
from tests.tui.helpers import loaded, wait_for

AS_OF = date(2023, 7, 20)


def _order(report) -> list[tuple[str, list[str]]]:
    return [(dimension.id, [area.id for area in dimension.areas]) for dimension in report.dimensions]


def test_dimensions_follow_the_registry_order(sample_repo):
    """Dimensions come by their `order` in the registry, not by file name; the areas of each by name."""
    repo = Repository.open(sample_repo)
    report = coordinators(repo, AS_OF, every_area=True)
    ranks = [repo.dimensions[dimension.id].get("order", 99) for dimension in report.dimensions]
    assert ranks == sorted(ranks)
    for dimension in report.dimensions:
        names = [area.name for area in dimension.areas]
        assert names == sorted(names)


def test_overview_lists_every_area_as_coordinators_all_does(sample_repo):
    """The screen's overview holds the same areas in the same order as `coordinators --all`, and the same deadlines."""
    repo = Repository.open(sample_repo)
    found = overview(repo, AS_OF)
    assert _order(found.coordinators) == _order(coordinators(repo, AS_OF, every_area=True))
    assert found.deadlines == deadlines_report(repo, AS_OF).deadlines
    assert found.problems == 0


def test_without_all_the_areas_with_nothing_recorded_are_left_out(sample_repo):
    """Without `every_area` the listing is the full one less the areas with no appointment, offer or concept paper, in the same order."""
    repo = Repository.open(sample_repo)
    every = [area for dimension in coordinators(repo, AS_OF, every_area=True).dimensions for area in dimension.areas]
    some = [area for dimension in coordinators(repo, AS_OF).dimensions for area in dimension.areas]
    assert some == [area for area in every if not area.coordination.empty]
    assert "ict-security" in [area.id for area in some]


async def test_the_screen_lists_the_areas_in_the_order_of_coordinators_json(demo_repo, run):
    """The Coordinators screen's rows come in the order `cicatext coordinators --json` gives (the areas with
    something recorded), then the other areas in the order `--all` gives them."""
    from cicatext.tui.app import make_app
    from cicatext.tui.screens.coordinators import CoordinatorsScreen

    def listed(*options):
        code, out, _ = run("coordinators", *options, "--json", "--as-of", AS_OF.isoformat(), "-C", str(demo_repo.root))
        assert code == 0
        return [area["id"] for dimension in json.loads(out)["dimensions"] for area in dimension["areas"]]

    recorded = listed()
    expected = recorded + [area for area in listed("--all") if area not in recorded]
    app = make_app(demo_repo, watch=False, as_of=AS_OF, validate_on_start=False)
    async with app.run_test(size=(140, 34)) as pilot:
        await loaded(pilot)
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, CoordinatorsScreen) and app.screen.rows)
        assert [row["area_id"] for row in app.screen.rows] == expected
