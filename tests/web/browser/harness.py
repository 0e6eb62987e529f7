"""What the browser tests share: the real server process over a fresh database, its commands,
a device that captures and syncs, one headless Chromium per test file, axe-core on a page,
screenshots. The console tests use it; the residents' public pages (issue 13) will too.

Nothing is downloaded while tests run: Chromium and its driver are Debian packages, axe-core is
installed by scripts/install-deps.sh into /opt/allervers-test-tools (ALLERVERS_TEST_TOOLS)."""

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

    def start(self):
        port_file = self.workdir / "port"
        self.log = open(self.workdir / "server.log", "w")
        self.process = subprocess.Popen(
            [self.binary, "--database", self.database, "serve", "--listen", "127.0.0.1:0", "--port-file", str(port_file),
             "--quiet", "--web-assets", self.assets + "/web"],
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
        self.find(css).click()

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
