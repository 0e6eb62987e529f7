// Pass verification: one example of each way a code can be refused, and the valid ones.
#include <catch2/catch.hpp>

#include <random>

#include "allervers/passes/pass.hpp"

using namespace allervers::passes;
using allervers::core::Uuid;

namespace {

constexpr std::int64_t now_s = 1'795'000'000;  // 2026-11

struct Town {
  TownKey key = TownKey::generate();
  SecretKey device_key = SecretKey::generate();
  DeviceCertificate certificate =
      key.certify(7, Uuid::parse("0190f3a1-0000-7000-8000-000000000001").value(), device_key.public_bytes(),
                  now_s - 3600, now_s + 365 * 86400);

  PassVerifier verifier() const {
    CertificateStore store(key.public_key());
    store.add(certificate);
    return PassVerifier(std::move(store));
  }
  DevicePassIssuer issuer() { return DevicePassIssuer(SecretKey::parse(device_key.str()), certificate); }
};

}  // namespace

TEST_CASE("a town pass and a device pass verify offline with the town's public key") {
  Town town;
  const auto verifier = town.verifier();
  const PassId id = PassId::random();

  const std::string printed = issue_town_pass(town.key, id);
  CHECK(printed.size() == 123);
  CHECK(printed.substr(0, 4) == "AV1-");
  auto check = verifier.verify(printed);
  REQUIRE(check.ok());
  CHECK(check.pass->id == id);
  CHECK(check.pass->issuer == Issuer::town);

  const std::string issued = town.issuer().issue(id, now_s);
  CHECK(issued.size() == 129);
  check = verifier.verify(issued);
  REQUIRE(check.ok());
  CHECK(check.pass->issuer == Issuer::device);
  CHECK(check.pass->certificate == 7);

  SECTION("a hand scanner with Caps Lock on types it in lower case") {
    std::string lower = printed;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    CHECK(verifier.verify(lower).ok());
  }
  SECTION("only the public key and the certificate text travel to devices") {
    CertificateStore store(TownPublicKey::parse(town.key.public_key().str()));
    store.add(DeviceCertificate::parse(town.certificate.str()));
    PassVerifier elsewhere(std::move(store));
    CHECK(elsewhere.verify(printed).ok());
    CHECK(elsewhere.verify(issued).ok());
  }
}

TEST_CASE("a pass signed with another key than the one it names is a forgery") {
  Town town;
  const auto verifier = town.verifier();
  const std::string genuine = issue_town_pass(town.key, PassId::random());

  // A forger who knows the format signs with his own key but claims the town's key id.
  TownKey forger = TownKey::generate();
  const std::string forged = issue_town_pass(forger, PassId::random());
  // The first 16 characters after the prefix are exactly kind, key id and pass id (80 bits):
  // keep the town's, take the forger's signature.
  std::string spliced = genuine.substr(0, 4 + 16) + forged.substr(4 + 16);
  CHECK(verifier.verify(spliced).problem == PassProblem::bad_signature);

  // A device key without a certificate from the town.
  SecretKey rogue = SecretKey::generate();
  DeviceCertificate fake = town.certificate;
  fake.device_public_key = rogue.public_bytes();
  const std::string from_rogue = DevicePassIssuer(std::move(rogue), fake).issue(PassId::random(), now_s);
  CHECK(verifier.verify(from_rogue).problem == PassProblem::bad_signature);
}

TEST_CASE("every single bit flip of a pass is refused") {
  Town town;
  const auto verifier = town.verifier();
  for (const std::string& code : {issue_town_pass(town.key, PassId::random()), town.issuer().issue(PassId::random(), now_s)}) {
    std::map<PassProblem, int> reasons;
    for (std::size_t i = 0; i < code.size(); ++i) {
      for (int bit = 0; bit < 8; ++bit) {
        std::string flipped = code;
        flipped[i] = static_cast<char>(flipped[i] ^ (1 << bit));
        const auto check = verifier.verify(flipped);
        CHECK_FALSE(check.ok());
        ++reasons[check.problem];
      }
    }
    CHECK(reasons[PassProblem::bad_signature] > 0);
    CHECK(reasons[PassProblem::not_text] > 0);
    CHECK(reasons[PassProblem::malformed] > 0);
  }
}

TEST_CASE("a cut code is truncated") {
  Town town;
  const auto verifier = town.verifier();
  const std::string code = issue_town_pass(town.key, PassId::random());
  for (std::size_t length = 1; length < code.size(); ++length) {
    INFO("length " << length);
    const auto problem = verifier.verify(code.substr(0, length)).problem;
    CHECK(problem == PassProblem::truncated);
  }
  CHECK(verifier.verify("").problem == PassProblem::wrong_prefix);
}

