"""What the browser tests share: the real server process over a fresh database, its commands,
a device that captures and syncs, one headless Chromium per test file, axe-core on a page,
screenshots. The console tests use it; the residents' public pages (issue 13) will too.

Nothing is downloaded while tests run: Chromium and its driver are Debian packages, axe-core is
installed by scripts/install-deps.sh into /opt/allervers-test-tools (ALLERVERS_TEST_TOOLS)."""

import argparse
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse

SKIP = 77  # CTest's SKIP_RETURN_CODE: a tool is missing on this machine

TOOLS = pathlib.Path(os.environ.get("ALLERVERS_TEST_TOOLS", "/opt/allervers-test-tools"))
AXE = TOOLS / "node_modules/axe-core/axe.min.js"

# Hostile text for every free-text field: inert means no dialog, no element made, text shown.
SCRIPT_PAYLOAD = "<script>window.__xss = 1; alert('xss-script')</script>"
IMG_PAYLOAD = "<img src=x onerror=\"window.__xss = 2; alert('xss-img')\">"

PASSWORD = "une phrase assez longue"  # every test account's password


def skip_unless_tools():
    missing = [p for p in ("/usr/bin/chromium", "/usr/bin/chromedriver") if not os.path.exists(p)]
    if not AXE.exists():
        missing.append(str(AXE) + " (scripts/install-deps.sh)")
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("python3-selenium")
    if missing:
        print("SKIPPED: missing " + ", ".join(missing))
        sys.exit(SKIP)


