// An idea for the participatory budget, with an optional contact sealed for the office.
#include <cctype>

#include "allervers/core/limits.hpp"
#include "kinds.hpp"

namespace allervers::core::kinds {

namespace {

// What is wrong with a "sealed" contact's shape, or nullptr. A sealed box (libsodium
// crypto_box_seal) is a 32-byte ephemeral X25519 key, a 16-byte tag and at least one byte of
// message, in padded base64. core holds no key, so it judges the shape only: strict base64,
// long enough, and not text — the first 32 bytes of a real box are random, and 32 random
// bytes are all printable ASCII once in ~6e13; base64 of an address in clear always is.
const char* sealed_box_problem(std::string_view text) {
  constexpr std::size_t min_bytes = 32 + 16 + 1;
  if (text.size() % 4 != 0) return "must be base64 (its length is not a multiple of 4)";
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  std::string bytes;
  bytes.reserve(text.size() / 4 * 3);
  for (std::size_t i = 0; i < text.size(); i += 4) {
    int v[4];
    int pad = 0;
    for (int k = 0; k < 4; ++k) {
      const char c = text[i + static_cast<std::size_t>(k)];
      if (c == '=' && i + 4 == text.size() && k >= 2) {
        v[k] = 0;
        ++pad;
        continue;
      }
      if (pad > 0 || (v[k] = value(c)) < 0) return "must be base64";
    }
    const std::uint32_t n = (static_cast<std::uint32_t>(v[0]) << 18) | (static_cast<std::uint32_t>(v[1]) << 12) |
                            (static_cast<std::uint32_t>(v[2]) << 6) | static_cast<std::uint32_t>(v[3]);
    bytes.push_back(static_cast<char>(n >> 16));
    if (pad < 2) bytes.push_back(static_cast<char>((n >> 8) & 0xff));
    if (pad < 1) bytes.push_back(static_cast<char>(n & 0xff));
  }
  if (bytes.size() < min_bytes) return "is too short to be sealed (a sealed box holds at least 49 bytes): it looks like text in clear";
  bool text_like = true;
  for (std::size_t i = 0; i < 32 && text_like; ++i) {
    const auto b = static_cast<unsigned char>(bytes[i]);
    text_like = (b >= 0x20 && b < 0x7f) || b == '\n' || b == '\r' || b == '\t';
  }
  if (text_like) return "is base64 of text in clear, not a sealed box: contacts must be sealed for the office key";
  return nullptr;
}

}  // namespace

using nlohmann::json;

Idea read(std::type_identity<Idea>, const json* j, RecordReader& r) {
  Idea idea;
  if (!j || !j->is_object()) {
    r.error("idea", j ? "wrong_type" : "required", "an idea needs an \"idea\" object (title, description, theme, neighbourhood)");
    return idea;
  }
  r.reject_unknown_keys(*j, {"title", "description", "theme", "neighbourhood", "place", "estimated_cost_eur", "contact"},
                        "idea.");
  idea.title = r.string(*j, "title", "idea.title").value_or("");
  idea.description = r.string(*j, "description", "idea.description").value_or("");
  idea.theme = r.string(*j, "theme", "idea.theme").value_or("");
  idea.neighbourhood = r.string(*j, "neighbourhood", "idea.neighbourhood").value_or("");
  idea.place = r.string(*j, "place", "idea.place").value_or("");
  if (const json* cost = r.get(*j, "estimated_cost_eur")) {
    if (cost->is_number_integer()) idea.estimated_cost_eur = cost->get<std::int64_t>();
    else r.error("idea.estimated_cost_eur", "wrong_type", "expected a whole number of euros");
  }
  if (const json* contact = r.get(*j, "contact")) {
    if (!contact->is_object()) {
      r.error("idea.contact", "wrong_type", "expected an object {consent, sealed}");
    } else {
      r.reject_unknown_keys(*contact, {"consent", "sealed"}, "idea.contact.");
      SealedContact sc;
      const json* consent = r.get(*contact, "consent");
      if (consent && !consent->is_boolean()) r.error("idea.contact.consent", "wrong_type", "expected true or false");
      sc.consent = consent && consent->is_boolean() && consent->get<bool>();
      sc.sealed = r.string(*contact, "sealed", "idea.contact.sealed").value_or("");
      idea.contact = std::move(sc);
    }
  }
  return idea;
}

void write(const Idea& body, Fields& out) {
  out.text("title", body.title);
  out.text("description", body.description);
  out.text("theme", body.theme);
  out.text("neighbourhood", body.neighbourhood);
  if (!body.place.empty()) out.text("place", body.place);
  if (body.estimated_cost_eur) out.number("estimated_cost_eur", *body.estimated_cost_eur);
  if (body.contact)
    out.object("contact", [&](Fields& contact) {
      contact.boolean("consent", body.contact->consent);
      contact.text("sealed", body.contact->sealed);
    });
}

void check(const Idea& body, const Consultation* consultation, Checker& check) {
  const Consultation& c = *consultation;  // consultation_required
  if (!c.ideas.enabled) {
    check.error("consultation", "no_ideas", "consultation \"" + c.id + "\" does not collect ideas");
    return;
  }
  check.text("idea.title", body.title, Lines::single, limits::idea_title_min, limits::idea_title);
  check.text("idea.description", body.description, Lines::multi, limits::idea_description_min, limits::idea_description);
  if (body.theme.empty()) check.error("idea.theme", "required", "choose a theme");
  else check.option("idea.theme", body.theme, c.ideas.themes, "one of this consultation's themes");
  if (body.neighbourhood.empty()) check.error("idea.neighbourhood", "required", "choose a neighbourhood");
  else if (const auto* n = check.catalog().town.find_neighbourhood(body.neighbourhood); n && n->outside)
    check.error("idea.neighbourhood", "outside_town", "an idea goes in one of the town's neighbourhoods, not \"" + n->id + "\"");
  else if (c.neighbourhoods.empty())
    check.option("idea.neighbourhood", body.neighbourhood, check.catalog().town.neighbourhoods,
                 "one of the town's neighbourhoods");
  else  // a consultation that runs in some neighbourhoods takes ideas for those only
    check.option("idea.neighbourhood", body.neighbourhood, c.quartiers(check.catalog().town),
                 "one of the neighbourhoods this consultation runs in");
  check.text("idea.place", body.place, Lines::single, 0, limits::idea_place);
  if (body.estimated_cost_eur) {
    const std::int64_t max = c.ideas.max_cost_eur ? c.ideas.max_cost_eur : limits::idea_cost_eur;
    if (*body.estimated_cost_eur < 0 || *body.estimated_cost_eur > max)
      check.error("idea.estimated_cost_eur", "out_of_range",
                  std::to_string(*body.estimated_cost_eur) + " € is out of range: expected 0 to " + std::to_string(max) + " €");
  }
  if (body.contact) {
    if (!body.contact->consent)
      check.error("idea.contact.consent", "consent_required",
                  "contact details are kept only with the resident's explicit consent");
    if (body.contact->sealed.empty() || body.contact->sealed.size() > limits::sealed_contact_bytes)
      check.error("idea.contact.sealed", "invalid_sealed_contact",
                  "the sealed contact must hold 1 to " + std::to_string(limits::sealed_contact_bytes) + " bytes");
    else if (const char* problem = sealed_box_problem(body.contact->sealed))
      check.error("idea.contact.sealed", "invalid_sealed_contact", std::string("the sealed contact ") + problem);
  }
}

}  // namespace allervers::core::kinds
