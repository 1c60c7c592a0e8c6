"""Logo uploads: a real PNG or a plain SVG drawing is stored and served from the force's
own site; an SVG with anything active, a PNG that is really HTML (or has a page hidden
after it), an oversized file and a 50 MB request are refused or neutralised."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from app import logos as logo
from app.admin.blueprint import AdminTag
from app.models import BrandAsset
from tests.integration.admin.support import as_admin, audit_rows, get, in_force, post
from tests.support.images import chunk, png
from tests.support.officers import csrf_token, host

SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
    '<title>Kent</title><rect width="10" height="10" fill="#6b1d5c"/></svg>'
)


def upload(client, data: bytes, filename: str):
    return post(
        client,
        "/admin/settings/logo",
        {"logo": (io.BytesIO(data), filename)},
        form_page="/admin/settings/branding",
        content_type="multipart/form-data",
    )


def test_a_png_logo_is_stored_served_and_stripped_of_text_chunks(app, client):
    as_admin(app, client)
    hidden = chunk(b"tEXt", b"Comment\x00<script>alert(1)</script>")
    response = upload(client, png(extra=hidden), "logo.png")
    assert response.status_code == 302
    served = app.test_client().get("/brand/logo", headers=host("kent"))
    assert served.status_code == 200 and served.mimetype == "image/png"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert served.data == png() and b"<script>" not in served.data
    page = app.test_client().get("/brand/logo", headers=host("dyfed-powys"))
    assert page.status_code == 404  # another force's site has no logo
    [row] = audit_rows(app, tag=AdminTag.SETTINGS_CHANGED.value)
    assert row.purpose == "logo" and row.detail["changes"]["logo"]["old"] is None


def test_a_plain_svg_logo_is_stored_and_served_as_svg(app, client):
    as_admin(app, client)
    assert upload(client, SVG.encode(), "logo.svg").status_code == 302
    served = app.test_client().get("/brand/logo", headers=host("kent"))
    assert served.mimetype == "image/svg+xml" and served.data == SVG.encode()
    assert "Content-Security-Policy" in served.headers


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('<script>alert(1)</script>', "may only contain shapes"),
        ('<foreignObject><p xmlns="http://www.w3.org/1999/xhtml">x</p></foreignObject>',
         "may only contain shapes"),
        ('<rect width="1" height="1" onload="alert(1)"/>', "must not contain scripts"),
        ('<rect width="1" height="1" ONCLICK="alert(1)"/>', "must not contain scripts"),
        ('<use href="https://evil.example/x.svg#a"/>', "must not link to anything outside"),
        ('<use xmlns:xlink="http://www.w3.org/1999/xlink" xlink:href="javascript:alert(1)"/>',
         "must not link to anything outside"),
        ('<rect fill="url(https://evil.example/p)" width="1" height="1"/>',
         "must not link to anything outside"),
        ('<rect style="background:url(//evil.example/p)" width="1" height="1"/>',
         "must not link to anything outside"),
        ("<style>@import url(https://evil.example/x.css);</style>", "may only contain shapes"),
        ('<image href="data:image/png;base64,AAAA"/>', "may only contain shapes"),
        ('<a href="https://evil.example/"><rect width="1" height="1"/></a>',
         "may only contain shapes"),
    ],
)  # fmt: skip
def test_an_svg_with_anything_active_or_external_is_refused(app, client, body, message):
    as_admin(app, client)
    svg = f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">{body}</svg>'
    response = upload(client, svg.encode(), "logo.svg")
    assert response.status_code == 200 and message in response.text
    assert in_force(app, select(BrandAsset)) == []


def test_an_svg_with_entities_is_refused_before_parsing(app, client):
    as_admin(app, client)
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        '<svg xmlns="http://www.w3.org/2000/svg"><title>&b;</title></svg>'
    )
    response = upload(client, laughs.encode(), "logo.svg")
    assert "must not have a DOCTYPE or entities" in response.text
    external = '<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg>&x;</svg>'
    assert "must not have a DOCTYPE" in upload(client, external.encode(), "l.svg").text


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"<!DOCTYPE html><html><script>alert(1)</script></html>", "logo.png",
         "The logo must be a PNG or an SVG"),
        (logo.PNG_SIGNATURE + b"<html><script>alert(1)</script></html>", "logo.png",
         "The file is not a whole PNG or SVG image"),
        (png() + b"<html><script>alert(1)</script></html>", "logo.png",
         "The file is not a whole PNG or SVG image"),
        (png()[:-6], "logo.png", "The file is not a whole PNG or SVG image"),
        (png(width=5000), "logo.png", "at most 2000 pixels"),
        (b"GIF89a" + b"\x00" * 20, "logo.gif", "The logo must be a PNG or an SVG"),
        (png(extra=chunk(b"zzzz", b"x" * (300 * 1024))), "logo.png", "256 KB"),
        (b"", "logo.png", "The selected file is empty"),
    ],
)  # fmt: skip
def test_files_that_are_not_what_they_claim_are_refused(app, client, data, filename, message):
    as_admin(app, client)
    response = upload(client, data, filename)
    assert response.status_code == 200 and message in response.text
    assert in_force(app, select(BrandAsset)) == []


def test_a_50_mb_upload_is_refused_before_it_is_read(app, client):
    as_admin(app, client)
    token = csrf_token(get(client, "/admin/settings/branding").text)
    big = png() + b"\x00" * (50 * 1024 * 1024)
    # The body built here as bytes: the test client's own multipart encoder spools a file
    # this size to a temporary file it never closes.
    boundary = "tmc-test-boundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{token}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="logo"; filename="logo.png"\r\n'
            "Content-Type: image/png\r\n\r\n"
        ).encode()
        + big
        + f"\r\n--{boundary}--\r\n".encode()
    )
    response = client.post(
        "/admin/settings/logo",
        headers=host("kent"),
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert response.status_code == 413
    assert in_force(app, select(BrandAsset)) == []


def test_no_file_chosen_says_so(app, client):
    as_admin(app, client)
    response = post(client, "/admin/settings/logo", {}, form_page="/admin/settings/branding")
    assert "Select a PNG or SVG file" in response.text


def test_the_logo_can_be_removed(app, client):
    as_admin(app, client)
    upload(client, png(), "logo.png")
    response = post(client, "/admin/settings/logo/remove", form_page="/admin/settings/branding")
    assert response.status_code == 302
    assert in_force(app, select(BrandAsset)) == []
    get(client, "/brand/logo", status=404)
