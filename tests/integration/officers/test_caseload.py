"""The caseload: keyset pages (no duplicates, no gaps, in duty order), filters, scopes;
and the numbers on the supervisor's team view."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta
from typing import Any

from tests.factories import (
    CaseFactory,
    CaseVictimFactory,
    MessageFactory,
    OfficerFactory,
    VictimFactory,
)
from tests.integration.officers.support import DutyFactory, london_today
from tests.support.officers import as_officer, host

TODAY = london_today()
ROW = re.compile(r'<a class="govuk-link" href="/officer/cases/[0-9a-f-]{36}">([^<]+)</a>')
NEXT = re.compile(r'href="([^"]+)" rel="next"')


def page_of(client: Any, url: str) -> tuple[list[str], str | None]:
    """The crime references listed on a caseload page, and its next-page URL."""
    response = client.get(url, headers=host("kent"))
    assert response.status_code == 200, (url, response.status_code)
    table = response.text.split('<table class="govuk-table">', 1)
    refs = ROW.findall(table[1]) if len(table) == 2 else []
    found = NEXT.search(response.text)
    return refs, html.unescape(found.group(1)) if found else None


def every_page(client: Any, url: str) -> list[list[str]]:
    pages: list[list[str]] = []
    next_url: str | None = url
    while next_url is not None:
        refs, next_url = page_of(client, next_url)
        pages.append(refs)
        assert len(pages) < 20, "the pages never end"
    return pages


def due(i: int) -> date | None:
    """Every 6th case has nothing due (sorted last); the rest share seven dates (ties
    broken by id), four of them already past."""
    return None if i % 6 == 5 else TODAY + timedelta(days=(i % 7) - 4)


def make_caseload(app: Any, officer: Any, n: int = 60) -> list[Any]:
    with app.app_context():
        return [
            CaseFactory(
                force="kent",
                crime_reference=f"KT/{i:03d}/26",
                oic_id=officer.id,
                team=officer.team,
                next_due_on=due(i),
                status="closed" if i % 10 == 3 else "open",
            )
            for i in range(n)
        ]


def expected_order(cases: list[Any]) -> list[str]:
    """(next_due_on NULLS LAST, id): what the caseload promises."""
    ordered = sorted(cases, key=lambda c: (c.next_due_on is None, c.next_due_on or TODAY, c.id))
    return [case.crime_reference for case in ordered]


def test_sixty_cases_page_by_page_without_duplicates_or_gaps(app, client):
    officer = as_officer(app, client, "kent")
    cases = make_caseload(app, officer)

    pages = every_page(client, "/officer/?status=all")

    assert [len(page) for page in pages] == [25, 25, 10]
    listed = [ref for page in pages for ref in page]
    assert listed == expected_order(cases)


def test_filters_survive_paging(app, client):
    officer = as_officer(app, client, "kent")
    cases = make_caseload(app, officer, n=120)
    wanted = [
        c
        for c in cases
        if c.next_due_on is not None and c.next_due_on < TODAY and c.status == "open"
    ]
    assert len(wanted) > 50  # three pages at least

    pages = every_page(client, "/officer/?overdue=1")

    listed = [ref for page in pages for ref in page]
    assert listed == expected_order(wanted)
    assert len(pages) == (len(wanted) + 24) // 25
    prefixed = [c for c in wanted if c.crime_reference.startswith("KT/1")]
    listed = [
        ref for page in every_page(client, "/officer/?overdue=1&reference=kt/1") for ref in page
    ]
    assert listed == expected_order(prefixed)


def test_filter_by_status(app, client):
    officer = as_officer(app, client, "kent")
    with app.app_context():
        mine = {"oic_id": officer.id, "team": officer.team}
        CaseFactory(force="kent", crime_reference="OPEN/1/26", **mine)
        CaseFactory(force="kent", crime_reference="SHUT/1/26", status="closed", **mine)

    assert page_of(client, "/officer/")[0] == ["OPEN/1/26"]
    assert page_of(client, "/officer/?status=closed")[0] == ["SHUT/1/26"]
    assert sorted(page_of(client, "/officer/?status=all")[0]) == ["OPEN/1/26", "SHUT/1/26"]
    assert page_of(client, "/officer/?status=whatever")[0] == ["OPEN/1/26"]


def test_reference_search_is_a_prefix_with_no_wildcards(app, client):
    officer = as_officer(app, client, "kent")
    with app.app_context():
        for ref in ("46/1001/26", "46/1002/26", "46/2001/26", "X46/1001/26"):
            CaseFactory(force="kent", crime_reference=ref, oic_id=officer.id)

    assert sorted(page_of(client, "/officer/?reference=46%2F10")[0]) == ["46/1001/26", "46/1002/26"]
    assert len(page_of(client, "/officer/?reference=+46+/+1+")[0]) == 2  # spaces, case
    assert page_of(client, "/officer/?reference=46_1")[0] == []  # _ is not a wildcard
    assert page_of(client, "/officer/?reference=%25")[0] == []  # nor is %


def test_team_scope_shows_the_teams_cases_and_no_other_teams(app, client):
    officer = as_officer(app, client, "kent", team="Team A")
    with app.app_context():
        colleague = OfficerFactory(force="kent", team="Team A")
        stranger = OfficerFactory(force="kent", team="Team B")
        CaseFactory(force="kent", crime_reference="MINE/1/26", oic_id=officer.id, team="Team A")
        CaseFactory(force="kent", crime_reference="OURS/1/26", oic_id=colleague.id, team="Team A")
        CaseFactory(force="kent", crime_reference="THEIRS/1/26", oic_id=stranger.id, team="Team B")
        CaseFactory(force="dyfed-powys", crime_reference="WALES/1/26", team="Team A")

    assert page_of(client, "/officer/")[0] == ["MINE/1/26"]
    assert sorted(page_of(client, "/officer/?scope=team")[0]) == ["MINE/1/26", "OURS/1/26"]


def test_a_forged_cursor_is_the_first_page(app, client):
    officer = as_officer(app, client, "kent")
    cases = make_caseload(app, officer, n=3)
    first = expected_order(cases)
    for cursor in ("not-base64!", "AAAA", "fHx8", "MjAyNi0xMy0wMXx4"):
        assert page_of(client, f"/officer/?after={cursor}")[0] == first


def test_each_row_shows_victims_next_duty_and_unread_messages(app, client):
    officer = as_officer(app, client, "kent")
    with app.app_context():
        case = CaseFactory(force="kent", oic_id=officer.id, next_due_on=TODAY - timedelta(days=2))
        victim = VictimFactory(force="kent", name="Jo Bloggs")
        CaseVictimFactory(force="kent", case_id=case.id, victim_id=victim.id)
        MessageFactory(force="kent", case_id=case.id, victim_id=victim.id)
        MessageFactory(force="kent", case_id=case.id, victim_id=victim.id)
        DutyFactory(force="kent", case_id=case.id, due_on=TODAY - timedelta(days=2))
    text = re.sub(
        r"\s+", " ", re.sub(r"<[^>]+>", " ", client.get("/officer/", headers=host("kent")).text)
    )
    assert f"{case.crime_reference} Jo Bloggs Open Overdue" in text
    assert "Overdue only" in text
    row = text.split(case.crime_reference, 1)[1]
    assert (TODAY - timedelta(days=2)).strftime("%-d %B %Y") + " 2 " in row
