#pragma once
// Part of validation: the contact details a resident gives to be kept informed — an e-mail
// address or a French phone number. The device seals them before anything is stored, so the
// device checks them with this rule before sealing; the office (which opens them) and the
// public web pages apply the same one.
#include <optional>
#include <string>
#include <string_view>

#include "allervers/core/validation.hpp"

namespace allervers::core {

enum class ContactKind { email, phone };

struct CheckedContact {
  ContactKind kind;
  // The canonical form: an e-mail trimmed, its domain in lower case; a phone number as
  // "06 12 34 56 78", or "+33 6 12 34 56 78" / "+262 6 92 12 34 56" when typed with a code.
  std::string text;
};

// The contact, or why not (field `field`): code "required" (nothing typed), "not_an_email"
// (an '@' but not an address), "not_a_phone" (digits but not a French number) or
// "not_a_contact" (neither). The messages say what would do, with an example.
struct ContactResult {
  std::optional<CheckedContact> contact;
  std::optional<ValidationError> error;
};
ContactResult check_contact(std::string_view text, const std::string& field = "idea.contact");

}  // namespace allervers::core
