#!/usr/bin/python3
"""The residents' public pages in a real browser (headless Chromium through Selenium) at a
phone's size (390×844) against the real server process: the open consultations, a survey
answered a question per page (a required question left empty, show_if, back), an idea with a
phone photo, with JavaScript on and then off (Chromium's DevTools switch, one browser), in
French and in Arabic (right to left); axe-core on every page and a screenshot of each. Then:
the answers are captures of channel web in the same tables (the dashboard command counts them),
the photo is kept without its EXIF/GPS, a 50 MB upload is refused from its head with a French
page, the per-address limit and the burst flag, the open data — and the public half of the XSS
test: <script> and <img onerror> typed in every free-text field on the phone, and sent from a
kiosk (a device capture synced), inert on the public pages and in the console.

Usage: test_public_browser.py --server BIN --device BIN --assets DIR --screenshots DIR"""

import argparse
import base64
import json
import pathlib
import re
import socket
import sqlite3
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import harness  # noqa: E402
from harness import IMG_PAYLOAD, SCRIPT_PAYLOAD  # noqa: E402

PASSWORD = "une phrase assez longue"
PHOTO = pathlib.Path(__file__).resolve().parents[2] / "fixtures/web/phone-photo-gps.jpg"
PHONE = (390, 844)


def main():
    parser = argparse.ArgumentParser()
    for name in ("--server", "--device", "--assets", "--screenshots"):
        parser.add_argument(name, required=True)
    args = parser.parse_args()
    harness.skip_unless_tools()

    checks = harness.Checks()
    check = checks.check
    with tempfile.TemporaryDirectory(prefix="allervers-public-") as tmp:
        server = harness.Server(args.server, args.assets, tmp)
        server.start()
        browser = None
        try:
            admin_link = server.add_user("Admin Essai", "admin")
            # A kiosk captures hostile text in every free-text field and syncs it.
            device = harness.Device(args.device, tmp)
            device.enrol(server, "Borne mairie")
            device.capture([
                {"kind": "idea", "consultation": "budget-participatif-2027", "channel": "kiosk",
                 "idea": {"title": SCRIPT_PAYLOAD, "description": IMG_PAYLOAD, "theme": "nature", "neighbourhood": "centre",
                          "place": IMG_PAYLOAD}},
            ], tmp)
            device.run("sync")

            browser = harness.Browser(args.screenshots)
            browser.driver.set_window_size(*PHONE)
            driver = browser.driver
            base = server.url

            def page(name, lang="fr", js=True):
                """Checks the page now shown: no dialog, no injected script, lang and dir, scripts
                on or off as asked, axe-core, a phone-sized screenshot."""
                check(browser.no_alert(), f"{name}: no dialog opened")
                check(driver.execute_script("return window.__xss === undefined"), f"{name}: no injected script ran")
                html = browser.find("html")
                check(html.get_attribute("lang") == lang, f"{name}: <html lang={lang}>")
                check(html.get_attribute("dir") == ("rtl" if lang == "ar" else "ltr"), f"{name}: <html dir> for {lang}")
                has_js = "js" in (html.get_attribute("class") or "").split()
                check(has_js == js, f"{name}: scripts {'ran' if js else 'did not run'} (html.js={has_js})")
                csp = [m for m in browser.console_errors() if "Content Security Policy" in m or "Refused" in m]
                check(not csp, f"{name}: no Content-Security-Policy refusal ({csp})")
                # axe-core is a script: let it run on this page once its own scripts did not.
                if not js:
                    driver.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": False})
                violations = browser.axe()
                if not js:
                    driver.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
                check(not violations, f"{name}: axe-core finds no serious or critical violation "
                      f"({[(v['id'], v['impact'], v['help'], [n.get('target') for n in v.get('nodes', [])][:5]) for v in violations]})")
                browser.screenshot("public-" + name, *PHONE)
                driver.set_window_size(*PHONE)

            def into_view(css):
                driver.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", browser.find(css))

            def choose(value):
                """Ticks the answer `value` by its label, as a finger would."""
                box = browser.find(f"input[name=answer][value='{value}']")
                label = f"label[for='{box.get_attribute('id')}']"
                into_view(label)
                browser.find(label).click()

            def submit(css):
                into_view(css)
                browser.click_and_wait(css)

            def next_page():
                submit("button[value=next]")

            def answer_survey(lang, js, comment, why, shots):
                """The demo survey from its page to the thank-you, screenshots of the first pages."""
                browser.get(base + "/c/place-jean-jaures" + ("?lang=" + lang if lang != "fr" else ""))
                if shots:
                    page(f"consultation-{lang}", lang, js)
                submit("button[value=start]")
                check("1" in browser.find("#progress-text").text, f"{lang}: the first question shows its progress")
                if shots:
                    page(f"question-{lang}", lang, js)
                next_page()  # nothing chosen: asked again with a sentence
                check(browser.find(".alert-danger").text.strip() != "", f"{lang}: an unanswered required question says so")
                if shots:
                    page(f"question-required-{lang}", lang, js)
                choose("chaque-semaine")
                next_page()
                choose("marche")
                choose("enfants")
                next_page()
                choose("4")
                next_page()
                choose("false")
                next_page()
                # show_if: "why not" is asked after "no"; back then forward keeps the answer.
                submit("button[value=back]")
                check(browser.find("input[name=answer][value='false']").is_selected(), f"{lang}: back keeps the answer given")
                next_page()
                field = browser.find("textarea[name=answer]")
                field.send_keys(why)
                if shots:
                    page(f"question-text-{lang}", lang, js)
                next_page()
                choose("ombre")
                choose("bancs")
                next_page()
                choose("3")
                next_page()
                choose("gare")
                next_page()
                choose("30-44")
                next_page()
                browser.find("textarea[name=answer]").send_keys(comment)
                next_page()
                check(browser.path() == "/c/place-jean-jaures/merci", f"{lang}: the survey ends on its thank-you page")
                page(f"thanks-{lang}", lang, js)

            # --- JavaScript on, French
            browser.get(base + "/")
            check("Réaménagement de la place Jean-Jaurès" in browser.text(), "home lists the open consultations")
            page("home-fr")
            answer_survey("fr", True, IMG_PAYLOAD, SCRIPT_PAYLOAD, shots=True)
            browser.get(base + "/c/place-jean-jaures")
            check("déjà répondu depuis ce navigateur" in browser.text(), "the same browser is told it answered already")

            # An idea: wrong fields first (hostile text comes back as text), then right, with a photo.
            browser.get(base + "/c/budget-participatif-2027/idee")
            page("idea-fr")
            browser.find("#idea-title").send_keys(SCRIPT_PAYLOAD)
            browser.find("#idea-description").send_keys(IMG_PAYLOAD + " " + SCRIPT_PAYLOAD)
            browser.find("#idea-place").send_keys(IMG_PAYLOAD)
            browser.find("#idea-cost").send_keys("douze")
            # With scripts, a photo over 10 MB is refused before it is sent.
            big = pathlib.Path(tmp) / "big.jpg"
            big.write_bytes(b"\xff\xd8\xff" + b"\0" * (11 * 1024 * 1024))
            browser.find("#idea-photo").send_keys(str(big))
            check("10 Mo" in browser.find("#idea-photo-error").text, "with scripts, a photo over 10 MB is refused at once")
            submit("main form button[type=submit]")
            text = browser.text()
            check("Certains champs sont à corriger" in text and "Ce champ est demandé" in text and "nombre entier" in text,
                  "an idea with wrong fields is shown again with sentences beside them")
            check(browser.find("#idea-title").get_attribute("value") == SCRIPT_PAYLOAD, "the hostile title comes back as typed text")
            check(not browser.find_all("main img") and not browser.find_all("main script:not([src])"), "the hostile text made no element")
            page("idea-errors-fr")
            from selenium.webdriver.support.ui import Select
            Select(browser.find("#idea-theme")).select_by_value("nature")
            Select(browser.find("#idea-neighbourhood")).select_by_value("pres-fleuris")
            browser.find("#idea-cost").clear()
            browser.find("#idea-cost").send_keys("12000")
            browser.find("#idea-photo").send_keys(str(PHOTO))
            submit("main form button[type=submit]")
            check(browser.path() == "/c/budget-participatif-2027/idee/merci", "the idea is saved and thanked")
            page("idea-thanks-fr")

            # --- JavaScript off (the same browser), Arabic
            driver.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
            browser.get(base + "/?lang=ar")
            page("home-ar", "ar", js=False)
            answer_survey("ar", False, "ممتاز " + SCRIPT_PAYLOAD, IMG_PAYLOAD, shots=True)
            browser.get(base + "/c/budget-participatif-2027/idee")
            page("idea-ar", "ar", js=False)
            submit("main form button[type=submit]")
            check(browser.find("#idea-title-error").text.strip() != "", "without scripts, an empty idea is refused field by field")
            page("idea-errors-ar", "ar", js=False)
            browser.get(base + "/nowhere")
            page("not-found-ar", "ar", js=False)
            driver.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": False})

            # --- the same tables as the devices, counted by the dashboard
            dashboard = json.loads(server.cli("dashboard").stdout)
            by_channel = {c["key"]: c["n"] for c in dashboard["counts"]["by_channel"]}
            check(by_channel.get("web") == 3, f"the dashboard counts 2 opinions and 1 idea from the web ({by_channel})")
            check(by_channel.get("kiosk") == 1, "beside the kiosk's capture")
            db = sqlite3.connect(pathlib.Path(tmp) / "server.db")
            rows = db.execute("SELECT channel, device, kind, language, body FROM captures WHERE channel = 'web' ORDER BY received_ms").fetchall()
            check([r[2] for r in rows] == ["opinion", "idea", "opinion"], f"web captures stored in order ({[r[2] for r in rows]})")
            check({r[3] for r in rows} == {"fr", "ar"}, "each capture says the language it was answered in")
            check(any(SCRIPT_PAYLOAD in r[4] for r in rows), "hostile text is stored as typed")
            photo = db.execute("SELECT data_base64, width, height FROM idea_photos").fetchall()
            check(len(photo) == 1, "the idea's photo is kept")
            if photo:
                data = base64.b64decode(photo[0][0])
                check(data[:3] == b"\xff\xd8\xff" and b"Exif" not in data and b"GPS" not in data,
                      "the photo is a JPEG without EXIF or GPS")
                check(b"GPS" in PHOTO.read_bytes(), "(the photo sent had a GPS position)")

            # --- a 50 MB upload: refused from its head, with a French page
            host, port = base[len("http://"):].split(":")
            with socket.create_connection((host, int(port)), timeout=20) as s:
                s.sendall((f"POST /c/budget-participatif-2027/idee HTTP/1.1\r\nHost: {host}:{port}\r\n"
                           "Content-Type: multipart/form-data; boundary=b\r\n"
                           f"Content-Length: {50 * 1024 * 1024}\r\n\r\n").encode() + b"x" * 65536)
                answer = b""
                while b"</html>" not in answer:
                    part = s.recv(65536)
                    if not part:
                        break
                    answer += part
            head = answer.split(b"\r\n", 1)[0]
            check(b" 413 " in head and "La photo dépasse 10 Mo".encode() in answer,
                  f"a 50 MB upload is refused before it is read, with a French page ({head})")
            check(db.execute("SELECT COUNT(*) FROM captures WHERE channel = 'web'").fetchone()[0] == 3, "nothing was saved from it")

            # --- the per-address limit and the burst flag (this test's address sent 3 already)
            def post_idea():
                html = urllib.request.urlopen(base + "/c/budget-participatif-2027/idee").read().decode()
                state = re.search(r'name="state" value="([^"]+)"', html).group(1)
                fields = {"state": state, "title": "Des bancs", "description": "Des bancs à l'ombre près du marché.", "theme": "nature",
                          "neighbourhood": "centre"}
                body = "".join(f"--b\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n" for k, v in fields.items()) + "--b--\r\n"
                request = urllib.request.Request(base + "/c/budget-participatif-2027/idee", data=body.encode(),
                                                 headers={"Content-Type": "multipart/form-data; boundary=b"})
                try:
                    return urllib.request.urlopen(request).status
                except urllib.error.HTTPError as e:
                    return e.code
            statuses = [post_idea() for _ in range(30)]
            check(statuses.count(200) == 27 and statuses[-3:] == [429] * 3,
                  f"30 submissions an hour from one address, then 429 ({statuses.count(200)} accepted)")
            flags = db.execute("SELECT COUNT(*) FROM capture_flags WHERE reason = 'burst_address'").fetchone()[0]
            check(flags >= 20, f"the burst is flagged for the coordinator, not dropped ({flags} flagged)")
            check(db.execute("SELECT COUNT(*) FROM captures WHERE channel = 'web'").fetchone()[0] == 30, "flagged captures are kept")

            # --- open data
            data = json.loads(urllib.request.urlopen(base + "/donnees/participation.json").read())
            check(data["licence"] == "Licence Ouverte / Open Licence version 2.0", "open data names the Licence Ouverte 2.0")
            check(all(r["contributions"] >= data["seuil_de_secret"] for r in data["lignes"]), "no small cell is published")
            check(any(r["canal"] == "web" and r["contributions"] == 27 for r in data["lignes"]),
                  f"the web ideas' cell is published ({data['lignes']})")

            # --- the console: the phone's and the kiosk's hostile text, inert
            driver.set_window_size(1366, 768)
            browser.get(admin_link)
            browser.fill({"password": PASSWORD, "confirm": PASSWORD})
            browser.get(base + "/office/login")
            browser.fill({"name": "Admin Essai", "password": PASSWORD})
            browser.get(base + "/office/captures")
            check(browser.no_alert(), "console: no dialog from the phone's or the kiosk's captures")
            check(driver.execute_script("return window.__xss === undefined"), "console: no injected script ran")
            check(not browser.find_all("main img:not(.idea-photo)") and not browser.find_all("main script"),
                  "console: the hostile text made no element")
            photos = browser.find_all("main img.idea-photo")
            check(len(photos) == 1 and "/office/photo?capture=" in photos[0].get_attribute("src")
                  and driver.execute_script("return arguments[0].naturalWidth", photos[0]) == 120,
                  "console: the idea's photo is shown to the office")
            shown = browser.find("main").text
            check(SCRIPT_PAYLOAD in shown and IMG_PAYLOAD in shown, "console: the hostile strings are visible as text")
            browser.screenshot("public-console-captures")
        finally:
            if browser:
                browser.quit()
            code = server.stop()
        check(code == 0, f"the server stopped cleanly ({code})")
    checks.finish()


if __name__ == "__main__":
    main()
