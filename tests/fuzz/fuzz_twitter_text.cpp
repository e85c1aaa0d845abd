// TextExtractor (and Mastodon's HTML to text, which feeds it): every kind of entity from arbitrary bytes.
// Invariants: each value is a view into the text; entities come in order without overlapping; for valid
// UTF-8 text the values are valid UTF-8 and the indices are the code point offsets of the values, sigil
// included; mentions are 1-20 of [A-Za-z0-9_]; cashtags are 1-6 ASCII letters and an optional ._ suffix.
// html_to_text keeps valid UTF-8 valid.
#include <string>
#include <string_view>
#include <vector>

#include "check.h"
#include "extract/schema.h"
#include "extract/twitter_text.h"

using namespace trendtop;

namespace {

bool word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// The code point offset of byte `at` in valid UTF-8: the bytes before it that start a character.
uint32_t code_points(std::string_view text, size_t at) {
  uint32_t n = 0;
  for (size_t i = 0; i < at; ++i) n += (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80;
  return n;
}

// `sigil`: the entity starts one character before its value (#, @, $), not at it (URLs).
void check(std::string_view text, const std::vector<TextEntity>& found, bool sigil, bool valid) {
  uint32_t last_end = 0;
  for (const TextEntity& e : found) {
    FUZZ_CHECK(e.value.data() >= text.data() && e.value.data() + e.value.size() <= text.data() + text.size());
    FUZZ_CHECK(!e.value.empty());
    FUZZ_CHECK(e.start < e.end);
    FUZZ_CHECK(e.start >= last_end);
    last_end = e.end;
    if (!valid) continue;
    size_t at = static_cast<size_t>(e.value.data() - text.data());
    FUZZ_CHECK(fuzz::valid_utf8(e.value));
    FUZZ_CHECK(e.end == code_points(text, at + e.value.size()));
    FUZZ_CHECK(e.start + (sigil ? 1 : 0) == code_points(text, at));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static TextExtractor ex;
  static std::vector<TextEntity> found;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  bool valid = fuzz::valid_utf8(text);

  ex.hashtags(text, found);
  check(text, found, true, valid);
  for (const TextEntity& e : found) FUZZ_CHECK(e.value.find('#') == std::string_view::npos);

  ex.mentions(text, found);
  check(text, found, true, valid);
  for (const TextEntity& e : found) {
    FUZZ_CHECK(e.value.size() <= 20);
    for (char c : e.value) FUZZ_CHECK(word_char(c));
  }
  ex.mentions_or_lists(text, found);
  check(text, found, true, valid);
  for (const TextEntity& e : found) {
    std::string_view user = e.value.substr(0, e.value.find('/'));
    FUZZ_CHECK(!user.empty() && user.size() <= 20);
    for (char c : user) FUZZ_CHECK(word_char(c));
  }

  ex.cashtags(text, found);
  check(text, found, true, valid);
  for (const TextEntity& e : found) {
    size_t letters = 0;
    while (letters < e.value.size() && ((e.value[letters] | 0x20) >= 'a' && (e.value[letters] | 0x20) <= 'z'))
      ++letters;
    FUZZ_CHECK(letters >= 1 && letters <= 6);
    FUZZ_CHECK(e.value.size() == letters || (e.value.size() >= letters + 2 && e.value.size() <= letters + 3 &&
                                             (e.value[letters] == '.' || e.value[letters] == '_')));
  }

  ex.urls(text, found);
  check(text, found, false, valid);
  for (const TextEntity& e : found) FUZZ_CHECK(e.end - e.start <= 4096);

  TextEntity reply;
  if (ex.reply(text, reply)) {
    FUZZ_CHECK(!reply.value.empty() && reply.value.size() <= 20);
    for (char c : reply.value) FUZZ_CHECK(word_char(c));
  }

  static std::string html;
  html.assign("x");  // appends: what is there stays
  html_to_text(text, html);
  FUZZ_CHECK(html[0] == 'x');
  if (valid) FUZZ_CHECK(fuzz::valid_utf8(html));
  return 0;
}
