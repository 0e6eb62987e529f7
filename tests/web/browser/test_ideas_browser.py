#!/usr/bin/python3
"""The idea review pages in a real browser (headless Chromium through Selenium) against the real
server process, with ideas captured by the real device program and synced: a coordinator lists
ideas, opens one, is refused a skipped state with a French sentence, moves it on and assigns it
to a valuator; the valuator sees only that idea and answers it. axe-core on every page (no
serious or critical violation), a screenshot of every page into the build's screenshots folder.

Usage: test_ideas_browser.py --server BIN --device BIN --assets DIR --screenshots DIR"""

import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import harness  # noqa: E402
from harness import SCRIPT_PAYLOAD  # noqa: E402


def main():
    harness.Rig.run("allervers-ideas-", tour)


def tour(rig):
    check, browser, base, page, login = rig.check, rig.browser, rig.base, rig.page, rig.login
    links = {name: rig.server.add_user(name, role) for name, role in
             (("Coordinatrice", "coordinator"), ("Service voirie", "valuator"))}
    device = rig.device("Tablette 1")
    ideas = [("Un abri à vélos devant la gare", "gare", "mobilites"),
             ("Des bancs à l'ombre place Jean-Jaurès", "centre", "cadre-de-vie"),
             (SCRIPT_PAYLOAD, "bois-joli", "nature")]
    device.capture([{"kind": "idea", "consultation": "budget-participatif-2027", "channel": "market",
                     "idea": {"title": title, "description": "Proposé au marché.\nDeuxième ligne.",
                              "theme": theme, "neighbourhood": quartier}}
                    for title, quartier, theme in ideas], rig.tmp)
    device.run("sync")

    def review(values, form="form[action='/office/idea/review']"):
        """Fills an idea page's form with the whole page in view (Bootstrap scrolls smoothly,
        so a click on a button scrolled to would land before the scroll ends)."""
        rig.tall(lambda: browser.fill(values, form=form))

    for link in links.values():
        rig.set_password(link)

    # --- the coordinator
    login("Coordinatrice")
    browser.get(base + "/office/ideas")
    page("ideas", "/office/ideas")
    shown = browser.find("main").text
    check(all(title in shown for title, _, _ in ideas), "ideas: every synced idea is listed, hostile title as text")
    check(not browser.find_all("main script"), "ideas: the hostile title made no element")
    codes = [c.text for c in browser.find_all("main td code")]
    check(len(codes) == 3 and all(len(c) == 9 and c[4] == "-" for c in codes), f"ideas: receipt codes shown ({codes})")

    browser.click_and_wait("main a[href^='/office/idea?id=']")
    page("idea")
    review({"to": "non_recevable"})
    check("Choisissez le motif de non-recevabilité dans la liste de la ville." in browser.text(),
          "idea: non recevable without a reason is refused with a French sentence naming the field")
    page("idea-refused")
    review({"to": "recevable"})
    check("Modification enregistrée." in browser.text() and "recevable" in browser.find(".card-header").text,
          "idea: recevable saved")
    review({"to": "en_etude", "assignee": "Service voirie", "cost": "15000",
            "notes": "Voir avec le plan vélo."})
    check("en étude" in browser.find(".card-header").text and "15\u202f000 €" in browser.text(),
          "idea: en étude, assigned, with its cost")
    page("idea-en-etude")
    browser.click_and_wait("form[action='/office/logout'] button")

    # --- the valuator
    login("Service voirie")
    browser.get(base + "/office/ideas")
    shown = browser.find("main").text
    check("Un abri à vélos devant la gare" in shown and "Des bancs" not in shown,
          "valuator: only the idea assigned to it")
    page("ideas-valuator", "/office/ideas")
    browser.click_and_wait("main a[href^='/office/idea?id=']")
    check(not browser.find_all("form[action='/office/idea/merge']"), "valuator: no merge form")
    review({"to": "faisable"})
    check("L’explication publique (montrée aux habitants) est obligatoire." in browser.text(),
          "valuator: faisable without a public explanation is refused")
    review({"to": "faisable", "public_answer": "Un abri de 20 places peut être posé au printemps."})
    check("faisable" in browser.find(".card-header").text, "valuator: the answer is saved")
    page("idea-valuator-answered")
    browser.get(base + "/office/captures")
    check("Votre rôle ne permet pas cette action." in browser.text(),
          "valuator: the contributions page is refused")
    browser.get(base + "/office/ideas")
    code = browser.find("main td code").text

    # --- a resident follows the idea on a phone (public pages, no session needed)
    browser.click_and_wait("form[action='/office/logout'] button")
    browser.driver.set_window_size(390, 844)
    browser.get(base + "/suivi?lang=fr&code=" + code.replace("-", "").lower())
    shown = browser.text()
    check("Un abri à vélos devant la gare" in shown and "faisable" in shown
          and "Un abri de 20 places peut être posé au printemps." in shown and "Voir avec le plan vélo" not in shown,
          "follow: the code typed loosely shows the state and the public answer, not the notes")
    page("public-follow")
    browser.screenshot("public-follow", 390, 844)
    browser.click_and_wait("main a[href^='/idees/']")
    check("Un abri à vélos devant la gare" in browser.find("h1").text, "follow: the idea's public page")
    page("public-idea")
    browser.screenshot("public-idea", 390, 844)
    browser.get(base + "/idees")
    shown = browser.text()
    check("Un abri à vélos devant la gare" in shown and "Des bancs" not in shown and SCRIPT_PAYLOAD not in shown,
          "public ideas: the admissible ones only (the others are still « reçue »)")
    browser.get(base + "/suivi?lang=ar&code=" + code)
    check(browser.find("html").get_attribute("dir") == "rtl", "follow: Arabic, right to left")
    page("public-follow-ar")
    browser.screenshot("public-follow-ar", 390, 844)
    browser.get(base + "/votes?lang=fr")
    check(browser.find("h1").text == "Résultats des votes", "votes: the list of votes")
    page("public-votes")
    browser.screenshot("public-votes", 390, 844)
    browser.get(base + "/votes/recu?code=ZZZZ-ZZZZ")
    check("Aucun bulletin n’a le code ZZZZ-ZZZZ" in browser.text(), "vote receipt: unknown code answered")
    page("public-vote-receipt")


if __name__ == "__main__":
    main()
