// Cursor: a forward reader over simdjson's structural index, for the one pass the extractor makes over a
// record (scan.h). simdjson's stage 1 finds every structural character of a line ({ } [ ] : , and the start
// of every string and scalar), SIMD-fast; On-Demand then walks those positions, and its walk — compiled for
// the generic target in our translation units, branching on every character it steps over — cost more than
// stage 1 itself on real statuses, most of it skipping what we do not read (user objects, media, quoted
// statuses). Here skipping a value is a tight loop adding a depth change per position, with no branch that
// depends on the character; fields are handed out as raw keys (escapes not decoded), strings without escapes
// as views into the line itself, with escapes unescaped by simdjson (the CPU's own kernel).
//
// The contract is On-Demand's, for what the extractor uses: a record is read once, front to back; each
// field's value may be read (its type, a string, an integer, null, its raw token, an object or array to walk)
// or left, and what is left is skipped; only what is read is checked beyond stage 1's validation (UTF-8,
// strings closed, no stray characters) — a skipped subtree is only bracket-counted, as On-Demand does. Broken
// structure on the path read (a missing colon or comma, a value missing, brackets that do not close) is an
// error, which makes the line malformed. That is stricter than On-Demand, which let some separators go
// unchecked on the path it read (design notes: 64 of 9 000 mutated real lines, all invalid JSON, were counted
// by On-Demand and are malformed here; none the other way).
//
// What it uses of simdjson is not its public API but the layer beneath On-Demand, marked "@private" in the
// headers: implementation::create_dom_parser_implementation, and on the dom_parser_implementation it gives,
// set_capacity, stage1 (regular mode), structural_indexes, n_structural_indexes and parse_string. They are
// stable within a library ABI (Debian 12's libsimdjson14 is 3.0.1), and the one change in later 3.x releases
// known to us (parse_string's third parameter) is handled in cursor.cpp; a simdjson that drops them fails to
// build here, and the way back is On-Demand (the readers see only this file's small interface).
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <simdjson.h>

namespace trendtop::json {

using simdjson::error_code;

enum class Type { Object, Array, String, Number, Boolean, Null };

class Value;

// Owns stage 1's output and the unescaped strings of the current record; one per thread.
class Parser {
 public:
  Parser();
  // Runs stage 1 over `len` bytes (with simdjson::SIMDJSON_PADDING readable bytes after them) and points
  // `root` at the document's first value. Views handed out stay valid until the next parse().
  error_code parse(const char* buf, size_t len, Value& root);
  // JSON-unescapes a string's raw contents (as Value::raw_string() gives them, in the padded input, its
  // closing quote right after) into this parser's buffer; the view itself when there is nothing to unescape.
  error_code unescape(std::string_view raw, std::string_view& out);
  // The same into `buf` (grown as needed), for a string kept raw and decoded later.
  error_code unescape(std::string_view raw, std::string& buf, std::string_view& out) const;
  // Whether the walk has read past every structural position: the document, its value read to the end,
  // holds nothing more but whitespace (a line is one JSON object; see scan::only_value).
  bool at_end() const { return pos_ == n_; }

 private:
  friend class Value;
  std::unique_ptr<simdjson::internal::dom_parser_implementation> impl_;
  const uint8_t* buf_ = nullptr;
  const uint32_t* index_ = nullptr;  // stage 1's positions, index_[n_] is one past the document
  uint32_t n_ = 0;
  uint32_t pos_ = 0;  // the next position the walk reads
  std::unique_ptr<uint8_t[]> strings_;
  size_t strings_capacity_ = 0;
  uint8_t* strings_end_ = nullptr;  // where the next unescaped string goes

