#!/usr/bin/python3
"""The console's vote and consultation editor in a real browser (headless Chromium through
Selenium) against the real server process, with ballots typed into two real device programs
and synced: a coordinator writes a vote (a bad cost refused in French), opens it, sees the count
and the ballot of a voter who voted on both devices flagged with both devices, exports the
results (CSV checked against a count made here), closes it and publishes the results; then
edits a consultation and publishes its version 2. axe-core on every page (no serious or
critical violation), a screenshot of every page into the build's screenshots folder.

Usage: test_console_votes_browser.py --server BIN --device BIN --assets DIR --screenshots DIR"""

import collections
import pathlib
import sys
import urllib.parse
import struct
import zlib

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import harness  # noqa: E402


def project_png(path, width=480, height=320):
    """A picture for a project, as a coordinator's PNG: sky, a shelter's roof, grass."""
    rows = bytearray()
    for y in range(height):
        rows.append(0)  # no filter
        for x in range(width):
            roof = abs(x - width // 2) < (y - height // 4) and y < height // 2
            if y > height * 3 // 4:
                pixel = (70, 140, 60)
            elif roof:
                pixel = (150, 60, 40)
            else:
                pixel = (120 + x * 100 // width, 170, 230)
            rows.extend(pixel)

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
    png += chunk(b"IDAT", zlib.compress(bytes(rows), 6)) + chunk(b"IEND", b"")
    path.write_bytes(png)


def main():
    harness.Rig.run("allervers-votes-", tour)


def tour(rig):
    check, browser, base, page = rig.check, rig.browser, rig.base, rig.page
    link = rig.server.add_user("Coordinatrice", "coordinator")

    def tall_fill(values, form, submit, dates=None):
        """A long form filled with the whole page in view; date inputs set as their value (typing
        into them depends on the locale)."""
        def fill():
            for name, value in (dates or {}).items():
                browser.driver.execute_script(
                    "document.querySelector(arguments[0]).value = arguments[1]", f"{form} [name='{name}']", value)
            browser.fill(values, form=form, submit=submit)
        rig.tall(fill)

    def tall_click(css):
        rig.tall(lambda: browser.click_and_wait(css))

    rig.set_password(link)
    rig.login("Coordinatrice")

    # --- a vote written, a bad cost refused, then saved and opened
    browser.get(base + "/office/votes")
    page("votes-empty", "/office/votes")
    browser.click_and_wait("main a[href='/office/vote/new']")
    page("vote-new", "/office/vote/new")
    dates = {"opens": "2024-01-01", "closes": "2099-12-31"}
    draft = {"title": "Budget des quartiers 2027", "envelope.": "100000", "envelope.gare": "30000",
             "p0.title": "Des bancs", "p0.cost": "20 000",
             "p1.title": "Un parc", "p1.cost": "douze mille",
             "p2.title": "Un abri à vélos", "p2.cost": "25000", "p2.quartier": "gare"}
    tall_fill(draft, "#vote-form", "button[value='save']", dates)
    check("le coût « douze mille » n’est pas un nombre entier d’euros" in browser.text().replace("\u00a0", " "),
          "vote: a cost that is not a number is refused in French, naming the project")
    page("vote-refused")
    # A picture for the shelter (its file chosen, what it shows said), saved with the draft.
    picture = pathlib.Path(rig.tmp) / "abri.png"
    project_png(picture)
    rig.tall(lambda: browser.find("#vote-form [name='p2.picture_file']").send_keys(str(picture)))
    tall_fill({"p1.cost": "90000", "p2.picture_alt": "Un abri couvert pour vingt vélos"}, "#vote-form",
              "button[value='save']")
    check("Brouillon enregistré." in browser.text(), "vote: the draft is saved")
    preview = browser.find_all("img.project-picture-preview")
    check(len(preview) == 1 and preview[0].get_attribute("alt") == "Un abri couvert pour vingt vélos"
          and browser.driver.execute_script("return arguments[0].naturalWidth", preview[0]) > 0,
          "vote: the shelter's picture is shown in the draft with what it shows")
    page("vote-draft-picture")
    vote_url = browser.driver.current_url
    tall_click("form[action='/office/vote/open'] button")
    check("Vote ouvert" in browser.text(), "vote: opened")
    vote_id = urllib.parse.parse_qs(urllib.parse.urlparse(vote_url).query)["id"][0]

    # --- the public page of the vote: each project, the shelter with its picture
    browser.get(f"{base}/votes/{vote_id}")
    pictures = browser.find_all("main img")
    check(len(pictures) == 1 and pictures[0].get_attribute("alt") == "Un abri couvert pour vingt vélos"
          and browser.driver.execute_script("return arguments[0].naturalWidth", pictures[0]) > 0,
          "public vote page: the shelter's picture is loaded, with its alt text")
    check("Des bancs" in browser.text() and "Un parc" in browser.text(), "public vote page: every project listed")
    page("public-vote-pictures")
    browser.screenshot("public-vote-pictures-phone", 390, 844)
    browser.get(f"{base}/votes/{vote_id}?lang=ar")
    page("public-vote-pictures-ar")

    # --- ballots typed on two devices; the pass P2 votes on both, first on the second one
    ballots = [("a", "2026-11-21T10:00:00+01:00", "P1P1P1P1P1", ["un-parc"]),
               ("a", "2026-11-21T10:05:00+01:00", "P2P2P2P2P2", ["un-parc"]),
               ("a", "2026-11-21T10:06:00+01:00", "P3P3P3P3P3", ["un-abri-a-velos"]),
               ("b", "2026-11-21T10:01:00+01:00", "P2P2P2P2P2", ["des-bancs", "un-abri-a-velos"]),
               ("b", "2026-11-21T10:02:00+01:00", "P4P4P4P4P4", ["des-bancs"])]
    names = {"a": "Tablette marché", "b": "Borne mairie"}
    for key in ("a", "b"):
        folder = pathlib.Path(rig.tmp) / key
        folder.mkdir()
        device = rig.device(names[key], folder)
        device.run("sync")  # the catalog with the vote
        device.capture([{"kind": "ballot", "captured_at": at,
                         "ballot": {"vote": vote_id, "pass": pas, "projects": projects,
                                    "age_confirmed": True, "paper": True}}
                        for k, at, pas, projects in ballots if k == key], folder)
        device.run("sync")
    # The count made here: each pass's earliest ballot.
    earliest = {}
    for k, at, pas, projects in sorted(ballots, key=lambda b: b[1]):
        earliest.setdefault(pas, projects)
    expected = collections.Counter(p for projects in earliest.values() for p in projects)

    browser.get(vote_url)  # the draft's address, "&done=saved" still in it
    text = browser.text().replace("\u00a0", " ")
    check("Brouillon enregistré" not in text and browser.find("p.lead").text.startswith("ouvert"),
          "vote: the opened vote shows its real state, not the draft's notice")
    check(f"Bulletins comptés : {len(earliest)}" in text, f"vote: {len(earliest)} ballots counted")
    flagged = browser.find_all("#flagged tbody tr")
    check(len(flagged) == 1 and "Tablette marché" in flagged[0].text and "Borne mairie" in flagged[0].text,
          "vote: the later ballot of P2 is flagged with both devices")
    page("vote-open")

    # --- the results exported (the browser's own session), compared with the count made here
    _, _, body = rig.download(f"/office/vote/export?format=csv&id={vote_id}")
    check(body.startswith(b"\xef\xbb\xbf"), "export: CSV with a BOM for French Excel")
    rows = [line.split(";") for line in body[3:].decode("utf-8").splitlines()[1:]]
    in_csv = {row[4]: int(row[6]) for row in rows}
    check(all(in_csv.get(p, 0) == n for p, n in expected.items()) and sum(in_csv.values()) == sum(expected.values()),
          f"export: the votes per project are the ballots' ({in_csv} vs {dict(expected)})")

    tall_click("form[action='/office/vote/close'] button")
    check("Vote clos." in browser.text(), "vote: closed")
    tall_click("form[action='/office/vote/publish'] button")
    check("Résultats publiés le" in browser.text(), "vote: results published")
    page("vote-published")
    browser.get(base + "/office/votes")
    page("votes", "/office/votes")

    # --- the consultation editor: version 2 of a consultation published
    browser.get(base + "/office/consultations")
    page("consultations", "/office/consultations")
    browser.get(base + "/office/editor?id=place-jean-jaures")
    page("editor")
    questions = len(browser.find_all("select[name$='.type']"))
    tall_fill({}, "#editor-form", "button[value='add_question']")
    check(len(browser.find_all("select[name$='.type']")) == questions + 1,
          "editor: a question is added by a plain form post")
    tall_fill({"q0.label.fr": "Combien de fois passez-vous sur la place ?"}, "#editor-form", "button[value='publish']")
    check("Rien n’a été publié" in browser.text(), "editor: the empty new question is refused, nothing published")
    page("editor-refused")
    browser.get(base + "/office/editor?id=place-jean-jaures")
    tall_fill({"q0.label.fr": "Combien de fois passez-vous sur la place ?"}, "#editor-form", "button[value='publish']")
    check("Version 2 publiée" in browser.text(), "editor: version 2 published")
    page("editor-published")


if __name__ == "__main__":
    main()
