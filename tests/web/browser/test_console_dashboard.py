#!/usr/bin/python3
"""The console's dashboard in a real browser (headless Chromium, Selenium) against the real
server and device programs: the numbers equal what the device synced, the charts are drawn
(Chart.js from Debian's libjs-chart.js, no inline script), a capture synced while the page is
open shows without reloading it, a filter changes the numbers, results per question, free-text
answers searched, each export downloaded and read back (CSV with ';' and BOM, XLSX with
openpyxl, JSON Lines, Decidim) and found in the audit log with the command line's export,
axe-core on every page, a screenshot of every page.

Usage: test_console_dashboard.py --server BIN --device BIN --assets DIR --screenshots DIR"""

import csv
import io
import json
import pathlib
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import harness  # noqa: E402
from harness import SCRIPT_PAYLOAD  # noqa: E402


def opinion(channel, quartier, comment=None, satisfaction=4):
    answers = {"frequence": "chaque-semaine", "satisfaction": satisfaction, "arbres": True, "priorites": ["ombre"],
               "stationnement": 3, "quartier": quartier}
    if comment:
        answers["commentaire"] = comment
    return {"kind": "opinion", "consultation": "place-jean-jaures", "channel": channel, "answers": answers}


def main():
    harness.Rig.run("allervers-dashboard-", tour)


