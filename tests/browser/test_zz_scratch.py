from tests.browser.conftest import LiveServer, PageErrors

def test_scratch(page, page_errors: PageErrors, live_server: LiveServer, context):
    from axe_playwright_python.sync_playwright import Axe
    page.goto(live_server.url("kent"), wait_until="load")
    r = Axe().run(page, options={"runOnly": {"type": "tag", "values": ["wcag2a","wcag2aa","wcag21a","wcag21aa","wcag22aa"]}, "resultTypes": ["violations"]})
    print("passes", len(r.response["passes"]), "incomplete", [i["id"] for i in r.response["incomplete"]], "inapplicable", len(r.response["inapplicable"]))
    # CSP check: inject an inline script element (no nonce) via DOM
    page.evaluate("""() => { const s = document.createElement('script'); s.textContent = 'window.x=1'; document.body.appendChild(s);
       const st = document.createElement('div'); st.setAttribute('style','color:red'); document.body.appendChild(st); }""")
    page.wait_for_timeout(300)
    print("errors", page_errors.messages)
    print("cookies", context.cookies())
    print(page.evaluate("navigator.language"), page.evaluate("window.isSecureContext"))
    page.keyboard.press("Tab"); print(page.evaluate("document.activeElement.outerHTML.slice(0,200)"))
    page.keyboard.press("Tab"); print(page.evaluate("document.activeElement.outerHTML.slice(0,200)"))
    page.keyboard.press("Tab"); print(page.evaluate("document.activeElement.outerHTML.slice(0,200)"))