class Server:
    """allervers-server over a fresh SQLite database (or the PostgreSQL URL given)."""

    def __init__(self, binary, assets, workdir, database=None):
        self.binary = str(binary)
        self.assets = str(assets)
        self.workdir = pathlib.Path(workdir)
        self.database = database or "sqlite:" + str(self.workdir / "server.db")
        self.process = None
        self.url = None

    def cli(self, *args, check=True):
        r = subprocess.run([self.binary, "--database", self.database, *args], capture_output=True, text=True, timeout=120)
        if check and r.returncode != 0:
            raise RuntimeError(f"allervers-server {' '.join(args)} failed ({r.returncode}): {r.stderr}")
        return r

    def add_user(self, name, role):
        """The one-time link add-user prints."""
        out = self.cli("add-user", "--name", name, "--role", role, "--base-url", self.url or "http://unused").stdout
        return out.strip().splitlines()[-1]

    def start(self, extra_args=()):
        port_file = self.workdir / "port"
        self.log = open(self.workdir / "server.log", "w")
        self.process = subprocess.Popen(
            [self.binary, "--database", self.database, "serve", "--listen", "127.0.0.1:0", "--port-file", str(port_file),
             "--quiet", "--web-assets", self.assets + "/web", *extra_args],
            stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        while not port_file.exists():
            if self.process.poll() is not None or time.time() > deadline:
                raise RuntimeError("the server did not start: " + (self.workdir / "server.log").read_text())
            time.sleep(0.05)
        self.url = f"http://127.0.0.1:{port_file.read_text().strip()}"

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
        code = self.process.returncode if self.process else 0
        if code != 0:
            print("server log:\n" + (self.workdir / "server.log").read_text(errors="replace")[-4000:], file=sys.stderr)
        return code


class Device:
    """allervers-device with its own data folder: init, enrol, capture --file, sync."""

    def __init__(self, binary, workdir):
        self.binary = str(binary)
        self.data = str(pathlib.Path(workdir) / "device")

    def run(self, *args):
        r = subprocess.run([self.binary, "--data", self.data, *args], capture_output=True, text=True, timeout=120)
        if r.returncode != 0:
            raise RuntimeError(f"allervers-device {' '.join(args)} failed ({r.returncode}): {r.stdout}{r.stderr}")
        return r.stdout

    def enrol(self, server, name):
        self.run("init", "--name", name)
        out = server.cli("enrol-code", "--name", name, "--no-qr").stdout
        code = out[out.index('": ') + 3:][:19]
        self.run("enrol", server.url, code)

    def capture(self, lines, workdir):
        path = pathlib.Path(workdir) / "captures.jsonl"
        path.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8")
        return self.run("capture", "--file", str(path))


class Browser:
    """One headless Chromium for a whole test file (starting one per check would cost minutes)."""

    def __init__(self, screenshots):
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        self.profile = tempfile.mkdtemp(prefix="allervers-chromium-")
        options = webdriver.ChromeOptions()
        options.binary_location = "/usr/bin/chromium"
        for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                     "--window-size=1366,768", "--lang=fr-FR", f"--user-data-dir={self.profile}"):
            options.add_argument(flag)
        options.add_experimental_option("prefs", {"intl.accept_languages": "fr-FR,fr"})
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        self.driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        self.driver.set_page_load_timeout(60)
        self.screenshots = pathlib.Path(screenshots)
        self.screenshots.mkdir(parents=True, exist_ok=True)
        self.axe_source = AXE.read_text()

    def quit(self):
        self.driver.quit()
        shutil.rmtree(self.profile, ignore_errors=True)

    def get(self, url):
        self.driver.get(url)

    def find(self, css):
        from selenium.webdriver.common.by import By
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def find_all(self, css):
        from selenium.webdriver.common.by import By
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def click_and_wait(self, css):
        """Clicks what submits a form or follows a link, and waits for the next page."""
        from selenium.common.exceptions import WebDriverException
        from selenium.webdriver.support.ui import WebDriverWait
        old = self.find("html")
        target = self.find(css)
        # In view, centred, without a smooth scroll still running under the click.
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", target)
        target.click()

        def old_page_gone(_):
            try:
                old.is_enabled()
                return False
            except WebDriverException:  # stale (Chromium also says "does not belong to the document")
                return True
        WebDriverWait(self.driver, 30).until(old_page_gone)
        WebDriverWait(self.driver, 30).until(lambda d: d.execute_script("return document.readyState") == "complete")

    def fill(self, values, submit="button[type=submit]", form="main form"):
        for name, value in values.items():
            field = self.find(f"{form} [name='{name}']")
            if field.tag_name == "select":
                from selenium.webdriver.support.ui import Select
                Select(field).select_by_value(value)
            else:
                field.clear()
                field.send_keys(value)
        self.click_and_wait(f"{form} {submit}")

    def text(self):
        return self.find("body").text

    def path(self):
        return urllib.parse.urlparse(self.driver.current_url).path

    def no_alert(self):
        """True when no dialog is open (an XSS payload that ran would have opened one)."""
        from selenium.common.exceptions import NoAlertPresentException
        try:
            alert = self.driver.switch_to.alert
            text = alert.text
            alert.dismiss()
            print("DIALOG OPENED:", text, file=sys.stderr)
            return False
        except NoAlertPresentException:
            return True

    def screenshot(self, name, width=1366, height=768):
        """The whole page at `width` (1366×768, the office PC, unless told: a tablet)."""
        self.driver.set_window_size(width, height)
        full = self.driver.execute_script("return document.documentElement.scrollHeight")
        self.driver.set_window_size(width, max(height, min(full + 120, 4000)))
        self.driver.save_screenshot(str(self.screenshots / f"{name}.png"))
        self.driver.set_window_size(1366, 768)

    def axe(self):
        """The serious and critical axe-core violations of the current page."""
        self.driver.execute_script(self.axe_source)
        result = self.driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "axe.run(document, {resultTypes: ['violations']}).then(r => done(JSON.stringify(r.violations)))"
            ".catch(e => done(JSON.stringify([{impact: 'critical', id: 'axe-error', help: String(e), nodes: []}])));")
        return [v for v in json.loads(result) if v.get("impact") in ("serious", "critical")]

    def console_errors(self):
        """CSP refusals and script errors the page logged."""
        return [e["message"] for e in self.driver.get_log("browser") if e["level"] == "SEVERE"]


