#pragma once
// What each kind of capture supplies, in its own file beside this one: reading its body from a
// record, writing it back, and its rules. Overloads by body type, called through std::visit
// (capture.cpp, validation.cpp), so a kind missing one of them does not compile.
#include <nlohmann/json.hpp>
#include <type_traits>

#include "../checker.hpp"
#include "../record_reader.hpp"
#include "fields.hpp"
#include "allervers/core/capture.hpp"

namespace allervers::core::kinds {

// `body` is the record's value under info(kind).body_key; nullptr when absent or null.
Opinion read(std::type_identity<Opinion>, const nlohmann::json* body, RecordReader& r);
Idea read(std::type_identity<Idea>, const nlohmann::json* body, RecordReader& r);
SignIn read(std::type_identity<SignIn>, const nlohmann::json* body, RecordReader& r);
Ballot read(std::type_identity<Ballot>, const nlohmann::json* body, RecordReader& r);

// The fields of the object stored under info(kind).body_key (fields.hpp: as a JSON value or as
// the canonical text).
void write(const Opinion& body, Fields& out);
void write(const Idea& body, Fields& out);
void write(const SignIn& body, Fields& out);
void write(const Ballot& body, Fields& out);

// `consultation` is the version the capture names: never null for a kind whose
// consultation_required is set; null when it names none otherwise.
void check(const Opinion& body, const Consultation* consultation, Checker& check);
void check(const Idea& body, const Consultation* consultation, Checker& check);
void check(const SignIn& body, const Consultation* consultation, Checker& check);
void check(const Ballot& body, const Consultation* consultation, Checker& check);

}  // namespace allervers::core::kinds
