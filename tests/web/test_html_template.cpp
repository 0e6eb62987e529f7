// Templates escape by construction: what a resident typed comes out inert wherever the
// template puts it, and templates that could let it out unescaped are refused when loaded.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "allervers/web/html_template.hpp"
#include "test_support.hpp"

using allervers::web::escape_html;
using allervers::web::is_safe_url;
using allervers::web::RenderError;
using allervers::web::TemplateError;
using allervers::web::Templates;
using nlohmann::json;

namespace {

std::string render(const std::string& source, const json& values) {
  return Templates::parse({{"page", source}}).render("page", values);
}

std::string refusal(const std::string& source) {
  try {
    Templates::parse({{"page", source}});
  } catch (const TemplateError& e) {
    return e.what();
  }
  return "(accepted)";
}

const std::string kHostile[] = {
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "\"><script>alert(1)</script>",
    "' onmouseover='alert(1)",
    "</textarea><svg onload=alert(1)>",
    "&lt;script&gt;",
};

}  // namespace

TEST_CASE("Values are escaped in text and in quoted attribute values") {
  for (const auto& hostile : kHostile) {
    const std::string out = render("<p title=\"{{v}}\" data-x='{{v}}'>{{v}}</p><textarea>{{v}}</textarea>", {{"v", hostile}});
    CHECK(out.find("<script") == std::string::npos);
    CHECK(out.find("<img") == std::string::npos);
    CHECK(out.find("<svg") == std::string::npos);
    CHECK(out.find("\"><") == std::string::npos);
    CHECK(out.find("' on") == std::string::npos);
  }
  CHECK(render("{{v}}", {{"v", "a & b < c > d \" e ' f"}}) == "a &amp; b &lt; c &gt; d &quot; e &#39; f");
  CHECK(render("{{v}}", {{"v", "Réaménagement « du square » — 12 €"}}) == "Réaménagement « du square » — 12 €");
}

TEST_CASE("Invalid UTF-8 and control characters never reach the page") {
  CHECK(escape_html(std::string("a\xff" "b")) == "a\xEF\xBF\xBD" "b");
  CHECK(escape_html(std::string("a\0b", 3)) == "ab");
  CHECK(escape_html("\xC3") == "\xEF\xBF\xBD");
  CHECK(escape_html("l1\r\nl2\tx") == "l1\n\nl2\tx");
}

TEST_CASE("A value opening a URL attribute cannot carry a script address") {
  const std::string page = "<a href=\"{{u}}\">x</a>";
  CHECK(render(page, {{"u", "javascript:alert(1)"}}) == "<a href=\"#\">x</a>");
  CHECK(render(page, {{"u", " JaVaScRiPt:alert(1)"}}) == "<a href=\"#\">x</a>");
  CHECK(render(page, {{"u", "java\tscript:alert(1)"}}) == "<a href=\"#\">x</a>");
  CHECK(render(page, {{"u", "data:text/html,<script>"}}) == "<a href=\"#\">x</a>");
  CHECK(render(page, {{"u", "//evil.example/"}}) == "<a href=\"#\">x</a>");
  CHECK(render(page, {{"u", "/office/ideas?q=a&b"}}) == "<a href=\"/office/ideas?q=a&amp;b\">x</a>");
  CHECK(render(page, {{"u", "https://ville.example/x"}}) == "<a href=\"https://ville.example/x\">x</a>");
  CHECK(render(page, {{"u", "mailto:a@b.fr"}}) == "<a href=\"mailto:a@b.fr\">x</a>");
  // After a fixed prefix the scheme is the template's: the value is only escaped.
  CHECK(render("<a href=\"/ideas/{{id}}\">x</a>", {{"id", "javascript:x\""}}) == "<a href=\"/ideas/javascript:x&quot;\">x</a>");
  CHECK(is_safe_url(""));
  CHECK(is_safe_url("#top"));
  CHECK_FALSE(is_safe_url("vbscript:x"));
}

TEST_CASE("Templates that could output a value unescaped are refused with file, line and column") {
  CHECK(refusal("{{{v}}}").find("page.html:1:1: {{{") != std::string::npos);
  CHECK(refusal("{{&v}}").find("unescaped") != std::string::npos);
  CHECK(refusal("<p\n class={{v}}>").find("page.html:2:8: a value may not stand in an unquoted attribute value") !=
        std::string::npos);
  CHECK(refusal("<p {{v}}>").find("attribute name") != std::string::npos);
  CHECK(refusal("<{{v}}>").find("tag name") != std::string::npos);
  CHECK(refusal("<a onclick=\"go({{v}})\">").find("event-handler") != std::string::npos);
  CHECK(refusal("<a OnMouseOver='{{v}}'>").find("event-handler") != std::string::npos);
  CHECK(refusal("<p style=\"color: {{v}}\">").find("style") != std::string::npos);
  CHECK(refusal("<!-- {{v}} -->").find("comment") != std::string::npos);
  CHECK(refusal("<script>var x = 1;</script>").find("inline script") != std::string::npos);
  CHECK(refusal("<style>p{}</style>").find("inline script or style") != std::string::npos);
  CHECK(refusal("<script>{{v}}</script>").find("<script>") != std::string::npos);
  CHECK(refusal("<p class=\"{{#a}}\">{{/a}}").find("must not leave a tag") != std::string::npos);
  CHECK(refusal("{{#a}}<p class=\"x{{/a}}\">").find("must not leave a tag") != std::string::npos);
  CHECK(refusal("{{#a}}x").find("never closed") != std::string::npos);
  CHECK(refusal("{{/a}}").find("closes no section") != std::string::npos);
  CHECK(refusal("{{#a}}{{/b}}").find("closes {{#a}}") != std::string::npos);
  CHECK(refusal("<p title=\"{{>x}}\">").find("partial") != std::string::npos);
  CHECK(refusal("<p title=\"x").find("ends inside an attribute value") != std::string::npos);
  CHECK(refusal("{{ v w }}").find("is not a name") != std::string::npos);
  CHECK(refusal("{{v").find("never closed") != std::string::npos);
  CHECK(refusal("\xff").find("not valid UTF-8") != std::string::npos);
}