def tour(rig):
    check, browser, base, page = rig.check, rig.browser, rig.base, rig.page
    links = {name: rig.server.add_user(name, role) for name, role in
             (("Coordinatrice", "coordinator"), ("Élue", "viewer"))}
    device = rig.device("Tablette du marché")
    device.capture([opinion("market", "gare", "Près de l'école, des bancs"),
                    opinion("market", "centre", SCRIPT_PAYLOAD + " école", 2),
                    opinion("kiosk", "gare", "Plus d'ombre"),
                    {"kind": "idea", "consultation": "budget-participatif-2027", "channel": "kiosk",
                     "idea": {"title": "Un jardin partagé", "description": "Avec les voisins", "theme": "nature",
                              "neighbourhood": "gare"}}], rig.tmp)
    device.run("sync")

    def login(name):
        """The account's password set from its link, which then logs it in."""
        if browser.find_all("form[action='/office/logout'] button"):
            rig.logout()
        rig.set_password(links[name])
        browser.fill({"name": name, "password": harness.PASSWORD})

    def wait_for(condition, what, seconds=20):
        deadline = time.time() + seconds
        while time.time() < deadline:
            if condition():
                return True
            time.sleep(0.2)
        return check(False, what)

    # --- the dashboard, its charts and its live numbers -----------------------------
    login("Coordinatrice")
    browser.get(base + "/office/dashboard")
    check(browser.find("#dashboard-total").text == "4", "dashboard: 4 contributions, as synced")
    by_channel = {r.find_elements("css selector", "td")[0].text: r.find_elements("css selector", "td")[1].text
                  for r in browser.find_all("table[data-dimension='by_channel'] tbody tr")}
    check(by_channel.get("marché") == "2" and by_channel.get("borne") == "2", f"dashboard: per channel ({by_channel})")
    drawn = browser.driver.execute_script(
        "return Array.from(document.querySelectorAll('canvas[data-dimension]')).map(c => "
        "Chart.getChart(c) ? Chart.getChart(c).data.datasets[0].data.reduce((a, b) => a + b, 0) : -1)")
    check(drawn and all(n == 4 for n in drawn), f"dashboard: every chart is drawn with the numbers ({drawn})")
    page("dashboard")
    browser.screenshot("dashboard-tablet", width=800, height=1280)

    # A capture synced while the page is open shows without a reload.
    browser.driver.execute_script("window.__same_page = true")
    device.capture([opinion("door_to_door", "bois-joli")], rig.tmp)
    device.run("sync")
    wait_for(lambda: browser.find("#dashboard-total").text == "5", "dashboard: the new capture shows without reloading")
    check(browser.driver.execute_script("return window.__same_page === true"), "dashboard: the page was not reloaded")
    check("Mis à jour à" in browser.find("#dashboard-updated").text, "dashboard: says when it was updated")
    wait_for(lambda: browser.driver.execute_script(
        "const c = Chart.getChart(document.querySelector('canvas[data-dimension=by_channel]'));"
        "return c.data.labels.includes('porte-à-porte')"), "dashboard: the chart follows the new numbers")

    # A filter changes the numbers.
    browser.fill({"channel": "market", "quartier": "gare"}, form="form.filter-form")
    check(browser.find("#dashboard-total").text == "1", "dashboard: market × gare is 1 capture")
    check("channel=market" in browser.driver.current_url, "dashboard: the filter is in the address (a link to share)")
    page("dashboard-filtered")

    # --- results per question and free-text answers ------------------------------------
    browser.get(base + "/office/results?consultation=place-jean-jaures")
    text = browser.text()
    check("4 avis avec ces filtres" in text, "results: 4 opinions")
    check("moyenne 3,50 sur 5" in text, "results: the mean satisfaction (4, 2, 4, 4)")
    page("results")
    browser.get(browser.find("a[href*='question=commentaire']").get_attribute("href"))
    check("3 réponses" in browser.text(), "answers: the three comments")
    browser.fill({"search": "ECOLE"}, form="form[role=search]")
    check("2 réponses contiennent « ECOLE »" in browser.text(), "answers: a search without case or accents")
    check(SCRIPT_PAYLOAD in browser.text(), "answers: a hostile comment is shown as text")
    page("answers")

    # --- exports: downloaded, read back, audited -----------------------------------------
    # --- assemblies: created, published to the device, attendance live --------------------
    browser.get(base + "/office/assemblies")
    browser.driver.execute_script(
        "document.getElementById('a-date').value = '2026-12-03T18:30';"
        "document.getElementById('a-quartier').value = 'gare';")
    browser.fill({"name": "Conseil de quartier de la Gare", "place": "Salle Jean-Moulin"},
                 form="form[action='/office/assemblies/create']")
    check("est publiée" in browser.text(), "assemblies: an assembly is created and published")
    row = "tr[data-assembly='conseil-de-quartier-de-la-gare-2026-12-03']"
    check(len(browser.find_all(row)) == 1, "assemblies: it is listed")
    check("03/12/2026 18:30" in browser.find(row).text, "assemblies: its date as the town reads it")
    page("assemblies")
    device.run("sync")  # the device gets it with the catalog
    browser.driver.execute_script("window.__same_page = true")
    device.capture([{"kind": "signin", "channel": "assembly", "signin": {
                        "assembly": "conseil-de-quartier-de-la-gare-2026-12-03", "pass": p}}
                    for p in ("TOWNPASS-A", "TOWNPASS-A", "TOWNPASS-B")]
                   + [{"kind": "signin", "channel": "assembly",
                       "signin": {"assembly": "conseil-de-quartier-de-la-gare-2026-12-03"}}], rig.tmp)
    device.run("sync")
    wait_for(lambda: browser.find(row + " td[data-count=people]").text == "3",
             "assemblies: 3 people (two passes, one scanned twice, and one without) show without reloading")
    check(browser.find(row + " td[data-count=scans]").text == "4", "assemblies: 4 sign-ins received")
    check(browser.driver.execute_script("return window.__same_page === true"), "assemblies: the page was not reloaded")
    pdf = browser.driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "const f = new FormData(document.querySelector(\"form[action='/office/assemblies/passes']\"));"
        "f.set('count', '2');"
        "fetch('/office/assemblies/passes', {method: 'POST', body: new URLSearchParams(f)})"
        ".then(r => r.arrayBuffer()).then(b => done(Array.from(new Uint8Array(b.slice(0, 5)))))"
        ".catch(e => done(String(e)))")
    check(pdf == list(b"%PDF-"), f"assemblies: passes print as a PDF ({pdf})")

    # --- who we reach: the population uploaded, a faulty file named by line and column ----
    browser.get(base + "/office/population")
    bad = pathlib.Path(rig.tmp) / "population-faute.csv"
    bad.write_text("quartier;tranche_age;habitants\ncentre;18-29;douze\n", encoding="utf-8")
    browser.find("#pop-file").send_keys(str(bad))
    browser.click_and_wait("form[action='/office/population/import'] button")
    check("Ligne 2, colonne 3 (habitants)" in browser.text(), "population: a faulty file is refused, its line and column named")
    good = pathlib.Path(rig.tmp) / "population.csv"
    good.write_text("quartier;tranche_age;habitants\n" + "".join(
        f"{q};{a};{1500 if a == '75-plus' else 300}\n" for q in ("centre", "gare", "bois-joli", "pres-fleuris", "bords-de-loire")
        for a in ("moins-18", "18-29", "30-44", "45-59", "60-74", "75-plus")), encoding="utf-8")
    browser.find("#pop-file").send_keys(str(good))
    browser.click_and_wait("form[action='/office/population/import'] button")
    check("Population importée : 15000 habitants." in browser.text(), "population: the file is imported")
    check("Quartier de la Gare" in browser.text(), "population: participation per quartier against the population")
    page("population")

    _, headers, body = rig.download("/office/export?format=csv&table=opinions&channel=market")
    check(body.startswith(b"\xef\xbb\xbf"), "export CSV: UTF-8 with its BOM")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    check(len(rows) == 3, f"export CSV: a header and the 2 market opinions ({len(rows)} rows)")
    check("attachment" in headers.get("Content-Disposition", ""), "export CSV: a download")
    _, headers, body = rig.download("/office/export?format=xlsx")
    try:
        import openpyxl
        book = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
        check(len(book.sheetnames) >= 1, f"export XLSX: openpyxl reads it ({book.sheetnames})")
    except ImportError:
        check(body[:2] == b"PK", "export XLSX: a zip file (python3-openpyxl missing)")
    _, _, body = rig.download("/office/export?format=jsonl")
    check(len([json.loads(line) for line in body.decode().splitlines() if line]) == 9, "export JSONL: every capture")
    _, _, body = rig.download("/office/export?format=decidim")
    check("Un jardin partagé" in body.decode(), "export Decidim: the idea")
    rig.server.cli("export", "--format", "csv", "--no-personal-data")

    login("Élue")
    browser.get(base + "/office/dashboard")
    check(browser.find("#dashboard-total").text == "9", "dashboard: a viewer sees the numbers")
    check(not browser.find_all("a[href^='/office/export']"), "dashboard: a viewer is offered no export")
    page("dashboard-viewer")
    status, _, _ = rig.download("/office/export?format=csv")
    check(status == 403, f"export: a viewer is refused (403, got {status})")

    # The audit log holds each export (the console's four, the command's) and the refusal:
    # read from the server's database (an admin's page for it is tested in test_console_browser).
    import sqlite3
    with sqlite3.connect(pathlib.Path(rig.tmp) / "server.db") as db:
        entries = db.execute("SELECT actor, action, target, detail, client FROM audit_log ORDER BY id").fetchall()
    exports = [e for e in entries if e[1] == "export"]
    check(len([e for e in exports if e[0] == "Coordinatrice" and e[4] == "127.0.0.1"]) == 4,
          f"audit: the coordinator's four exports, from her address ({exports})")
    check(any(e[0] == "Coordinatrice" and e[2] == "csv" and "channel=market" in e[3] and "table=opinions" in e[3]
              for e in exports), "audit: the CSV export with its filter")
    check(any(e[0] == "cli" and e[4] == "local" for e in exports), "audit: the command line's export (actor cli)")
    check(any(e[0] == "Élue" and e[1] == "access.refused" for e in entries), "audit: the viewer's refused export")
    check(any(e[0] == "Coordinatrice" and e[1] == "assembly.publish" for e in entries), "audit: the assembly published")
    check(any(e[0] == "Coordinatrice" and e[1] == "passes.print" and e[2] == "2" for e in entries), "audit: the passes printed")


if __name__ == "__main__":
    main()
