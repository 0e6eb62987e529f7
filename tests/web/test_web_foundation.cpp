// The web foundation's parts, each alone: forms within bounds, cookies, security headers,
// the request's origin, static files (no path leaves their folders), login delays.
#include <catch2/catch.hpp>

#include <cctype>

#include <fstream>

#include "allervers/core/translations.hpp"
#include "allervers/web/forms.hpp"
#include "allervers/web/http_basics.hpp"
#include "allervers/web/sessions.hpp"
#include "allervers/web/static_files.hpp"
#include "test_support.hpp"

using namespace allervers;
using namespace allervers::web;

namespace {

server::HttpRequest get(const std::string& path) {
  server::HttpRequest r;
  r.method = "GET";
  r.path = path;
  return r;
}

std::string multipart(const std::vector<std::string>& parts, const std::string& boundary = "XyZ") {
  std::string body;
  for (const auto& p : parts) body += "--" + boundary + "\r\n" + p + "\r\n";
  return body + "--" + boundary + "--\r\n";
}

}  // namespace

TEST_CASE("forms: urlencoded fields decoded, repeated, with CRLF made LF") {
  const auto f = parse_urlencoded("name=Marie+Dupont&role=admin&x=%C3%A9t%C3%A9&x=2&empty=&flag&note=a%0D%0Ab");
  CHECK(f.get("name") == "Marie Dupont");
  CHECK(f.get("x") == "été");
  CHECK(f.all("x") == std::vector<std::string>{"été", "2"});
  CHECK(f.has("empty"));
  CHECK(f.get("empty").empty());
  CHECK(f.has("flag"));
  CHECK(f.get("note") == "a\nb");
  CHECK(f.get("absent").empty());
}

TEST_CASE("forms: urlencoded refusals say what was wrong") {
  auto code_of = [](std::string_view body, const FormLimits& limits = {}) {
    try {
      parse_urlencoded(body, limits);
    } catch (const FormError& e) {
      return e.code();
    }
    return std::string("accepted");
  };
  CHECK(code_of("a=%zz") == "malformed");
  CHECK(code_of("a=%4") == "malformed");
  CHECK(code_of("a=%") == "malformed");
  CHECK(code_of("a=%FF%FE") == "not_utf8");
  CHECK(code_of("a=%00") == "not_utf8");
  CHECK(code_of("a%0A=1") == "not_utf8");  // a field name on two lines
  FormLimits small;
  small.max_fields = 3;
  small.max_value_bytes = 5;
  CHECK(code_of("a=1&b=2&c=3", small) == "accepted");
  CHECK(code_of("a=1&b=2&c=3&d=4", small) == "too_many_fields");
  CHECK(code_of("a=123456", small) == "too_long");
  CHECK(code_of("a=" + std::string(100000, 'x'), small) == "too_long");
  CHECK(code_of(std::string(200, 'n') + "=1") == "too_long");
  CHECK_THROWS_WITH(parse_urlencoded("a=123456", small), Catch::Contains("\"a\" is longer than 5 bytes"));
}

TEST_CASE("forms: multipart fields and files, within bounds") {
  const std::string body = multipart({"Content-Disposition: form-data; name=\"title\"\r\n\r\nUn banc\r\nà l'ombre",
                                      "Content-Disposition: form-data; name=\"photo\"; filename=\"banc.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n"
                                      "\xFF\xD8\xFF\x01" "binary\r\n--notthe boundary",
                                      "Content-Disposition: form-data; name=\"csrf\"\r\n\r\ntok"});
  const auto f = parse_multipart(body, "XyZ");
  CHECK(f.get("title") == "Un banc\nà l'ombre");
  CHECK(f.get("csrf") == "tok");
  REQUIRE(f.files().size() == 1);
  CHECK(f.files()[0].field == "photo");
  CHECK(f.files()[0].filename == "banc.jpg");
  CHECK(f.files()[0].content_type == "image/jpeg");
  CHECK(f.files()[0].data == "\xFF\xD8\xFF\x01" "binary\r\n--notthe boundary");

  server::HttpRequest r;
  r.method = "POST";
  r.headers["content-type"] = "multipart/form-data; boundary=\"XyZ\"";
  r.body = body;
  CHECK(parse_form(r).get("csrf") == "tok");
  r.headers["content-type"] = "application/json";
  CHECK_THROWS_WITH(parse_form(r), Catch::Contains("application/x-www-form-urlencoded or multipart/form-data"));

  FormLimits limits;
  limits.max_files = 0;
  CHECK_THROWS_WITH(parse_multipart(body, "XyZ", limits), Catch::Contains("more than 0 files"));
  limits = {};
  limits.max_file_bytes = 4;
  CHECK_THROWS_WITH(parse_multipart(body, "XyZ", limits), Catch::Contains("larger than"));
  CHECK_THROWS_WITH(parse_multipart("--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nno end", "XyZ"),
                    Catch::Contains("does not end with the boundary"));
  CHECK_THROWS_WITH(parse_multipart("garbage", "XyZ"), Catch::Contains("does not start with its boundary"));
  CHECK_THROWS_WITH(parse_multipart(multipart({"Content-Disposition: form-data\r\n\r\nx"}), "XyZ"), Catch::Contains("no field name"));
  CHECK_THROWS_WITH(parse_multipart(multipart({"Content-Disposition: form-data; name=\"a\"\r\n\r\n\xC3"}), "XyZ"),
                    Catch::Contains("not valid UTF-8"));
  CHECK_THROWS_WITH(parse_multipart(body, ""), Catch::Contains("boundary is missing"));
  CHECK(content_type_parameter("multipart/form-data; charset=utf-8; boundary=\"a;b\"", "boundary") == "a;b");
}

