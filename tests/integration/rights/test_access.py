"""Who may reach each rights page: another victim's case (and another victim's request
on a shared case) is a 404 like a missing id; an officer outside the case's team gets
the same 404; the complaint pages are for supervisors and administrators. (Another
force's objects: tests/architecture/test_cross_force.py walks every route.)"""

from __future__ import annotations

import uuid

import pytest

from app.models import Complaint, PersonalStatementRequest, Representative, ReviewRequest
from tests.integration.rights.support import (
    Story,
    get,
    make_story,
    officer_in,
    post,
    rows,
    submitted,
)
from tests.support.victims import as_victim, victim_with_account

VICTIM_PAGES = ("rights", "review", "complaint", "personal-statement", "feedback")


def every_request(s: Story) -> dict[str, uuid.UUID]:
    """A review, a complaint, a statement request and a representative on s's case."""
    submitted(post(s.victim_client, f"{s.case_path}/review", {"reasons": "Look again."}))
    submitted(post(s.victim_client, f"{s.case_path}/complaint", {"topic": "other", "details": "x"}))
    submitted(post(s.victim_client, f"{s.case_path}/personal-statement", {"delivery": "not_sure"}))
    submitted(
        post(
            s.officer_client,
            f"{s.officer_case_path}/representatives/new",
            {
                "acting_for": str(s.victim.id),
                "role": "advocate",
                "name": "Jo",
                "email": "jo@x.example",
                "date_of_birth": ["1", "1", "1980"],
                "contact_channel": "email",
                "preferred_language": "en",
            },
        )
    )
    app = s.app
    return {
        "review": rows(app, "kent", ReviewRequest)[0].id,
        "complaint": rows(app, "kent", Complaint)[0].id,
        "statement": rows(app, "kent", PersonalStatementRequest)[0].id,
        "representative": rows(app, "kent", Representative)[0].id,
    }


@pytest.mark.parametrize("page", VICTIM_PAGES)
def test_another_victims_case_is_a_404(app, page):
    mine, theirs = make_story(app), make_story(app)
    get(mine.victim_client, f"{theirs.case_path}/{page}", status=404)
    missing = uuid.uuid4()
    get(mine.victim_client, f"/cases/{missing}/{page}", status=404)


def test_another_victim_on_the_same_case_sees_only_their_own_requests(app):
    s = make_story(app)
    ids = every_request(s)
    with app.app_context():
        other = victim_with_account("kent", case_id=s.case.id, email="other@example.com")
    client = app.test_client()
    as_victim(app, client, "kent", other)
    rights = get(client, f"{s.case_path}/rights").text
    assert "Look again." not in rights and "You asked for a review" not in rights
    # Nor, on the case page, the clocks of the first victim's requests.
    case_page = get(client, s.case_path).text
    for owed in ("confirm we have your request", "reply to your complaint", "take your personal"):
        assert owed not in case_page, owed
    assert "confirm we have your request" in get(s.victim_client, s.case_path).text
    assert "Jo" not in rights  # acts for the first victim, not this one
    refused = post(
        client,
        f"{s.case_path}/representatives/{ids['representative']}/end",
        {},
        page=f"{s.case_path}/rights",
    )
    assert refused.status_code == 404


def officer_paths(s: Story, ids: dict[str, uuid.UUID]) -> list[str]:
    base = s.officer_case_path
    return [
        f"{base}/reviews/{ids['review']}",
        f"{base}/reviews/{ids['review']}/decision",
        f"{base}/personal-statements/{ids['statement']}",
        f"{base}/representatives/new",
    ]


def test_an_officer_outside_the_team_gets_404s(app):
    s = make_story(app)
    ids = every_request(s)
    outsider, _ = officer_in(app, "kent", "officer", team="Team B")
    for path in officer_paths(s, ids):
        get(outsider, path, status=404)
    supervisor, _ = officer_in(app, "kent", "supervisor", team="Team B")
    get(supervisor, f"{s.officer_case_path}/complaints/{ids['complaint']}", status=404)


def test_a_request_under_another_case_is_a_404(app):
    s, other = make_story(app), make_story(app)
    ids = every_request(s)
    # other's officer is in the same team, so other's case is theirs to open: the ids of
    # s's requests under it must still be 404.
    for path in officer_paths(s, ids)[:3]:
        get(other.officer_client, path.replace(str(s.case.id), str(other.case.id)), status=404)
    supervisor, _ = officer_in(app, "kent", "supervisor")
    get(supervisor, f"{other.officer_case_path}/complaints/{ids['complaint']}", status=404)


def test_every_victim_page_keeps_exit_this_page(app):
    s = make_story(app)
    for page in VICTIM_PAGES[:-1]:
        assert "govuk-exit-this-page" in get(s.victim_client, f"{s.case_path}/{page}").text, page