class Checks:
    """Collects failures instead of stopping at the first: one run shows everything wrong."""

    def __init__(self):
        self.failures = []
        self.count = 0

    def check(self, condition, what):
        self.count += 1
        if not condition:
            self.failures.append(what)
            print("FAILED:", what, file=sys.stderr)
        return condition

    def finish(self):
        print(f"{self.count - len(self.failures)} of {self.count} checks passed")
        sys.exit(1 if self.failures else 0)


class Postgres:
    """A throw-away PostgreSQL (as testkit's PgInstance: initdb in a temp folder, fsync off, run
    as the postgres user when the tests run as root)."""

    def __init__(self, workdir):
        import glob
        import pwd
        import socket
        bins = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        if not bins:
            print("SKIPPED: PostgreSQL server binaries not found (scripts/install-deps.sh)")
            sys.exit(SKIP)
        self.bin = pathlib.Path(bins[-1]).parent
        self.dir = pathlib.Path(tempfile.mkdtemp(prefix="allervers-pg-", dir=workdir))
        self.data = self.dir / "data"
        self.root = os.geteuid() == 0
        if self.root:
            pg = pwd.getpwnam("postgres")
            os.chmod(self.dir, 0o711)
            os.chown(self.dir, pg.pw_uid, pg.pw_gid)
            os.chmod(workdir, 0o711)
        self._run(self.bin / "initdb", "-D", self.data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        settings = (f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.dir} "
                    "-c fsync=off -c synchronous_commit=off -c full_page_writes=off")
        self._run(self.bin / "pg_ctl", "-D", self.data, "-l", self.dir / "log", "-o", settings, "-w", "-t", "60", "start")
        self.started = True

    def _run(self, *argv):
        argv = [str(a) for a in argv]
        if self.root:
            argv = ["/usr/sbin/runuser", "-u", "postgres", "--"] + argv
        r = subprocess.run(argv, capture_output=True, text=True, timeout=120)
        if r.returncode != 0:
            raise RuntimeError(f"{' '.join(argv)} failed: {r.stdout}{r.stderr}")
        return r

    def create_database(self, name):
        self._run(self.bin / "createdb", "-h", "127.0.0.1", "-p", self.port, "-U", "postgres", name)
        return f"postgresql://postgres@127.0.0.1:{self.port}/{name}"

    def stop(self):
        if self.started:
            self._run(self.bin / "pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop")
            self.started = False