TEST_CASE("Allowed markup: external scripts, comments, doctype, literal unquoted attributes") {
  const std::string page =
      "<!DOCTYPE html><html lang=\"{{lang}}\" dir=\"{{dir}}\"><!-- a comment with a < sign -->"
      "<script src=\"/static/app.js\" defer></script><input type=text value=\"{{v}}\">"
      "<p class=\"a {{#on}}on{{/on}}\">{{v}}</p></html>";
  const std::string out = render(page, {{"lang", "ar"}, {"dir", "rtl"}, {"v", "<b>"}, {"on", true}});
  CHECK(out ==
        "<!DOCTYPE html><html lang=\"ar\" dir=\"rtl\"><!-- a comment with a < sign -->"
        "<script src=\"/static/app.js\" defer></script><input type=text value=\"&lt;b&gt;\">"
        "<p class=\"a on\">&lt;b&gt;</p></html>");
}

TEST_CASE("Sections iterate lists, test truth, and look values up the stack") {
  const json v = {{"town", "Villeurbanne"},
                  {"ideas", json::array({{{"title", "Bancs"}, {"votes", 3}}, {{"title", "Arbres"}, {"votes", 0}}})},
                  {"empty", json::array()},
                  {"me", {{"name", "Inès"}}}};
  CHECK(render("{{#ideas}}[{{title}}:{{votes}}@{{town}}]{{/ideas}}", v) == "[Bancs:3@Villeurbanne][Arbres:0@Villeurbanne]");
  CHECK(render("{{#empty}}x{{/empty}}{{^empty}}none{{/empty}}", v) == "none");
  CHECK(render("{{#me}}{{name}}{{/me}} {{me.name}} {{missing.deep}}|", v) == "Inès Inès |");
  CHECK(render("{{#ideas}}{{#votes}}+{{/votes}}{{^votes}}0{{/votes}}{{/ideas}}", v) == "+0");
  CHECK(render("{{#tags}}<li>{{.}}</li>{{/tags}}", {{"tags", {"a<", "b"}}}) == "<li>a&lt;</li><li>b</li>");
  CHECK(render("{{n}} {{f}} {{b}} {{z}}", {{"n", 42}, {"f", 2.5}, {"b", true}, {"z", nullptr}}) == "42 2.5 true ");
  CHECK_THROWS_AS(render("{{me}}", v), RenderError);
}

TEST_CASE("Partials and translations") {
  const auto t = Templates::parse({{"layout", "<main>{{>body}}</main>"},
                                   {"body", "<h1>{{t:welcome.title}}</h1><p>{{t:survey.progress n=step total=count}}</p>"
                                            "<p title=\"{{t:missing.key}}\">{{t:hostile}}</p>"},
                                   {"loop", "{{>loop}}"}});
  const auto translate = [](std::string_view key) -> std::string {
    if (key == "welcome.title") return "Bienvenue";
    if (key == "survey.progress") return "Question {n} sur {total}";
    if (key == "hostile") return "<b>";
    return "";
  };
  CHECK(t.render("layout", {{"step", 2}, {"count", 9}}, translate) ==
        "<main><h1>Bienvenue</h1><p>Question 2 sur 9</p><p title=\"missing.key\">&lt;b&gt;</p></main>");
  CHECK_THROWS_WITH(t.render("loop", json::object()), Catch::Contains("more than 32 deep"));
  CHECK_THROWS_WITH(t.render("nope", json::object()), Catch::Contains("no template named"));
  CHECK(t.has("body"));
  CHECK_FALSE(t.has("nope"));
}

TEST_CASE("Templates load from a folder, sub-folders named by path") {
  const allervers::test::TempDir dir;
  std::filesystem::create_directories(dir.path() / "office");
  std::ofstream(dir.path() / "office" / "page.html") << "<p>{{v}}</p>";
  std::ofstream(dir.path() / "notes.txt") << "{{{ignored}}}";
  const auto t = Templates::load(dir.path());
  CHECK(t.render("office/page", {{"v", "x"}}) == "<p>x</p>");
  std::ofstream(dir.path() / "bad.html") << "<a onclick=\"{{v}}\">";
  CHECK_THROWS_WITH(Templates::load(dir.path()), Catch::Contains("bad.html:1:"));
  CHECK_THROWS_AS(Templates::load(dir.path() / "absent"), TemplateError);
}

TEST_CASE("templates: a section in text may span elements with attributes") {
  // The last attribute seen inside the section is not a reason to refuse it.
  CHECK(render("<form action=\"/a\"></form>{{#rows}}<table class=\"t\"><tr><td scope=\"row\">{{x}}</td></tr></table>{{/rows}}",
               {{"rows", {{{"x", "1"}}}}}) == "<form action=\"/a\"></form><table class=\"t\"><tr><td scope=\"row\">1</td></tr></table>");
  CHECK_THROWS_AS(Templates::parse({{"page", "<p title=\"{{#a}}x\">{{/a}}"}}), TemplateError);
}