TEST_CASE("codes that are not our passes say so") {
  Town town;
  const auto verifier = town.verifier();
  const std::string code = issue_town_pass(town.key, PassId::random());

  CHECK(verifier.verify("AV2-" + code.substr(4)).problem == PassProblem::wrong_prefix);
  CHECK(verifier.verify("https://participation.example-ville.fr/").problem == PassProblem::wrong_prefix);
  CHECK(verifier.verify("3017620422003").problem == PassProblem::wrong_prefix);  // a product barcode
  CHECK(verifier.verify(code + "00").problem == PassProblem::malformed);
  CHECK(verifier.verify(code + "\n").problem == PassProblem::malformed);

  SECTION("a 4 KB code is refused before any work") {
    CHECK(verifier.verify(code + std::string(4096, 'A')).problem == PassProblem::oversized);
  }
  SECTION("invalid UTF-8") {
    CHECK(verifier.verify("AV1-\xC3\x28" + code.substr(6)).problem == PassProblem::not_text);
    CHECK(verifier.verify(std::string("\xFF\xFE", 2) + code).problem == PassProblem::not_text);
  }
  SECTION("random bytes, many times") {
    std::mt19937 random(42);
    for (int round = 0; round < 2000; ++round) {
      std::string junk(static_cast<std::size_t>(random() % 300), '\0');
      for (char& c : junk) c = static_cast<char>(random() & 0xFF);
      if (round % 2 == 0 && junk.size() > 4) junk.replace(0, 4, "AV1-");  // even with our prefix
      CHECK_FALSE(verifier.verify(junk).ok());
    }
  }
  SECTION("lower and upper case mixed is an alteration") {
    std::string mixed = code;
    mixed[10] = static_cast<char>(std::tolower(static_cast<unsigned char>(mixed[10])));
    if (mixed != code) CHECK_FALSE(verifier.verify(mixed).ok());
  }
}

TEST_CASE("another town's pass is refused as such") {
  Town ours;
  Town theirs;
  const auto verifier = ours.verifier();
  CHECK(verifier.verify(issue_town_pass(theirs.key, PassId::random())).problem == PassProblem::other_town);
  CHECK(verifier.verify(theirs.issuer().issue(PassId::random(), now_s)).problem == PassProblem::other_town);
  CertificateStore store(ours.key.public_key());
  CHECK_THROWS_AS(store.add(theirs.certificate), KeyError);
}

TEST_CASE("revocations received at sync refuse a pass or everything a lost device issued") {
  Town town;
  auto verifier = town.verifier();
  const PassId lost = PassId::random();
  const std::string printed = issue_town_pass(town.key, lost);
  const std::string issued = town.issuer().issue(PassId::random(), now_s);
  REQUIRE(verifier.verify(printed).ok());

  RevocationList list;
  list.passes.insert(lost);
  list.certificates.insert(7);
  verifier.set_revocations(RevocationList::from_json(list.to_json()));
  CHECK(verifier.verify(printed).problem == PassProblem::revoked_pass);
  CHECK(verifier.verify(issued).problem == PassProblem::revoked_certificate);
  CHECK(verifier.verify(issue_town_pass(town.key, PassId::random())).ok());

  CHECK_THROWS_AS(RevocationList::from_json("{\"passes\": [\"nope\"], \"certificates\": []}"), KeyError);
  CHECK_THROWS_AS(RevocationList::from_json("not json"), KeyError);
}

TEST_CASE("a device pass from a certificate not yet received is unknown rather than forged") {
  Town town;
  PassVerifier verifier{CertificateStore(town.key.public_key())};
  const std::string issued = town.issuer().issue(PassId::random(), now_s);
  CHECK(verifier.verify(issued).problem == PassProblem::unknown_certificate);
  verifier.certificates().add(town.certificate);
  CHECK(verifier.verify(issued).ok());
}

TEST_CASE("a device issues passes only while its certificate is valid") {
  Town town;
  auto issuer = town.issuer();
  CHECK_THROWS_AS(issuer.issue(PassId::random(), now_s - 7200), KeyError);
  CHECK_THROWS_AS(issuer.issue(PassId::random(), now_s + 400 * 86400), KeyError);
  CHECK_THROWS_AS(DevicePassIssuer(SecretKey::generate(), town.certificate), KeyError);
}

TEST_CASE("keys and certificates refuse damaged text with a reason") {
  Town town;
  CHECK_THROWS_WITH(TownPublicKey::parse("AVK1-XYZ"), Catch::Contains("town public key"));
  CHECK_THROWS_WITH(TownPublicKey::parse(town.certificate.str()), Catch::Contains("AVK1-"));
  CHECK_THROWS_AS(SecretKey::parse("AVS1-00"), KeyError);
  auto text = town.certificate.str();
  CHECK_THROWS_AS(DeviceCertificate::parse(text.substr(0, text.size() - 5)), KeyError);
  text[30] = text[30] == 'A' ? 'B' : 'A';
  CertificateStore store(town.key.public_key());
  CHECK_THROWS_AS(store.add(DeviceCertificate::parse(text)), KeyError);
  CHECK(TownKey(SecretKey::parse(town.key.secret().str())).public_key() == town.key.public_key());
}
