#pragma once
// The letter per quartier (issue 12, « Telling residents »): a printable A4 PDF saying, for one
// quartier, what became of the residents' ideas — each idea's state, the town's public answer,
// its estimated cost, its milestones — for letterboxes, the town magazine and the website.
// Made from the console (/office/letters) and by `allervers-server idea-letter`, with the same
// function and the same texts (assets/web/i18n, "letter.*" and "public.state*").
//
// What it holds is what the public pages show (web/public_ideas.cpp): ideas past « reçue »
// and not « non recevable », not merged (the kept idea says how many residents proposed it);
// the ideas still « reçue » or « non recevable » are only counted, never named. Nothing
// internal (notes, assignee) and nothing personal.
//
// Layout: an idea is a block measured before it is drawn; a block that does not fit in what is
// left of the page starts the next page, so no idea is cut in two (one taller than a whole page
// — dozens of milestones — is the only exception: it starts a page and runs on). Every page says
// « Page n sur N ». Text is set in DejaVu Sans through cairo, which embeds the font's subset:
// accents, « », œ and the no-break spaces of French typography print as written.
#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>

#include "allervers/core/consultation.hpp"
#include "allervers/core/time.hpp"
#include "allervers/core/translations.hpp"
#include "allervers/server/store.hpp"

namespace allervers::server {

struct LetterRequest {
  std::string quartier;      // the town's quartier id (catalog town.neighbourhoods)
  std::string consultation;  // "" : the ideas of every consultation
};

// An unknown quartier or consultation: `field` is "quartier" or "consultation", the message a
// French sentence naming it and what exists.
class LetterError : public std::invalid_argument {
 public:
  LetterError(std::string field, const std::string& message) : std::invalid_argument(message), field_(std::move(field)) {}
  const std::string& field() const { return field_; }

 private:
  std::string field_;
};

struct Letter {
  std::string pdf;            // the document's bytes
  std::int64_t ideas = 0;     // ideas described in it
  std::int64_t pages = 0;
  std::string file_name;      // "lettre-idees-gare.pdf"
};

// The letter for `request`, in `tr`'s language (French: fr.json). Throws LetterError.
Letter quartier_letter(ServerStore& store, const core::Catalog& catalog, const core::Translations& tr, const LetterRequest& request,
                       const core::Instant& now);

// "150000" → "150 000 €": a narrow no-break space between thousands, a no-break space before
// the euro sign, as French writes amounts (the console's pages and the letter).
std::string french_euros(std::int64_t amount);

}  // namespace allervers::server
