#!/usr/bin/python3
"""The consultation editor's live preview, quartiers and channels in a real browser (headless
Chromium through Selenium) against the real server process: a coordinator types a question's
label (a hostile one shown inert, as text), its help and a choice, changes its type, picks the
preview's language (Arabic, right to left) and ticks quartiers — each preview pane follows
without a page load; then publishes the consultation for two channels without the web, and the
public page no longer offers its form. axe-core on every page (no serious or critical
violation), no Content-Security-Policy refusal, screenshots at 1280×800 into the build's
screenshots folder.

Usage: test_editor_browser.py --server BIN --assets DIR --screenshots DIR"""

import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import harness  # noqa: E402

HOSTILE = "<img src=x onerror=alert(1)>"


def main():
    harness.Rig.run("allervers-editor-", tour, device=False)


def tour(rig):
    check, browser, base, page = rig.check, rig.browser, rig.base, rig.page
    from selenium.webdriver.support.ui import Select, WebDriverWait

    link = rig.server.add_user("Coordinatrice", "coordinator")
    rig.set_password(link)
    rig.login("Coordinatrice")

    def field(name):
        return browser.find(f"#editor-form [name='{name}']")

    def preview(n):
        return browser.find(f"[data-preview='{n}'] [data-preview-body]")

    def shows(n, what, text):
        """Waits (the preview is drawn on the input event) until pane `n` shows `text`."""
        try:
            WebDriverWait(browser.driver, 5).until(lambda d: text in preview(n).text)
            return True
        except Exception:  # noqa: BLE001 - the check below says what was shown
            print(f"pane {n} shows: {preview(n).text!r}", file=sys.stderr)
            check(False, what)
            return False

    def viewport(name, css):
        """What a 1280×800 screen shows with `css` at its top."""
        browser.driver.set_window_size(1280, 800)
        browser.driver.execute_script(
            "document.querySelector(arguments[0]).scrollIntoView({block: 'start', behavior: 'instant'})", css)
        browser.driver.save_screenshot(str(browser.screenshots / f"{name}.png"))
        browser.driver.set_window_size(1366, 768)

    def type_into(name, text):
        f = field(name)
        browser.driver.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", f)
        f.clear()
        f.send_keys(text)

    browser.get(base + "/office/editor?id=place-jean-jaures")
    check("L’aperçu suit ce que vous tapez." in browser.text(), "editor: the script runs (the live preview is announced)")
    page_loads = browser.driver.execute_script("return performance.getEntriesByType('navigation').length")
    marker = browser.driver.execute_script("window.allerversSamePage = 1; return 1")

    # The label as typed, hostile text inert.
    type_into("q0.label.fr", HOSTILE)
    if shows(0, "preview: the typed label shows", HOSTILE):
        check(preview(0).find_element("css selector", "p.fw-bold").text == HOSTILE, "preview: the hostile label is shown as text")
    check(not browser.find_all("[data-preview] img"), "preview: no element made from typed text")
    check(browser.no_alert(), "preview: the typed handler never ran")
    # The help text (behind its « Aide » summary) and a choice.
    browser.find("[data-question='0'] details summary").click()
    type_into("q0.help.fr", "Une seule réponse")
    shows(0, "preview: the help text follows", "Une seule réponse")
    type_into("q0.o1.label.fr", "Chaque semaine, le samedi")
    shows(0, "preview: a choice follows", "○ Chaque semaine, le samedi")
    # The type: a yes/no question shows the public form's words, a text box its box.
    Select(field("q0.type")).select_by_value("yes_no")
    shows(0, "preview: yes/no after the type changed", "○ Oui")
    Select(field("q0.type")).select_by_value("short_text")
    shows(0, "preview: a text box for a short answer", "Zone de texte libre")
    check("d-none" in browser.find("[data-question='0'] [data-shown-for='single_choice multiple_choice']").get_attribute("class"),
          "editor: the choices are put away for a short answer")
    Select(field("q0.type")).select_by_value("single_choice")
    shows(0, "preview: the choices back with the type", "○ Tous les jours")

    # Quartiers ticked: the quartier question offers those only.
    shows(7, "preview: the whole town's quartiers before", "Les Bois-Joli")
    for quartier in ("gare", "centre"):
        box = browser.find(f"input[name='neighbourhoods'][value='{quartier}']")
        browser.driver.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", box)
        box.click()
    shows(7, "preview: a ticked quartier", "Quartier de la Gare")
    check("Les Bois-Joli" not in preview(7).text and "hors de la commune" not in preview(7).text,
          f"preview: only the ticked quartiers ({preview(7).text!r})")
    check(browser.driver.execute_script("return window.allerversSamePage || 0") == marker and
          browser.driver.execute_script("return performance.getEntriesByType('navigation').length") == page_loads,
          "preview: all of it without loading the page again")
    page("editor-live", "/office/editor")
    viewport("editor-live-1280x800", "[data-question='0']")

    # The preview's language: Arabic, right to left; choices without Arabic fall back to French.
    Select(browser.find("#preview-lang")).select_by_value("ar")
    shows(2, "preview: the label in Arabic", "هل تعجبك الساحة اليوم؟")
    shows(2, "preview: the public form's smileys in Arabic", "غير راضٍ إطلاقًا")
    check(preview(2).get_attribute("dir") == "rtl" and preview(2).get_attribute("lang") == "ar", "preview: Arabic right to left")
    shows(7, "preview: the quartiers in Arabic", "حي المحطة")
    page("editor-live-ar", "/office/editor")
    viewport("editor-preview-ar-1280x800", "[data-question='2']")

    # Published for the market and kiosks: the public page has no form any more.
    Select(browser.find("#preview-lang")).select_by_value("fr")
    type_into("q0.label.fr", "À quelle fréquence passez-vous sur la place ?")
    for channel in ("market", "kiosk"):
        box = browser.find(f"input[name='channels'][value='{channel}']")
        browser.driver.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", box)
        box.click()
    rig.tall(lambda: browser.click_and_wait("#editor-form button[value='publish']"))
    check("Version 2 publiée" in browser.text(), f"editor: version 2 published ({browser.text()[:300]!r})")
    check(browser.find("input[name='channels'][value='kiosk']").is_selected() and
          not browser.find("input[name='channels'][value='web']").is_selected() and
          browser.find("input[name='neighbourhoods'][value='gare']").is_selected(),
          "editor: the published boxes ticked again")
    page("editor-published-channels", "/office/editor")
    viewport("editor-published-1280x800", "main")

    browser.get(base + "/c/place-jean-jaures")
    check("ne se fait pas en ligne" in browser.text() and not browser.find_all("form[action='/c/place-jean-jaures/repondre']"),
          "public page: no web form for a consultation not offered on the web")
    page("public-not-online", "/c/place-jean-jaures")
    browser.get(base + "/c/place-jean-jaures?lang=ar")
    check("لا تُجرى هذه الاستشارة عبر الإنترنت" in browser.text(), "public page: the same sentence in Arabic")
    page("public-not-online-ar", "/c/place-jean-jaures", lang="ar")


if __name__ == "__main__":
    main()
