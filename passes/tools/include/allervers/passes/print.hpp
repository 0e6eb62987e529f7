#pragma once
// Printing passes: A4 sheets of cards, each with the QR code, the fallback code a person can
// type, and one French line, for invitation letters. Used by `allervers-passes print` and,
// later, by `allervers-server passes --count N --out FILE.pdf`.
#include <filesystem>
#include <string>
#include <vector>

#include "allervers/passes/pass.hpp"

namespace allervers::passes {

struct PrintedPass {
  std::string code;      // the QR payload ("AV1-...")
  std::string fallback;  // "ABCD-EFGH-JKC"
};

struct PrintLayout {
  std::string heading = "Votre pass pour les assemblées de quartier";
  std::string town;  // printed small under the heading when set ("Ville de Montreuil")
  std::string help = "Montrez ce code à l'accueil. S'il ne passe pas, donnez le code de secours :";
  std::string note = "Ce pass ne contient aucune donnée personnelle : seulement un numéro au hasard et la signature de la ville.";
};

// `count` new town passes with random ids, signed by the town key.
std::vector<PrintedPass> make_town_passes(const TownKey& town, int count);

// Eight cards a page (2 x 4, 105 x 74 mm each, cut marks between them). Throws
// std::runtime_error naming the file when it cannot be written.
void print_passes_pdf(const std::vector<PrintedPass>& passes, const std::filesystem::path& pdf,
                      const PrintLayout& layout = {});

inline constexpr int passes_per_page = 8;

}  // namespace allervers::passes
