from tests.support.operators import CENTRAL_HOST, as_operator


def test_pages_render(app, client):
    for path in (
        "/find-your-police-force",
        "/apply",
        "/apply/force-name",
        "/console/sign-in",
        "/apply/status",
        "/apply/return",
    ):
        response = client.get(path, headers=CENTRAL_HOST)
        assert response.status_code == 200, (path, response.text[:2000])


def test_console_pages_render(app, client):
    as_operator(app, client)
    for path in (
        "/console/",
        "/console/applications",
        "/console/forces",
        "/console/jobs",
        "/console/audit",
    ):
        response = client.get(path, headers=CENTRAL_HOST)
        assert response.status_code == 200, (path, response.text[:3000])