  uint8_t at(uint32_t i) const { return buf_[index_[i]]; }
  // Moves the walk past the value at position i (a scalar, or a whole object or array): inline for a scalar,
  // the common case.
  error_code skip(uint32_t i) {
    uint8_t c = at(i);
    if (c == '{' || c == '[') return skip_container(i);
    if (c == ',' || c == ':' || c == '}' || c == ']') return simdjson::TAPE_ERROR;  // a value is missing
    pos_ = i + 1;
    return simdjson::SUCCESS;
  }
  error_code skip_container(uint32_t i);
  friend class Object;
  friend class Array;
};

// A value in the record: a position of the walk. Reading it (get_*) moves the walk past it; type() and
// raw_json_token() only look.
class Value {
 public:
  Value() = default;
  error_code type(Type& out) const;
  error_code get_string(std::string_view& out);  // unescaped (a view into the line when it has no escape)
  error_code raw_string(std::string_view& out);  // between the quotes, escapes as written
  error_code get_int64(int64_t& out);
  error_code is_null(bool& out);
  error_code get_object(class Object& out);
  error_code get_array(class Array& out);
  // The value's first token as written, up to the next structural character (trailing spaces included).
  std::string_view raw_json_token() const;

 private:
  friend class Parser;
  friend class Object;
  friend class Array;
  Value(Parser* p, uint32_t i) : p_(p), i_(i) {}
  Parser* p_ = nullptr;
  uint32_t i_ = 0;
};

// An object being walked: each() hands every field to `f(key, value)` in order — key as written between its
// quotes (escapes not decoded; the document is padded, so looking a few bytes past it is safe) — and skips
// the values f leaves. f returns an error to stop the walk (the record is then malformed).
class Object {
 public:
  template <class F>
  error_code each(F&& f);

 private:
  friend class Value;
  Parser* p_ = nullptr;
  uint32_t i_ = 0;  // the position after '{'
};

class Array {
 public:
  template <class F>
  error_code each(F&& f);

 private:
  friend class Value;
  Parser* p_ = nullptr;
  uint32_t i_ = 0;  // the position after '['
};

template <class F>
error_code Object::each(F&& f) {
  Parser& p = *p_;
  uint32_t i = i_;
  if (i < p.n_ && p.at(i) == '}') {
    p.pos_ = i + 1;
    return simdjson::SUCCESS;
  }
  for (;;) {
    // "key" : value, then , or }
    if (i + 2 >= p.n_ || p.at(i) != '"' || p.at(i + 1) != ':') return simdjson::TAPE_ERROR;
    // The key's closing quote is the last quote before the colon (only spaces come between).
    const char* begin = reinterpret_cast<const char*>(p.buf_) + p.index_[i] + 1;
    const char* end = reinterpret_cast<const char*>(p.buf_) + p.index_[i + 1];
    while (*--end != '"') {
    }
    uint32_t v = i + 2;
    p.pos_ = v;
    Value value(&p, v);
    if (error_code e = f(std::string_view(begin, static_cast<size_t>(end - begin)), value)) return e;
    if (p.pos_ == v)
      if (error_code e = p.skip(v)) return e;
    i = p.pos_;
    if (i >= p.n_) return simdjson::TAPE_ERROR;
    uint8_t c = p.at(i);
    if (c == ',') {
      ++i;
      continue;
    }
    if (c != '}') return simdjson::TAPE_ERROR;
    p.pos_ = i + 1;
    return simdjson::SUCCESS;
  }
}

template <class F>
error_code Array::each(F&& f) {
  Parser& p = *p_;
  uint32_t i = i_;
  if (i < p.n_ && p.at(i) == ']') {
    p.pos_ = i + 1;
    return simdjson::SUCCESS;
  }
  for (;;) {
    if (i >= p.n_) return simdjson::TAPE_ERROR;
    p.pos_ = i;
    Value value(&p, i);
    if (error_code e = f(value)) return e;
    if (p.pos_ == i)
      if (error_code e = p.skip(i)) return e;
    i = p.pos_;
    if (i >= p.n_) return simdjson::TAPE_ERROR;
    uint8_t c = p.at(i);
    if (c == ',') {
      ++i;
      continue;
    }
    if (c != ']') return simdjson::TAPE_ERROR;
    p.pos_ = i + 1;
    return simdjson::SUCCESS;
  }
}

}  // namespace trendtop::json
