from tests.support.officers import as_officer, host


def test_as_officer_signs_in_on_each_force(app, client):
    for slug in ("kent", "dyfed-powys"):
        as_officer(app, client, slug)
        assert client.get("/officer/", headers=host(slug)).status_code == 200
