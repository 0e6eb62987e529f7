#!/usr/bin/python3
"""Telling residents, in a real browser (headless Chromium through Selenium) against the real server
process with a real SMTP relay (aiosmtpd): residents propose ideas on the public form, one leaving
her address with the box ticked, one whose relay refuses her address, one who typed an address
without ticking the box (asked again, nothing kept); the coordinator reviews them in the console,
the server's mail loop sends, the outbox page shows what was sent and what failed and retries on
request; the letter per quartier downloaded from the console and made by `allervers-server
idea-letter`, read back with pdftotext and drawn with pdftoppm for a look. axe-core on every page,
a screenshot of each.

Usage: test_residents_browser.py --server BIN --device BIN --assets DIR --screenshots DIR"""

import pathlib
import subprocess
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import harness  # noqa: E402

PHONE = (390, 844)


def main():
    harness.Rig.run("allervers-residents-", tour, serve_args=relay)


def relay(rig):
    rig.sink = harness.SmtpSink(pathlib.Path(rig.tmp) / "mails")
    rig.cleanups.append(rig.sink.stop)
    return ["--smtp-host", "127.0.0.1", "--smtp-port", str(rig.sink.port), "--mail-interval", "1",
            "--smtp-from", "Mairie de Saint-Aubin <participation@mairie.example>", "--public-url", "https://mairie.example"]


def pdf_text(path):
    """The PDF's words as poppler reads them, on one line (the letter's line breaks and no-break spaces as spaces)."""
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


