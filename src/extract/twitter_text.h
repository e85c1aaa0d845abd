// TextExtractor: hashtags, @mentions (and lists), $cashtags and URLs found in the text of a tweet, by the
// rules of the official twitter-text library (3.x), checked against its conformance suite
// (conformance/extract.yml).
//
// The reference is twitter-text's Java implementation (Regex.java, Extractor.java), whose regexes this file
// reproduces by hand as one-pass scanners, including the regex engine's order of trying alternatives and
// where a rejected match resumes, because both change what is extracted:
// - Hashtag: preceded by the start, U+FE0E/U+FE0F, or a character that is not '&' and not a hashtag
// character;
//   '#' or '＃'; not followed by U+FE0F/U+20E3; then a maximal run of hashtag characters (letters and marks
//   \p{L}\p{M} plus twitter-text's extra ranges, decimal digits \p{Nd} plus extra ranges, '_', ZWNJ, ZWJ and
//   the special characters ・ ゛ ゜ ゠ 〃 ～ 〜 ־ ׳ ״ ꙾ ་ ༌ ·) holding at least one letter; dropped when
//   followed by '#', '＃' or "://", and dropped when it lies inside a URL.
// - Mention: preceded by the start, a character other than [A-Za-z0-9_!#$%&*@＠], or "RT"/"RT:" (any case)
//   that is itself at the start or after a character other than [A-Za-z0-9_+~.-]; one or more '@'/'＠'; 1-20
//   of [A-Za-z0-9_] (a longer name is cut at 20, as the reference does); an optional list "/slug"; dropped
//   when followed by '@', '＠', a Latin accented letter or "://". mentions() leaves out "@user/list" matches.
// - Cashtag: preceded by the start or a Unicode space; '$'; 1-6 ASCII letters, optionally '.' or '_' and 1-2
//   more; followed by the end, ASCII whitespace or ASCII punctuation.
// - URL: optional http:// or https://; a domain (subdomains, a domain name and a TLD from twitter-text's gTLD
// and
//   ccTLD lists or punycode; after a protocol also a single Unicode label); optional port, path (balanced
//   parentheses, no trailing punctuation) and query. Without a protocol it must not follow '-', '_', '.' or
//   '/'. t.co links end after their slug (and query), and a slug over 40 characters drops the link. The host
//   must pass IDNA ToASCII (each label 1-63 characters once punycoded, no "xn--" label with non-ASCII
//   characters, nameprep's prohibited characters and bidi rule) and the URL must fit 4096 characters.
//
// Indices are code point offsets into the text, [start, end), the sigil included (the suite's indices). Text
// is UTF-8; each byte of an invalid sequence counts as one character that is neither a letter nor a digit, so
// malformed input is scanned, never trusted.
//
// Left out: autolinking, hit highlighting, tweet validation and weighted length (parseTweet), the combined
// extractEntitiesWithIndices, the "without protocol" switch (always on), and Java's UTF-16 indices.
// Deliberate differences from the Java reference: Unicode properties come from utf8proc (a newer Unicode than
// Java's, so letters added since count, as twitter-text's own extra ranges intend); nameprep maps with
// utf8proc's NFKC and case folding, not Unicode 3.2 tables; a directional mark alone does not open a cashtag
// or a reply (the JS reference's rule; Java's pattern only accepts all twelve marks in a row, a bug).
//
// Speed: each call is one forward pass; hashtags, mentions and cashtags jump from sigil to sigil with memchr
// and count code points eight ASCII bytes at a time; Unicode properties are looked up only for non-ASCII
// characters. Outputs are cleared and refilled, and nothing is allocated once the internal buffers have
// grown.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace trendtop {

struct TextEntity {
  // The entity as written in the text, without its sigil: "tag", "user", "user/list" (mentions_or_lists),
  // "SYM", or the URL. A view into the text passed in.
  std::string_view value;
  uint32_t start = 0, end = 0;  // code point indices, [start, end), sigil included
};

class TextExtractor {
 public:
  void hashtags(std::string_view text, std::vector<TextEntity>& out);
  // Mentions of users; "@user/list" is a list, not a mention, and is left out.
  void mentions(std::string_view text, std::vector<TextEntity>& out);
  // Mentions and lists: a list's value is "user/slug" (the slug is what follows the '/').
  void mentions_or_lists(std::string_view text, std::vector<TextEntity>& out);
  void cashtags(std::string_view text, std::vector<TextEntity>& out);
  void urls(std::string_view text, std::vector<TextEntity>& out);
  // The user a tweet replies to: an @mention after nothing but spaces. False when there is none.
  bool reply(std::string_view text, TextEntity& out);

 private:
  struct Label {
    size_t next;      // byte offset just past the label's '.'
    bool underscore;  // allowed in a subdomain, not in the domain name
  };
  struct UrlMatch {
    size_t start, end;                // the whole URL, protocol included
    size_t domain_start, domain_end;  // the host
    bool protocol;
  };

  void scan_mentions(std::string_view text, std::vector<TextEntity>& out, bool lists);
  bool match_url(const unsigned char* s, size_t n, size_t p, UrlMatch& m);
  size_t match_domain(const unsigned char* s, size_t n, size_t d);
  bool valid_host_and_length(const unsigned char* s, const UrlMatch& m, size_t url_end);
  size_t ascii_label_length(const unsigned char* s, size_t begin, size_t end);
  void drop_hashtags_inside_urls(std::string_view text, std::vector<TextEntity>& tags);

  std::vector<TextEntity> urls_;   // hashtags(): the URLs a hashtag may lie inside
  std::vector<Label> labels_;      // match_domain(): the labels of the host being matched
  std::string prep_in_;            // nameprep: the label without the characters it maps to nothing
  std::vector<int32_t> prep_out_;  // nameprep: the mapped, normalised label
};

}  // namespace trendtop