TEST_CASE("cookies: read leniently, written HttpOnly and SameSite=Strict, Secure when told") {
  const auto c = parse_cookies("a=1; allervers_session=abc-_; junk; =x; q=\"quoted\"; a=2");
  CHECK(c.at("a") == "1");
  CHECK(c.at("allervers_session") == "abc-_");
  CHECK(c.at("q") == "quoted");
  CHECK(c.size() == 3);
  CHECK(set_cookie("s", "v", {}) == "s=v; Path=/; HttpOnly; SameSite=Strict");
  CHECK(set_cookie("s", "v", {"/office/", true, 60}) == "s=v; Path=/office/; HttpOnly; SameSite=Strict; Secure; Max-Age=60");
  CHECK(clear_cookie("s", {}) == "s=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
  CHECK_THROWS(set_cookie("s", "a;b", {}));
  CHECK_THROWS(set_cookie("s", "a b", {}));
  CHECK_THROWS(set_cookie("", "v", {}));
  CHECK(Sessions(true).session_cookie("id").find("; Secure") != std::string::npos);
  CHECK(Sessions(false).session_cookie("id").find("Secure") == std::string::npos);
}

TEST_CASE("headers: every HTML answer carries the CSP without unsafe-inline and the other guards") {
  const auto r = html_response(200, "<p>x</p>", Caching::no_store);
  const auto& csp = r.headers.at("Content-Security-Policy");
  CHECK(csp.find("unsafe-inline") == std::string::npos);
  CHECK(csp.find("unsafe-eval") == std::string::npos);
  CHECK(csp.find("default-src 'none'") != std::string::npos);
  CHECK(csp.find("frame-ancestors 'none'") != std::string::npos);
  CHECK(r.headers.at("X-Content-Type-Options") == "nosniff");
  CHECK(r.headers.at("X-Frame-Options") == "DENY");
  CHECK(r.headers.at("Referrer-Policy") == "same-origin");
  CHECK(r.headers.at("Cache-Control") == "no-store");
  CHECK(r.content_type == "text/html; charset=utf-8");
  CHECK(html_response(200, "", Caching::revalidate).headers.at("Cache-Control") == "no-cache");
  const auto to = redirect("/office/");
  CHECK(to.status == 303);
  CHECK(to.headers.at("Location") == "/office/");
  CHECK(to.headers.count("Content-Security-Policy"));
}

TEST_CASE("origin: requests from another site are told apart") {
  auto r = get("/office/users/add");
  r.headers["host"] = "mairie.example:8080";
  CHECK(same_origin(r));  // neither header: a command-line client
  r.headers["origin"] = "https://mairie.example:8080";
  CHECK(same_origin(r));
  r.headers["origin"] = "https://evil.example";
  CHECK_FALSE(same_origin(r));
  r.headers["origin"] = "null";
  CHECK_FALSE(same_origin(r));
  r.headers.erase("origin");
  r.headers["sec-fetch-site"] = "same-origin";
  CHECK(same_origin(r));
  r.headers["sec-fetch-site"] = "cross-site";
  CHECK_FALSE(same_origin(r));
  r.headers["sec-fetch-site"] = "same-site";
  CHECK_FALSE(same_origin(r));
}

TEST_CASE("static files: served with their type and ETag, no path leaves the folders") {
  test::TempDir dir;
  std::filesystem::create_directories(dir.path() / "web/static/img");
  std::filesystem::create_directories(dir.path() / "vendor/bootstrap5/css");
  std::ofstream(dir.path() / "web/static/console.css") << "body{}";
  std::ofstream(dir.path() / "web/static/img/logo.svg") << "<svg/>";
  std::ofstream(dir.path() / "web/static/.hidden") << "secret";
  std::ofstream(dir.path() / "vendor/bootstrap5/css/bootstrap.min.css") << ".b{}";
  std::ofstream(dir.path() / "secret.txt") << "secret";
  const StaticFiles files("/static/", console_static_roots(dir.path() / "web", dir.path() / "vendor"));

  auto r = files.handle(get("/static/app/console.css"));
  CHECK(r.status == 200);
  CHECK(r.body == "body{}");
  CHECK(r.content_type == "text/css; charset=utf-8");
  CHECK(r.headers.at("X-Content-Type-Options") == "nosniff");
  CHECK(r.headers.at("Cache-Control") == "no-cache");
  const std::string etag = r.headers.at("ETag");
  auto again = get("/static/app/console.css");
  again.headers["if-none-match"] = etag;
  r = files.handle(again);
  CHECK(r.status == 304);
  CHECK(r.body.empty());
  CHECK(files.handle(get("/static/app/img/logo.svg")).content_type == "image/svg+xml");
  CHECK(files.handle(get("/static/vendor/bootstrap5/css/bootstrap.min.css")).body == ".b{}");
  auto head = get("/static/app/console.css");
  head.method = "HEAD";
  CHECK(files.handle(head).body.empty());
  auto post = get("/static/app/console.css");
  post.method = "POST";
  CHECK(files.handle(post).status == 405);

  // The engine hands paths percent-decoded: "%2e%2e" arrives as "..".
  const std::vector<std::string> hostile_paths = {"/static/app/../../secret.txt", "/static/app/..", "/static/app/./console.css", "/static/app/.hidden",
                              "/static/app//console.css", "/static/app/img/", "/static/app/", "/static/app/..\\..\\secret.txt",
                              std::string("/static/app/console.css\0x", 25), "/static/vendor/bootstrap5/../../secret.txt", "/static/vendor/jquery/jquery.js",
                              "/static/app/%2e%2e/secret.txt", "/static/../secret.txt", "/static/app/img/../../../secret.txt",
                              "/static/app/console.css/", "/static/app/no-such-file.css"};
  for (const auto& hostile : hostile_paths) {
    INFO(hostile);
    CHECK_FALSE(files.handle(get(hostile)).body.find("secret") != std::string::npos);
    CHECK(files.handle(get(hostile)).status == 404);
  }
  CHECK_FALSE(files.resolve("/static/app/../secret.txt"));
  CHECK(files.resolve("/static/app/img/logo.svg") == dir.path() / "web/static/img/logo.svg");
}

TEST_CASE("static files: Debian's vendor packages are where the console looks for them") {
  const StaticFiles files("/static/", console_static_roots(test::assets_dir() / "web", "/usr/share/javascript"));
  const auto css = files.handle(get("/static/vendor/bootstrap5/css/bootstrap.min.css"));
  CHECK(css.status == 200);  // libjs-bootstrap5 (scripts/install-deps.sh)
  CHECK(css.content_type == "text/css; charset=utf-8");
  const auto chart = files.handle(get("/static/vendor/chart.js/chart.min.js"));
  CHECK(chart.status == 200);  // libjs-chart.js
  CHECK(chart.content_type == "text/javascript; charset=utf-8");
  CHECK(files.handle(get("/static/app/console.css")).status == 200);
}

TEST_CASE("logins: free failures, then a delay that doubles, up to a ceiling") {
  CHECK(login_delay_ms(0) == 0);
  CHECK(login_delay_ms(kFreeLoginFailures) == 0);
  CHECK(login_delay_ms(kFreeLoginFailures + 1) == kFirstLoginDelayMs);
  CHECK(login_delay_ms(kFreeLoginFailures + 2) == 2 * kFirstLoginDelayMs);
  CHECK(login_delay_ms(kFreeLoginFailures + 4) == 8 * kFirstLoginDelayMs);
  CHECK(login_delay_ms(1000) == kMaxLoginDelayMs);
}

TEST_CASE("translations: the console's languages have the same keys, French first") {
  auto load = [](const char* lang) {
    std::ifstream in(test::assets_dir() / "web/i18n" / (std::string(lang) + ".json"));
    const std::string text(std::istreambuf_iterator<char>(in), {});
    return core::parse_translations(text, lang);
  };
  const auto fr = load("fr"), en = load("en");
  CHECK(fr.size() > 50);
  for (const auto& [key, text] : fr) {
    INFO(key << ": " << text);
    CHECK(en.count(key) == 1);
    CHECK_FALSE(text.empty());
    // French typography: the apostrophe is ’ (l’idée), never the typewriter's ' between letters.
    for (std::size_t at = text.find('\''); at != std::string::npos; at = text.find('\'', at + 1))
      CHECK_FALSE((at > 0 && std::isalpha(static_cast<unsigned char>(text[at - 1])) && at + 1 < text.size() &&
                   std::isalpha(static_cast<unsigned char>(text[at + 1]))));
    // … and a no-break space before : ; ? ! and inside « », so that none starts a line alone.
    for (const char* loose : {" :", " ;", " ?", " !", "« ", " »"}) CHECK(text.find(loose) == std::string::npos);
  }
  CHECK(en.size() == fr.size());
}
