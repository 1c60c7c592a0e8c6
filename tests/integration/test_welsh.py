"""Welsh forces get Welsh; English-only forces stay English."""


def test_a_welsh_force_switches_language_at_a_click(client, force_b):
    english = client.get("/", headers={"Host": force_b.host}).get_data(as_text=True)
    assert '<html lang="en"' in english and "Cymraeg" in english
    client.get("/language/cy?next=/", headers={"Host": force_b.host})
    welsh = client.get("/", headers={"Host": force_b.host}).get_data(as_text=True)
    assert '<html lang="cy"' in welsh
    assert "Neidio i&#39;r prif gynnwys" in welsh or "Neidio i'r prif gynnwys" in welsh
    assert "Gadael y dudalen hon" in welsh


def test_a_welsh_speakers_browser_gets_welsh_first(client, force_b):
    page = client.get("/", headers={"Host": force_b.host, "Accept-Language": "cy-GB,cy;q=0.9"})
    assert '<html lang="cy"' in page.get_data(as_text=True)


def test_an_english_only_force_offers_no_switch(client, force_a):
    page = client.get("/", headers={"Host": force_a.host, "Accept-Language": "cy"})
    body = page.get_data(as_text=True)
    assert '<html lang="en"' in body and "Cymraeg" not in body
