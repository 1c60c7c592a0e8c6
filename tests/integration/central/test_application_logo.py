"""The application's optional logo: a PNG (rebuilt without its text chunks) or a plain
SVG is kept and shown on Check your answers and to operators; anything hostile is
refused with a clear message and nothing kept; the image is the applicant's own; and
provisioning puts it on the new force's site, once however often it runs."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select, text

from app import logos
from app.central.provisioning import provision_application
from app.models import BrandAsset
from tenants.binding import force_scope
from tenants.extension import tenancy
from tenants.redaction import RedactedError
from tests.factories import ForceApplicationFactory, OperatorFactory
from tests.integration.central.conftest import NEW_NAME, NEW_SLUG
from tests.integration.central.support import answer, answers, newest_link, post_form, use_link
from tests.support.images import chunk, png
from tests.support.officers import csrf_token, host
from tests.support.operators import CENTRAL_HOST, as_operator

SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
    b'<title>North Yorkshire</title><rect width="10" height="10" fill="#1d5c3a"/></svg>'
)
HIDDEN = chunk(b"tEXt", b"Comment\x00<script>alert(1)</script>")


def _svg(body: str) -> bytes:
    return f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">{body}</svg>'.encode()


def _up_to_colour(client) -> None:
    """Answer the pages before the logo; the colour page leads to the logo page."""
    pages = answers(NEW_SLUG, NEW_NAME, "https://unused.example", NEW_SLUG)
    for page, data in pages[:5]:
        response = answer(client, page, data)
        assert response.status_code == 302, (page, response.text[:2000])
    assert response.headers["Location"] == "/apply/logo"


def _upload(client, data: bytes, filename: str):
    return post_form(client, "/apply/logo", {"logo": (io.BytesIO(data), filename)})


def _stored(admin_engine):
    with admin_engine.connect() as conn:
        row = conn.execute(
            text("SELECT logo_content_type, logo_data FROM public.force_application")
        ).one()
    return row.logo_content_type, None if row.logo_data is None else bytes(row.logo_data)


@pytest.fixture
def issuer(central_provider, loopback_idp_allowed) -> str:
    return central_provider.issuer(NEW_SLUG)


def _answer_the_rest(client, issuer) -> None:
    for page, data in answers(NEW_SLUG, NEW_NAME, issuer, NEW_SLUG)[5:]:
        response = answer(client, page, data)
        assert response.status_code == 302, (page, response.text[:2000])


@pytest.mark.parametrize(
    ("data", "filename", "content_type", "kept"),
    [
        (png(extra=HIDDEN), "logo.png", "image/png", png()),
        (SVG, "logo.svg", "image/svg+xml", SVG),
    ],
)
def test_a_png_or_svg_logo_is_kept_and_shown_on_check_your_answers(
    app, client, admin_engine, issuer, data, filename, content_type, kept
):
    _up_to_colour(client)
    page = client.get("/apply/logo", headers=CENTRAL_HOST)
    assert 'enctype="multipart/form-data"' in page.text and 'type="file"' in page.text
    assert "A PNG up to 256 KB or an SVG up to 64 KB" in page.text
    assert "Continue without a logo" in page.text

    uploaded = _upload(client, data, filename)

    assert uploaded.status_code == 302
    assert uploaded.headers["Location"] == "/apply/identity-provider"
    assert _stored(admin_engine) == (content_type, kept)
    _answer_the_rest(client, issuer)
    check = client.get("/apply/check-answers", headers=CENTRAL_HOST)
    assert '<img src="/apply/logo/image" alt="The logo you uploaded"' in check.text
    assert 'href="/apply/logo"' in check.text  # its Change link
    image = client.get("/apply/logo/image", headers=CENTRAL_HOST)
    assert image.status_code == 200 and image.mimetype == content_type
    assert image.data == kept and b"<script>" not in image.data
    assert image.headers["X-Content-Type-Options"] == "nosniff"
    assert image.headers["Content-Disposition"].startswith("inline;")


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (_svg("<script>alert(1)</script>"), "logo.svg", "may only contain shapes"),
        (_svg('<rect width="1" height="1" onload="alert(1)"/>'), "logo.svg",
         "must not contain scripts or event handlers"),
        (_svg('<use xmlns:xlink="http://www.w3.org/1999/xlink" xlink:href="javascript:alert(1)"/>'),
         "logo.svg", "must not link to anything outside itself"),
        (_svg('<rect fill="url(https://evil.example/p)" width="1" height="1"/>'), "logo.svg",
         "must not link to anything outside itself"),
        (b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
         b'<svg xmlns="http://www.w3.org/2000/svg"><title>&x;</title></svg>', "logo.svg",
         "must not have a DOCTYPE or entities"),
        (b"<!DOCTYPE html><html><script>alert(1)</script></html>", "logo.png",
         "The logo must be a PNG or an SVG"),
        (png() + b"<html><script>alert(1)</script></html>", "logo.png",
         "The file is not a whole PNG or SVG image"),
        (png(extra=chunk(b"zzzz", b"x" * (300 * 1024))), "logo.png", "256 KB"),
        (_svg("<title>" + "x" * (70 * 1024) + "</title>"), "logo.svg", "64 KB"),
        (png(width=5000), "logo.png", "at most 2000 pixels"),
        (b"", "logo.png", "The selected file is empty"),
        (b"GIF89a" + b"\x00" * 20, "logo.gif", "The logo must be a PNG or an SVG"),
        (b"just some words", "logo.txt", "The logo must be a PNG or an SVG"),
    ],
)  # fmt: skip
def test_a_hostile_or_wrong_file_is_refused_and_nothing_is_kept(
    app, client, admin_engine, data, filename, message
):
    _up_to_colour(client)

    refused = _upload(client, data, filename)

    assert refused.status_code == 200 and message in refused.text
    assert "<title>Error:" in refused.text and "govuk-error-summary" in refused.text
    assert 'href="#logo"' in refused.text  # the summary leads to the file input
    assert "<script>alert" not in refused.text
    assert _stored(admin_engine) == (None, None)
    assert client.get("/apply/logo/image", headers=CENTRAL_HOST).status_code == 404


def test_a_huge_upload_is_refused_before_it_is_read(app, client, admin_engine):
    _up_to_colour(client)
    token = csrf_token(client.get("/apply/logo", headers=CENTRAL_HOST).text)
    boundary = "tmc-test-boundary"  # the body built as bytes (see tests/integration/admin)
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{token}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="logo"; filename="logo.png"\r\n'
            "Content-Type: image/png\r\n\r\n"
        ).encode()
        + png()
        + b"\x00" * (5 * 1024 * 1024)
        + f"\r\n--{boundary}--\r\n".encode()
    )
    response = client.post(
        "/apply/logo",
        headers=CENTRAL_HOST,
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert response.status_code == 413
    assert _stored(admin_engine) == (None, None)


def test_no_file_chosen_says_so(app, client, admin_engine):
    _up_to_colour(client)
    response = post_form(client, "/apply/logo", {})
    assert response.status_code == 200 and "Select a PNG or SVG file" in response.text


def test_the_logo_is_optional_and_can_be_removed(app, client, admin_engine, issuer):
    _up_to_colour(client)
    page = client.get("/apply/logo", headers=CENTRAL_HOST)
    assert 'href="/apply/identity-provider"' in page.text  # continue without a logo
    _answer_the_rest(client, issuer)
    check = client.get("/apply/check-answers", headers=CENTRAL_HOST)
    assert "No logo" in check.text and "<img" not in check.text

    _upload(client, SVG, "logo.svg")
    page = client.get("/apply/logo", headers=CENTRAL_HOST)
    assert "Continue with this logo" in page.text and 'href="/apply/check-answers"' in page.text
    removed = client.post(
        "/apply/logo/remove", headers=CENTRAL_HOST, data={"csrf_token": csrf_token(page.text)}
    )

    assert removed.headers["Location"] == "/apply/logo"
    assert _stored(admin_engine) == (None, None)
    assert client.get("/apply/logo/image", headers=CENTRAL_HOST).status_code == 404
    forged = client.post("/apply/logo/remove", headers=CENTRAL_HOST)  # no CSRF token
    assert forged.status_code in (302, 400)


def test_changing_the_colour_from_check_your_answers_goes_back_there(
    app, client, admin_engine, issuer
):
    _up_to_colour(client)
    _answer_the_rest(client, issuer)
    again = answer(client, "colour", {"colour": "#0b0c0c"})
    assert again.headers["Location"] == "/apply/check-answers"


def test_the_image_is_only_for_the_applicant_holding_the_application(app, client, admin_engine):
    _up_to_colour(client)
    _upload(client, SVG, "logo.svg")
    assert client.get("/apply/logo/image", headers=CENTRAL_HOST).status_code == 200

    anonymous = app.test_client().get("/apply/logo/image", headers=CENTRAL_HOST)
    other = app.test_client()
    answer(other, "force-name", {"force_name": "Another Police"})
    theirs = other.get("/apply/logo/image", headers=CENTRAL_HOST)

    assert anonymous.status_code == 404 and theirs.status_code == 404
    assert SVG not in anonymous.data + theirs.data
    on_a_force_site = client.get("/apply/logo/image", headers=host("kent"))
    assert on_a_force_site.status_code == 404


def test_operators_see_the_logo_of_a_submitted_application(app, client):
    with app.app_context():
        application = ForceApplicationFactory(logo_content_type="image/svg+xml", logo_data=SVG)
        plain = ForceApplicationFactory()
        draft = ForceApplicationFactory(
            status="draft", logo_content_type="image/svg+xml", logo_data=SVG
        )
    path = f"/console/applications/{application.id}/logo"
    assert app.test_client().get(path, headers=CENTRAL_HOST).status_code in (302, 401, 403)
    as_operator(app, client)

    page = client.get(f"/console/applications/{application.id}", headers=CENTRAL_HOST)
    image = client.get(path, headers=CENTRAL_HOST)

    assert f'<img src="{path}"' in page.text
    assert image.status_code == 200 and image.data == SVG
    assert image.mimetype == "image/svg+xml"
    assert image.headers["X-Content-Type-Options"] == "nosniff"
    assert "No logo" in client.get(f"/console/applications/{plain.id}", headers=CENTRAL_HOST).text
    for other in (plain.id, draft.id):
        found = client.get(f"/console/applications/{other}/logo", headers=CENTRAL_HOST)
        assert found.status_code == 404


def _brand_assets(app, slug):
    with app.app_context():
        force = tenancy().registry.by_slug(slug)
        with force_scope(force) as session:
            return [
                (asset.content_type, bytes(asset.data), asset.sha256)
                for asset in session.scalars(select(BrandAsset))
            ]


def test_an_applied_logo_goes_live_with_the_force(app, client, admin_engine, issuer):
    """Apply with a logo, submit, an operator approves, the job runs: the new force's
    pages show the logo and /brand/logo serves the bytes that were checked."""
    _up_to_colour(client)
    _upload(client, png(extra=HIDDEN), "crest.png")
    _answer_the_rest(client, issuer)
    use_link(client, newest_link(admin_engine))
    assert post_form(client, "/apply/check-answers", {}).headers["Location"] == "/apply/submitted"
    with admin_engine.connect() as conn:
        application_id = conn.execute(text("SELECT id FROM public.force_application")).scalar()
    operator = app.test_client()
    as_operator(app, operator)
    path = f"/console/applications/{application_id}"
    review = operator.get(path, headers=CENTRAL_HOST)
    assert f'<img src="{path}/logo"' in review.text
    approved = operator.post(
        f"{path}/approve", headers=CENTRAL_HOST, data={"csrf_token": csrf_token(review.text)}
    )
    assert approved.status_code == 302

    with app.app_context():
        assert provision_application(str(application_id)) == "live"

    site = app.test_client()
    home = site.get("/", headers=host(NEW_SLUG))
    digest = logos.digest(png())
    assert f'<img src="/brand/logo?v={digest[:16]}"' in home.text
    served = site.get("/brand/logo", headers=host(NEW_SLUG))
    assert served.status_code == 200 and served.mimetype == "image/png"
    assert served.data == png()
    assert _brand_assets(app, NEW_SLUG) == [("image/png", png(), digest)]


def test_provisioning_a_logo_again_neither_duplicates_nor_fails(app, admin_engine):
    with app.app_context():
        approved = ForceApplicationFactory(
            status="approved",
            slug=NEW_SLUG,
            force_name=NEW_NAME,
            provisioning_state="queued",
            decided_by=OperatorFactory().id,
            idp_client_secret_sealed=tenancy().secret_box().seal("the-client-secret"),
            logo_content_type="image/svg+xml",
            logo_data=SVG,
        )
        assert provision_application(str(approved.id)) == "live"
    with admin_engine.begin() as conn:  # as if the worker died after the force was made
        conn.execute(
            text("UPDATE public.force_application SET status = 'approved', "
                 "provisioning_state = 'queued'")
        )  # fmt: skip
    with app.app_context():
        assert provision_application(str(approved.id)) == "live"
        tenancy().registry.invalidate()
        force = tenancy().registry.by_slug(NEW_SLUG)

    assert force.settings["logo"] == logos.digest(SVG)
    assert _brand_assets(app, NEW_SLUG) == [("image/svg+xml", SVG, logos.digest(SVG))]
    served = app.test_client().get("/brand/logo", headers=host(NEW_SLUG))
    assert served.data == SVG and served.mimetype == "image/svg+xml"


def test_a_logo_changed_in_the_table_is_checked_again_before_it_goes_live(app, admin_engine):
    with app.app_context():
        approved = ForceApplicationFactory(
            status="approved",
            slug=NEW_SLUG,
            provisioning_state="queued",
            idp_client_secret_sealed=tenancy().secret_box().seal("the-client-secret"),
            logo_content_type="image/svg+xml",
            logo_data=_svg("<script>alert(1)</script>"),
        )
        with pytest.raises(RedactedError):
            provision_application(str(approved.id))
    with admin_engine.connect() as conn:
        row = conn.execute(
            text(
                "SELECT status, provisioning_state, provisioning_error "
                "FROM public.force_application"
            )
        ).one()
    assert tuple(row) == ("approved", "failed", "LogoRefused")
    with admin_engine.connect() as conn:  # and nothing was made
        made = conn.execute(
            text("SELECT count(*) FROM public.tenant WHERE slug = :s"), {"s": NEW_SLUG}
        )
        assert made.scalar() == 0
