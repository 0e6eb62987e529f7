// Media files: checked, named, decoded (media.hpp).
#include "allervers/sync/media.hpp"

#include <fstream>
#include <memory>
#include <sstream>

#include <nlohmann/json.hpp>
#include <stb_image.h>

#include "allervers/core/consultation.hpp"
#include "allervers/core/media.hpp"
#include "allervers/crypto/hash.hpp"

namespace allervers::sync::media {

namespace {

bool is_png(std::string_view b) { return b.size() > 8 && b.substr(0, 8) == std::string_view("\x89PNG\r\n\x1A\n", 8); }
bool is_jpeg(std::string_view b) { return b.size() > 3 && b[0] == '\xFF' && b[1] == '\xD8' && b[2] == '\xFF'; }

std::uint32_t be32(std::string_view b, std::size_t at) {
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < 4; ++i) v = (v << 8) | static_cast<std::uint8_t>(b[at + i]);
  return v;
}

struct StbFree {
  void operator()(unsigned char* p) const { stbi_image_free(p); }
};

void check_dimensions(std::int64_t w, std::int64_t h, const Limits& limits) {
  if (w > limits.max_side_px || h > limits.max_side_px || w * h > limits.max_pixels)
    throw MediaError("too_many_pixels", "the image is " + std::to_string(w) + " × " + std::to_string(h) + " pixels; at most " +
                                            std::to_string(limits.max_side_px) + " on a side");
}

// The type, then the header's dimensions (nothing allocated for a bomb), then one decode.
Checked inspect(std::string_view bytes, const Limits& limits, Pixels* pixels) {
  if (bytes.size() > limits.max_bytes)
    throw MediaError("too_large", "the file is " + std::to_string(bytes.size()) + " bytes; at most " + std::to_string(limits.max_bytes));
  Checked out;
  if (is_png(bytes)) out.content_type = "image/png";
  else if (is_jpeg(bytes)) out.content_type = "image/jpeg";
  else throw MediaError("not_an_image", "the file is neither a PNG nor a JPEG image");
  // A PNG says its size in the IHDR chunk, which must come first.
  if (out.content_type == "image/png" && bytes.size() >= 24 && bytes.substr(12, 4) == "IHDR")
    check_dimensions(be32(bytes, 16), be32(bytes, 20), limits);
  const auto* data = reinterpret_cast<const stbi_uc*>(bytes.data());
  const int size = static_cast<int>(bytes.size());
  int w = 0, h = 0, channels = 0;
  if (!stbi_info_from_memory(data, size, &w, &h, &channels) || w <= 0 || h <= 0)
    throw MediaError("undecodable", "the image cannot be read (damaged or cut short)");
  check_dimensions(w, h, limits);
  int dw = 0, dh = 0, dc = 0;
  std::unique_ptr<unsigned char, StbFree> decoded(stbi_load_from_memory(data, size, &dw, &dh, &dc, 4));
  if (!decoded || dw != w || dh != h) throw MediaError("undecodable", "the image cannot be read (damaged or cut short)");
  out.width = w, out.height = h;
  out.hash = crypto::sha256_hex(bytes);
  if (pixels) {
    pixels->width = w, pixels->height = h;
    pixels->rgba.assign(decoded.get(), decoded.get() + static_cast<std::size_t>(w) * static_cast<std::size_t>(h) * 4);
  }
  return out;
}

}  // namespace

std::string path_for(const std::string& hash) { return path_prefix + hash; }

Checked check(std::string_view bytes, const Limits& limits) { return inspect(bytes, limits, nullptr); }

Checked check_named(std::string_view bytes, const std::string& expected_hash, const Limits& limits) {
  // The hash first: bytes that are not the ones asked for are never decoded.
  const std::string actual = crypto::sha256_hex(bytes);
  if (actual != expected_hash)
    throw MediaError("hash_mismatch", "the bytes received hash to " + actual + ", not to the name asked for (" + expected_hash + ")");
  return inspect(bytes, limits, nullptr);
}

Pixels decode_rgba(std::string_view bytes, const Limits& limits) {
  Pixels pixels;
  inspect(bytes, limits, &pixels);
  return pixels;
}

std::string catalog_with_pictogram_files(const std::string& json_text, const std::filesystem::path& dir, const KeepFile& keep) {
  (void)core::parse_catalog(json_text);  // the names are file names of a-z 0-9 - _ .png, never paths
  auto doc = nlohmann::json::parse(json_text);
  auto resolve = [&](nlohmann::json& holder, const std::string& where) {
    auto it = holder.find("pictogram");
    if (it == holder.end() || !it->is_string()) return;
    const std::string name = it->get<std::string>();
    if (core::is_media_hash(name)) return;
    const auto path = dir / name;
    std::ifstream in(path, std::ios::binary);
    if (!in) throw core::CatalogError(where + ".pictogram", "no file " + path.string() + " beside the catalog");
    std::ostringstream bytes;
    bytes << in.rdbuf();
    try {
      const auto checked = check(bytes.str());
      if (checked.content_type != "image/png")
        throw MediaError("not_an_image", "a pictogram is a PNG image, this file is " + checked.content_type);
      keep(checked, bytes.str());
      *it = checked.hash;
    } catch (const MediaError& e) {
      throw core::CatalogError(where + ".pictogram", name + ": " + e.what());
    }
  };
  auto each = [&](nlohmann::json& list, const std::string& where, auto&& visit) {
    if (!list.is_array()) return;
    for (std::size_t i = 0; i < list.size(); ++i) visit(list[i], where + "[" + std::to_string(i) + "]");
  };
  auto consultations = doc.find("consultations");
  if (consultations == doc.end()) return json_text;
  each(*consultations, "consultations", [&](nlohmann::json& c, const std::string& at) {
    if (auto q = c.find("questions"); q != c.end())
      each(*q, at + ".questions", [&](nlohmann::json& question, const std::string& qat) {
        resolve(question, qat);
        if (auto o = question.find("options"); o != question.end())
          each(*o, qat + ".options", [&](nlohmann::json& option, const std::string& oat) { resolve(option, oat); });
      });
    if (auto ideas = c.find("ideas"); ideas != c.end() && ideas->is_object())
      if (auto themes = ideas->find("themes"); themes != ideas->end())
        each(*themes, at + ".ideas.themes", [&](nlohmann::json& theme, const std::string& tat) { resolve(theme, tat); });
  });
  return doc.dump();
}

}  // namespace allervers::sync::media
