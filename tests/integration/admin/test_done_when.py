"""Force administration's "Done when", as one story on the demo's Kent.

Jo Evans (the printed demo force admin) signs in to Kent through the demo identity
provider, changes the brand colour and a support service and sees both on the victim
site (as Sam Taylor, the printed demo victim), finds in the audit trail that PC Alex
Morgan (the printed demo officer) viewed Sam Taylor's case, downloads Sam Taylor's
subject access export, and runs the disposal dry run. Every step asserts what would
break if the step broke.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from app import demo_data
from app.demo_idp import demo_issuers
from app.models import Case, Officer, SupportService
from tenants.extension import tenancy
from tests.factories import CaseFactory
from tests.integration.admin.support import audit_rows, get, in_force, post, submit, work
from tests.support.forces import TEST_FORCES
from tests.support.officers import callback_url, csrf_token, host, oidc_sign_in, signed_out_url

KENT = "kent"
NEW_COLOUR = "#00594f"


def seed_demo_kent(app, idp) -> None:
    """What `make demo` does for Kent: connect it to the demo provider, seed it."""
    issuers = demo_issuers([(f.slug, f.name) for f in TEST_FORCES], callback_url, signed_out_url)
    [issuer] = [i for i in issuers if i.slug == KENT]
    with app.app_context():
        demo_data.connect(idp.issuer(KENT), KENT)
        tenancy().registry.invalidate()
        demo_data.seed(tenancy().registry.by_slug(KENT), issuer, idp.issuer(KENT))


def victim_signs_in(app):
    victim = app.test_client()
    page = victim.get("/sign-in", headers=host(KENT))
    signed_in = victim.post(
        "/sign-in",
        headers=host(KENT),
        data={
            "csrf_token": csrf_token(page.text),
            "email": demo_data.victim_email(KENT),
            "password": demo_data.victim_password(KENT),
        },
    )
    assert signed_in.status_code == 302, signed_in.text[:300]
    return victim


def test_the_demo_force_admin_runs_kent(app, client, idp):
    seed_demo_kent(app, idp)
    [burglary] = in_force(app, select(Case).where(Case.offence_category == "burglary"))
    [alex] = in_force(app, select(Officer).where(Officer.role == "officer"))

    # 0. PC Alex Morgan, the demo officer, opens Sam Taylor's case.
    officer = app.test_client()
    assert oidc_sign_in(officer, KENT, "officer").status_code == 302
    assert officer.get(f"/officer/cases/{burglary.id}", headers=host(KENT)).status_code == 200

    # 1. Jo Evans signs in through the demo provider and reaches the administration.
    assert oidc_sign_in(client, KENT, "admin").status_code == 302
    assert "Audit trail" in get(client, "/admin/").text
    assert officer.get("/admin/", headers=host(KENT)).status_code == 404  # not for officers

    # 2. She changes the brand colour; the victim site wears it.
    submit(
        client,
        "/admin/settings/branding",
        {"name": "Test Kent Police", "name_cy": "", "colour": NEW_COLOUR},
    )
    victim = victim_signs_in(app)
    assert f"--tmc-brand:{NEW_COLOUR}" in victim.get("/cases/", headers=host(KENT)).text

    # 3. She changes a support service; the victim's support page shows it.
    submit(
        client,
        "/admin/support-directory/new",
        {"name": "Kent Victim Hub", "phone": "01632 960 777", "url": "https://hub.kent.example/",
         "name_cy": "", "description": "", "description_cy": "", "area": "Kent"},
    )  # fmt: skip
    [hub] = in_force(app, select(SupportService).where(SupportService.national.is_(False)))
    submit(
        client,
        f"/admin/support-directory/{hub.id}",
        {"name": "Kent Victim Care Hub", "phone": "01632 960 778", "url": hub.url,
         "name_cy": "", "description": "", "description_cy": "", "area": "Kent"},
    )  # fmt: skip
    support = victim.get("/support", headers=host(KENT)).text
    assert "Kent Victim Care Hub" in support and "01632 960 778" in support

    # 4. The audit trail shows PC Alex Morgan viewed Sam Taylor's case.
    found = get(
        client,
        f"/admin/audit?person={alex.collar_number}&record={burglary.crime_reference}"
        "&action=case:viewed",
    ).text
    results = found.split('id="audit-results"')[1].split("</table>")[0]
    assert results.count('<tr class="govuk-table__row">') == 2  # header + the one view
    assert f"{alex.name} ({alex.collar_number})" in results
    assert burglary.crime_reference in results

    # 5. She downloads Sam Taylor's subject access export, once.
    listed = get(client, f"/admin/subject-access?q={demo_data.victim_email(KENT)}").text
    [victim_id] = set(re.findall(r"/admin/subject-access/victims/([0-9a-f-]{36})", listed))
    made = submit(
        client, f"/admin/subject-access/victims/{victim_id}", form_page="/admin/subject-access"
    )
    export_path = made.headers["Location"].removeprefix(f"http://{KENT}.localhost")
    work(app)
    taken = post(client, f"{export_path}/download", form_page=export_path)
    assert taken.status_code == 200 and taken.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(taken.data))
    [data_name] = [n for n in archive.namelist() if n.endswith(".json")]
    export = json.loads(archive.read(data_name))
    assert export["person"]["name"] == "Sam Taylor"
    # Sam is on the burglary and on the closed criminal damage case the demo also seeds.
    assert burglary.crime_reference in [c["crime_reference"] for c in export["cases"]]
    assert any("doorbell" in m["body"] for m in export["records"]["message"])
    assert "collect Tuesday" not in json.dumps(export)  # the officer's internal note
    assert post(client, f"{export_path}/download", form_page=export_path).status_code == 302

    # 6. She sets retention periods and runs the disposal dry run: the long-closed case
    #    would go, the demo's open cases would not, and nothing is erased.
    with app.app_context():
        CaseFactory(force=KENT, crime_reference="KE/1/12", status="closed", outcome="other",
                    closed_at=datetime.now(UTC) - timedelta(days=365 * 9))  # fmt: skip
    periods = {f"years_{o}": "" for o in ("charged", "no_further_action")}
    submit(client, "/admin/retention", {"default_years": "6", **periods})
    dry = post(client, "/admin/retention/dry-run", form_page="/admin/retention/review")
    assert dry.status_code == 200
    assert "KE/1/12" in dry.text and burglary.crime_reference not in dry.text
    assert "1 case would be erased" in dry.text
    assert len(in_force(app, select(Case.id))) == 5  # the demo's four and KE/1/12

    # Every step is in Kent's trail, by the admin.
    jo = in_force(app, select(Officer).where(Officer.role == "admin"))[0]
    by_jo = {r.tag for r in audit_rows(app) if r.actor_id == str(jo.id)}
    assert {
        "settings:changed",
        "support-service:added",
        "support-service:changed",
        "audit:searched",
        "subject-access:requested",
        "subject-access:downloaded",
        "retention:dry-run",
    } <= by_jo
