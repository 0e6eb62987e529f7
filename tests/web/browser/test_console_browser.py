#!/usr/bin/python3
"""The office console in a real browser (headless Chromium through Selenium) against the real
server process: set-password links, logins and their throttle, every page per role and what each
role may not reach (403), a change without its CSRF token refused, an ended session, the audit
log and its CSV, axe-core on every page (no serious or critical violation), a screenshot of every
page into the build's screenshots folder — and the console half of the XSS test: a capture typed
on a device with <script> and <img onerror> in every free-text field, synced, then shown in the
console as inert text.

Usage: test_console_browser.py --server BIN --device BIN --assets DIR --screenshots DIR"""

import json
import pathlib
import re
import sys
import urllib.error
import urllib.request

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import harness  # noqa: E402
from harness import IMG_PAYLOAD, SCRIPT_PAYLOAD  # noqa: E402

PASSWORD = harness.PASSWORD


def main():
    harness.Rig.run("allervers-console-", tour)


def tour(rig):
    check, browser, base, login, logout = rig.check, rig.browser, rig.base, rig.login, rig.logout
    links = {name: rig.server.add_user(name, role) for name, role in
             (("Admin Essai", "admin"), ("Coordinatrice", "coordinator"), ("Lecteur", "viewer"))}

    # A device captures hostile text in every free-text field and syncs it.
    device = rig.device("Tablette <b>XSS</b>")
    device.capture([
        {"kind": "idea", "consultation": "budget-participatif-2027", "channel": "kiosk",
         "idea": {"title": SCRIPT_PAYLOAD, "description": IMG_PAYLOAD + " " + SCRIPT_PAYLOAD,
                  "theme": "nature", "neighbourhood": "centre", "place": IMG_PAYLOAD}},
        {"kind": "opinion", "consultation": "place-jean-jaures", "channel": "kiosk",
         "answers": {"frequence": "chaque-semaine", "satisfaction": 2, "arbres": False, "arbres-pourquoi": SCRIPT_PAYLOAD,
                     "priorites": ["ombre"], "stationnement": 3, "commentaire": IMG_PAYLOAD}},
    ], rig.tmp)
    device.run("sync")

    visited = []

    def page(name, expect_path=None):
        visited.append(name)
        rig.page(name, expect_path, lang="fr")

    # --- not logged in: the login page
    browser.get(base + "/office/")
    page("login", "/office/login")
    check("Votre session a expiré" in browser.text(), "a page behind the login sends to the login page")

    # --- set-password from the one-time link, for each account
    for i, (name, link) in enumerate(links.items()):
        browser.get(link)
        if i == 0:
            browser.fill({"password": PASSWORD, "confirm": "autre chose encore"})
            check("Les deux mots de passe diffèrent." in browser.text(), "set-password: a mismatch is refused")
            page("set-password")
        browser.fill({"password": PASSWORD, "confirm": PASSWORD})
        check("Mot de passe enregistré" in browser.text(), f"set-password: {name}'s password is set")
    browser.get(links["Lecteur"])
    check("déjà utilisé ou expiré" in browser.text(), "a set-password link works once")
    page("set-password-used")

    # --- admin: wrong password, then every page
    login("Admin Essai", "pas le bon mot de passe")
    check("Nom ou mot de passe incorrect." in browser.text(), "a wrong password is refused with a sentence")
    page("login-wrong")
    login("Admin Essai")
    page("home", "/office/")
    check("budget-participatif-2027" in browser.text(), "home counts the synced captures")
    browser.driver.set_window_size(800, 1280)
    check(not browser.axe(), "home on a tablet (800×1280): axe-core finds no serious or critical violation")
    browser.screenshot("home-tablet", 800, 1280)

    browser.get(base + "/office/captures")
    check(browser.no_alert(), "captures: no dialog from the hostile captures")
    check(browser.driver.execute_script("return window.__xss === undefined"), "captures: no injected script ran")
    check(not browser.find_all("main img") and not browser.find_all("main script") and not browser.find_all("main b"),
          "captures: the hostile text made no element")
    shown = browser.find("main").text
    # Each field under its label (the console's words, the consultation's questions), not its id.
    words = json.loads(pathlib.Path(rig.args.assets, "web", "i18n", "fr.json").read_text(encoding="utf-8"))
    catalog = json.loads(pathlib.Path(rig.args.assets, "demo", "catalog.json").read_text(encoding="utf-8"))
    questions = {q["id"]: q["label"]["fr"] for c in catalog["consultations"] if c["id"] == "place-jean-jaures"
                 for q in c["questions"]}
    for label in (words["captures.field.idea.title"], words["captures.field.idea.place"],
                  questions["arbres-pourquoi"], questions["commentaire"]):
        check(label in shown, f"captures: the field labelled {label!r} is shown")
    check(shown.count(SCRIPT_PAYLOAD) == 3 and shown.count(IMG_PAYLOAD) == 3,
          "captures: every hostile string is visible as text (title, description, place, free-text answers)")
    check("Tablette <b>XSS</b>" in shown, "captures: a hostile device name is visible as text")
    page("captures", "/office/captures")

    browser.get(base + "/office/devices")
    page("devices", "/office/devices")
    check("Tablette <b>XSS</b>" in browser.find("main").text and not browser.find_all("main b"),
          "devices: the synced device is listed, its hostile name as text")
    browser.fill({"name": "Tablette 7"}, form="form[action='/office/devices/enrol']")
    code = browser.find("#enrol-code").text
    check(len(code) == 19, f"devices: an enrolment code is shown ({code})")
    check(browser.driver.execute_script("const i = document.querySelector('img.enrol-qr'); return i.complete && i.naturalWidth > 0"),
          "devices: the enrolment QR code image loads (an SVG the server makes)")
    page("devices-enrol")
    browser.click_and_wait("tr:first-child form[action='/office/devices/revoke'] button")
    check("Révoquer l’appareil" in browser.text(), "devices: revoking asks for a confirmation")
    page("devices-revoke-confirm")
    browser.click_and_wait(".alert-warning button")
    check("révoqué" in browser.find("main").text, "devices: the device is revoked after the confirmation")

    browser.get(base + "/office/users")
    page("users", "/office/users")
    browser.fill({"name": "Nouvelle <i>personne</i>", "role": "viewer"}, form="form[action='/office/users/add']")
    link = browser.find("#password-link").text
    check(link.startswith(base + "/office/set-password?token="), f"users: adding an account shows its one-time link ({link})")
    check(not browser.find_all("main i"), "users: a hostile name made no element")
    page("users-added")
    browser.click_and_wait("tr:last-child form[action='/office/users/disable'] button")
    check("Ses sessions se terminent aussitôt" in browser.text(), "users: disabling asks for a confirmation")
    page("users-disable-confirm")
    browser.click_and_wait(".alert-warning button")
    check("désactivé" in browser.text(), "users: the account is disabled after the confirmation")

    # Machine clients' tokens: made here, shown once, accepted by the attendance endpoint,
    # refused once revoked.
    browser.get(base + "/office/tokens")
    page("tokens", "/office/tokens")
    browser.fill({"name": "Écran de la salle des fêtes"}, form="form[action='/office/tokens/add']")
    token = browser.find("#new-token").text
    page("tokens-made")

    def attendance(with_token):
        request = urllib.request.Request(base + "/api/v1/assemblies/attendance",
                                         headers={"Authorization": "Bearer " + with_token})
        try:
            return urllib.request.urlopen(request, timeout=30).status
        except urllib.error.HTTPError as e:
            return e.code
    check(attendance(token) == 200, "tokens: the new token reads attendance")
    browser.click_and_wait("tr:first-child form[action='/office/tokens/revoke'] button")
    check("Le client qui l’utilise sera refusé aussitôt" in browser.text(), "tokens: revoking asks for a confirmation")
    browser.click_and_wait(".alert-warning button")
    check(attendance(token) == 401, "tokens: a revoked token is refused")

    # A change without the session's CSRF token is refused and changes nothing.
    browser.get(base + "/office/users")
    browser.driver.execute_script("document.querySelector(\"form[action='/office/users/add'] [name=csrf]\").value = 'forged'")
    browser.fill({"name": "Sans jeton", "role": "admin"}, form="form[action='/office/users/add']")
    check("Formulaire refusé" in browser.text() and "Rien n’a été modifié" in browser.text(),
          "a form with a wrong CSRF token is refused with a sentence")
    page("csrf-refused")
    check("Sans jeton" not in rig.server.cli("list-users").stdout, "the refused form added no account")

    browser.get(base + "/office/audit")
    page("audit", "/office/audit")
    text = browser.text()
    for action in ("user.add", "user.set_password", "login.failed", "login", "user.disable", "csrf.refused",
                   "device.enrol_code", "device.revoke", "token.add", "token.revoke"):
        check(action in text, f"audit: the log shows {action}")
    browser.fill({"action": "user."}, form="main form[action='/office/audit']")
    check("login.failed" not in browser.find("main").text, "audit: the filter by action prefix works")
    page("audit-filtered")
    csv = browser.driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "fetch('/office/audit.csv').then(r => r.text()).then(done)")
    check(';user.add;' in csv and ';csrf.refused;' in csv, "audit: the CSV export holds the entries")
    logout()
    check("Vous êtes déconnecté." in browser.text(), "logout ends the session")
    browser.get(base + "/office/")
    check(browser.path() == "/office/login", "after logout the console asks to log in again")

    # --- a viewer: home only; the rest is 403 with a sentence
    login("Lecteur")
    check(browser.path() == "/office/", "the viewer logs in")
    nav = browser.find("header").text
    check("Comptes" not in nav and "Journal" not in nav and "Contributions" not in nav and "Appareils" not in nav,
          "the viewer's navigation shows only what the role reaches")
    for path in ("/office/users", "/office/audit", "/office/captures", "/office/audit.csv", "/office/devices"):
        browser.get(base + path)
        check("Votre rôle ne permet pas cette action." in browser.text(), f"viewer: {path} is refused")
    page("forbidden")
    # An ended session (here: the account disabled meanwhile) sends back to the login.
    rig.server.cli("disable-user", "--name", "Lecteur")
    browser.get(base + "/office/")
    check(browser.path() == "/office/login" and "Votre session a expiré" in browser.text(),
          "a session ended on the server sends to the login page")

    # --- a coordinator: contributions yes, accounts and audit no
    login("Coordinatrice")
    browser.get(base + "/office/captures")
    check(browser.path() == "/office/captures" and "Dernières contributions" in browser.text(),
          "the coordinator reads the contributions")
    for path in ("/office/users", "/office/audit", "/office/devices", "/office/tokens"):
        browser.get(base + path)
        check("Votre rôle ne permet pas cette action." in browser.text(), f"coordinator: {path} is refused")
    logout()

    # --- the login throttle: after the free failures even the right password waits. Wrong
    # attempts until the wait shown is 4 s or more, so that the right one surely falls in it even
    # on a loaded machine (at 2 s, a slow browser sometimes came after the wait had passed).
    waited = 0
    for _ in range(40):
        login("Coordinatrice", "mauvais mot de passe")
        shown = re.search(r"Réessayez dans (\d+) s", browser.text())
        if shown and int(shown.group(1)) >= 4:
            waited = int(shown.group(1))
            break
    check(waited >= 2, "repeated failures make the wait grow")
    login("Coordinatrice")
    check("Trop d’essais" in browser.text(), "logins are throttled after repeated failures, even the right password")
    page("login-throttled")

    browser.get(base + "/office/nowhere")
    check("Cette page n’existe pas." in browser.text(), "an unknown page is answered with a sentence")
    print("pages seen:", ", ".join(visited))


if __name__ == "__main__":
    main()