class Rig:
    """One browser test file's rig: its arguments, the tools checked, a fresh server started (over
    SQLite, or the PostgreSQL `database` names), one Chromium, the checks, and what every console
    test does with them (log in, check and photograph a page, download with the browser's
    session). `run` builds it, hands it to the test's body, and always stops the server and the
    browser; the process exits with the checks' verdict."""

    def __init__(self, args, tmp, checks):
        self.args, self.tmp, self.checks, self.check = args, tmp, checks, checks.check
        self.server = None
        self.browser = None
        self.cleanups = []  # run after the server stopped (a mail relay…)

    @staticmethod
    def run(prefix, body, device=True, postgres=False, serve_args=None):
        """`serve_args(rig)`, when given, says what more `serve` is started with (its SMTP relay…)."""
        parser = argparse.ArgumentParser()
        for name in ("--server", "--assets", "--screenshots") + (("--device",) if device else ()):
            parser.add_argument(name, required=True)
        args = parser.parse_args()
        skip_unless_tools()
        checks = Checks()
        with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
            pg = Postgres(tmp) if postgres else None
            rig = Rig(args, tmp, checks)
            try:
                rig.server = Server(args.server, args.assets, tmp, pg.create_database("console") if pg else None)
                rig.server.start(serve_args(rig) if serve_args else ())
                rig.browser = Browser(args.screenshots)
                body(rig)
            finally:
                if rig.browser:
                    rig.browser.quit()
                if rig.server and rig.server.process:
                    checks.check(rig.server.stop() == 0, "the server stops cleanly on SIGTERM")
                if pg:
                    pg.stop()
                for stop in rig.cleanups:
                    stop()
        checks.finish()

    @property
    def base(self):
        return self.server.url

    def device(self, name, folder=None):
        """An enrolled device program with its own data folder (the rig's folder unless told)."""
        device = Device(self.args.device, folder or self.tmp)
        device.enrol(self.server, name)
        return device

    def set_password(self, link, password=PASSWORD):
        self.browser.get(link)
        self.browser.fill({"password": password, "confirm": password})

    def login(self, name, password=PASSWORD):
        self.browser.get(self.base + "/office/login")
        self.browser.fill({"name": name, "password": password})

    def logout(self):
        self.browser.click_and_wait("form[action='/office/logout'] button")

    def page(self, name, expect_path=None, lang=None):
        """Checks the page now shown — no dialog, where it should be, no CSP refusal, axe-core
        without serious or critical violation — and takes its screenshot."""
        browser, check = self.browser, self.check
        check(browser.no_alert(), f"{name}: no dialog opened")
        if expect_path:
            check(browser.path() == expect_path, f"{name}: at {expect_path} (at {browser.path()})")
        if lang:
            check(browser.find("html").get_attribute("lang") == lang, f"{name}: <html lang={lang}>")
        csp = [m for m in browser.console_errors() if "Content Security Policy" in m or "Refused" in m]
        check(not csp, f"{name}: no Content-Security-Policy refusal ({csp})")
        violations = browser.axe()
        check(not violations, f"{name}: axe-core finds no serious or critical violation "
              f"({[(v['id'], v['impact'], v['help'], [n.get('target') for n in v.get('nodes', [])][:5]) for v in violations]})")
        browser.screenshot(name)

    def tall(self, action):
        """`action` run with the whole page in view (no smooth scroll under a click on a long form)."""
        self.browser.driver.set_window_size(1366, 6000)
        self.browser.driver.execute_script("document.documentElement.style.scrollBehavior = 'auto'")
        try:
            return action()
        finally:
            self.browser.driver.set_window_size(1366, 768)

    def download(self, path, method="GET"):
        """`path` fetched with the browser's session: (status, headers, body bytes)."""
        import urllib.error
        import urllib.request
        cookie = "; ".join(f"{c['name']}={c['value']}" for c in self.browser.driver.get_cookies())
        request = urllib.request.Request(self.base + path, headers={"Cookie": cookie}, method=method)
        try:
            with urllib.request.urlopen(request, timeout=60) as r:
                return r.status, r.headers, r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.headers, e.read()


class SmtpSink:
    """A real local SMTP relay (tests/web/tools/smtp_sink.py, Debian's python3-aiosmtpd): each message
    it accepted is a .eml file in `folder`; a recipient starting with "refuse" gets a 550."""

    def __init__(self, folder):
        import socket
        try:
            import aiosmtpd  # noqa: F401
        except ImportError:
            print("SKIPPED: missing python3-aiosmtpd")
            sys.exit(SKIP)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.folder = pathlib.Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        script = pathlib.Path(__file__).resolve().parent.parent / "tools" / "smtp_sink.py"
        self.process = subprocess.Popen([sys.executable, str(script), str(self.port), str(self.folder)],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        if self.process.stdout.readline().strip() != "ready":
            raise RuntimeError("the SMTP sink did not start")

    def messages(self):
        return [p.read_text(errors="replace") for p in sorted(self.folder.glob("*.eml"))]

    def wait_for(self, count, seconds=30):
        deadline = time.time() + seconds
        while time.time() < deadline and len(self.messages()) < count:
            time.sleep(0.2)
        return self.messages()

    def stop(self):
        if self.process.poll() is None:
            self.process.stdin.close()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
