#!/usr/bin/python3
"""The console over PostgreSQL in a real browser: the same server program on a throw-away
PostgreSQL, an account set up from its one-time link, a login, the home and accounts pages, a
CSRF refusal, logout. (The full tour runs on SQLite: test_console_browser.py.)

Usage: test_console_postgres.py --server BIN --assets DIR --screenshots DIR"""

import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import harness  # noqa: E402


def main():
    harness.Rig.run("allervers-console-pg-", tour, device=False, postgres=True)


def tour(rig):
    check, browser = rig.check, rig.browser
    link = rig.server.add_user("Admin PostgreSQL", "admin")
    rig.set_password(link)
    check("Mot de passe enregistré" in browser.text(), "the password is set from the link")
    browser.fill({"name": "Admin PostgreSQL", "password": harness.PASSWORD})
    check(browser.path() == "/office/", "the account logs in")
    check("Connecté : Admin PostgreSQL" in browser.text(), "home names who is logged in")
    browser.get(rig.base + "/office/users")
    browser.fill({"name": "Deuxième compte", "role": "coordinator"}, form="form[action='/office/users/add']")
    check("/office/set-password?token=" in browser.find("#password-link").text, "an account is added")
    browser.driver.execute_script("document.querySelector(\"form[action='/office/users/add'] [name=csrf]\").value = ''")
    browser.fill({"name": "Sans jeton", "role": "admin"}, form="form[action='/office/users/add']")
    check("Formulaire refusé" in browser.text(), "a form without its CSRF token is refused")
    check(not browser.axe(), "axe-core: no serious or critical violation")
    browser.screenshot("postgres-csrf-refused")
    browser.get(rig.base + "/office/audit")
    check("user.add" in browser.text() and "csrf.refused" in browser.text(), "the audit log holds both")
    browser.screenshot("postgres-audit")
    listing = rig.server.cli("list-users").stdout
    check("Deuxième compte" in listing and "Sans jeton" not in listing, "PostgreSQL holds what the pages did")


if __name__ == "__main__":
    main()