def tour(rig):
    check, browser, base, page = rig.check, rig.browser, rig.base, rig.page
    shots = pathlib.Path(rig.args.screenshots)

    # --- residents on the public form (a phone)
    def propose(title, email, consent, shot=None, lang="fr"):
        browser.get(base + "/c/budget-participatif-2027/idee" + ("?lang=" + lang if lang != "fr" else ""))
        browser.driver.set_window_size(*PHONE)
        if shot:
            browser.screenshot(shot, *PHONE)
        from selenium.webdriver.support.ui import Select
        browser.find("#idea-title").send_keys(title)
        browser.find("#idea-description").send_keys("Des arceaux couverts devant la médiathèque, à l’abri de la pluie.")
        Select(browser.find("#idea-theme")).select_by_value("mobilites")
        Select(browser.find("#idea-neighbourhood")).select_by_value("gare")
        browser.find("#idea-email").send_keys(email)
        if consent:
            browser.driver.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})",
                                          browser.find("label[for='idea-consent']"))
            browser.find("label[for='idea-consent']").click()
        browser.driver.execute_script("document.documentElement.style.scrollBehavior = 'auto'")
        browser.driver.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})",
                                      browser.find("main form button[type=submit]"))
        browser.click_and_wait("main form button[type=submit]")

    def axe(name):
        violations = browser.axe()
        check(not violations, f"{name}: axe-core finds no serious or critical violation "
              f"({[(v['id'], v['impact'], v['help']) for v in violations]})")

    propose("Un abri à vélos couvert", "camille.martin@example.fr", True, shot="public-idea-contact")
    check(browser.path().endswith("/idee/merci"), "public form: the idea with an address and consent is saved")
    propose("Des bancs à l’ombre", "refuse.moi@example.fr", True)
    check(browser.path().endswith("/idee/merci"), "public form: a second idea with consent is saved")
    propose("Une fontaine", "dominique@example.fr", False)
    check("Cochez la case pour que la mairie puisse vous écrire, ou effacez l’adresse." in browser.text(),
          "public form: an address without the box ticked is asked again in French")
    check(browser.find("#idea-email").get_attribute("value") == "dominique@example.fr", "public form: what was typed is kept")
    axe("public-idea-consent-needed")
    browser.screenshot("public-idea-consent-needed", *PHONE)
    browser.get(base + "/c/budget-participatif-2027/idee?lang=ar")
    check(browser.find("html").get_attribute("dir") == "rtl" and browser.find("#idea-email").get_attribute("dir") == "ltr",
          "public form in Arabic: right to left, the address field left to right")
    axe("public-idea-contact-ar")
    browser.screenshot("public-idea-contact-ar", *PHONE)
    browser.driver.set_window_size(1366, 768)

    # --- ideas from a tablet, for the letter
    device = rig.device("Tablette du marché")
    device.capture([{"kind": "idea", "consultation": "budget-participatif-2027", "channel": "market",
                     "idea": {"title": title, "description": "Proposée au marché, côté école.", "theme": "nature",
                              "neighbourhood": "gare"}}
                    for title in ("Un jardin partagé derrière l’école", "Des arbres fruitiers rue de la Gare")], rig.tmp)
    device.run("sync")

    # --- the coordinator reviews the web ideas: the loop mails the one who consented
    rig.set_password(rig.server.add_user("Coordinatrice", "coordinator"))
    rig.login("Coordinatrice")

    def review(title, values):
        browser.get(base + "/office/ideas")
        links = [a for a in browser.find_all("main a[href^='/office/idea?id=']") if a.text == title]
        check(len(links) == 1, f"ideas: « {title} » listed once")
        browser.get(links[0].get_attribute("href"))
        rig.tall(lambda: browser.fill(values, form="form[action='/office/idea/review']"))
        check("Modification enregistrée." in browser.text(), f"idea « {title} »: {values['to']} saved")

    for title in ("Un abri à vélos couvert", "Des bancs à l’ombre", "Un jardin partagé derrière l’école"):
        review(title, {"to": "recevable"})
    review("Un jardin partagé derrière l’école", {"to": "en_etude", "assignee": "Service des espaces verts", "cost": "12000"})
    mails = rig.sink.wait_for(1)
    check(len(mails) == 1 and "X-Envelope-To: camille.martin@example.fr" in mails[0],
          f"one mail, to the resident who consented ({[m.splitlines()[0] for m in mails]})")

    # --- the outbox: one sent, one refused by the relay, retried on request
    browser.get(base + "/office/mails")
    for _ in range(50):  # the loop's second look may still be running
        if browser.find_all("#mails tr[data-status='failing']"):
            break
        time.sleep(0.2)
        browser.get(base + "/office/mails")
    check(len(browser.find_all("#mails tr[data-status='sent']")) == 1, "outbox: the mail sent")
    failing = browser.find_all("#mails tr[data-status='failing']")
    check(len(failing) == 1 and "550" in failing[0].text, "outbox: the mail the relay refused, with its 550")
    check("@example.fr" not in browser.text(), "outbox: no address shown to a coordinator")
    page("mails", "/office/mails")
    browser.click_and_wait("#mails tr[data-status='failing'] form[action='/office/mails/retry'] button")
    check("Le courriel sera réessayé" in browser.text(), "outbox: retry now")
    page("mails-retried", "/office/mails")

    # --- the letter per quartier, from the console and from the command
    browser.get(base + "/office/letters")
    page("letters", "/office/letters")
    status, headers, body = rig.download("/office/letter.pdf?quartier=gare")
    check(status == 200 and headers.get("Content-Type") == "application/pdf" and body.startswith(b"%PDF-"),
          "letters: the console gives the PDF")
    console_pdf = pathlib.Path(rig.tmp) / "console-gare.pdf"
    console_pdf.write_bytes(body)
    text = pdf_text(console_pdf)
    check("Un abri à vélos couvert" in text and "Un jardin partagé derrière l’école" in text and "Coût estimé : 12 000 €" in text,
          "letters: the ideas, accents and cost in the console's PDF")
    out = pathlib.Path(rig.tmp) / "lettre-gare.pdf"
    rig.server.cli("idea-letter", "--quartier", "gare", "--out", str(out), "--web-assets", rig.args.assets + "/web")
    text = pdf_text(out)
    check("Vos idées — Quartier de la Gare : ce qu’elles sont devenues" in text and "Page 1 sur 1" in text,
          "idea-letter: the command writes the same letter")
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True).stdout
    check("DejaVuSans" in fonts and all(" yes " in line for line in fonts.splitlines()[2:]),
          f"idea-letter: its fonts are embedded ({fonts})")
    subprocess.run(["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1", str(out), str(shots / "letter-gare")], check=True)
    refused = rig.server.cli("idea-letter", "--quartier", "lune", "--out", str(out), check=False)
    check(refused.returncode == 1 and "Le quartier" in refused.stderr and "lune" in refused.stderr,
          "idea-letter: an unknown quartier is refused, named")


if __name__ == "__main__":
    main()
