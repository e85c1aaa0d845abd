#include "extract/twitter_text.h"

#include <cstring>
#include <string_view>
#include <vector>

#include "extract/twitter_text_chars.h"

namespace trendtop {
using namespace tt_detail;
namespace {

// ---------------------------------------------------------------------------------------------------------------
// Hashtags, mentions, cashtags.

inline bool may_precede_hashtag(uint32_t cp) {
  return cp == 0xFE0E || cp == 0xFE0F || (cp != '&' && tag_class(cp) == kNotTag);
}
// A URL can only contain a hashtag in its path or query, so the character before the '#' is one of their
// non-letters: ASCII punctuation, EN DASH or CYRILLIC THOUSANDS SIGN. Otherwise hashtags() skips the URL
// scan.
inline bool may_precede_hashtag_in_url(uint32_t cp) {
  return ascii_has(cp, kPosixPunct) || cp == 0x2013 || cp == 0x482;
}

// INVALID_HASHTAG_MATCH_END
inline bool hashtag_end_invalid(const u8* s, size_t n, size_t e) {
  if (e >= n) return false;
  return s[e] == '#' || is_fullwidth(s, n, e, kFullwidthHash) ||
         (s[e] == ':' && e + 3 <= n && s[e + 1] == '/' && s[e + 2] == '/');
}
// INVALID_MENTION_MATCH_END
inline bool mention_end_invalid(const u8* s, size_t n, size_t e) {
  if (e >= n) return false;
  if (s[e] == '@' || is_fullwidth(s, n, e, kFullwidthAt)) return true;
  if (s[e] == ':') return e + 3 <= n && s[e + 1] == '/' && s[e + 2] == '/';
  return s[e] >= 0x80 && is_latin_accent(decode(s + e, s + n).cp);
}

// "RT" or "RT:" (any case) right before the at sign at b, itself at the start or after a character other than
// [A-Za-z0-9_+~.-]; nothing of it inside the previous match.
bool rt_before(const u8* s, size_t b, size_t consumed) {
  size_t rt;
  if (b >= 3 && s[b - 1] == ':' && ascii_lower(s[b - 3]) == 'r' && ascii_lower(s[b - 2]) == 't') {
    rt = b - 3;
  } else if (b >= 2 && ascii_lower(s[b - 2]) == 'r' && ascii_lower(s[b - 1]) == 't') {
    rt = b - 2;
  } else {
    return false;
  }
  if (rt == 0) return consumed == 0;
  return rt > consumed && !ascii_has(cp_before(s, rt), kNotRtBefore);
}

// (?=$|\s|\p{Punct}) after a cashtag; Java's $ also matches before a line terminator that ends the input.
inline bool cashtag_end_ok(const u8* s, size_t n, size_t e) {
  if (e >= n) return true;
  if (s[e] < 0x80) return has(s[e], kSpace | kPosixPunct);
  const std::string_view rest(reinterpret_cast<const char*>(s + e), n - e);
  return rest == "\xC2\x85" || rest == "\xE2\x80\xA8" || rest == "\xE2\x80\xA9";
}

// [a-z]{1,6}(?:[._][a-z]{1,2})? and the lookahead at q, tried in the regex's backtracking order. Returns the
// end.
size_t match_cashtag(const u8* s, size_t n, size_t q) {
  size_t letters = 0;
  while (letters < 6 && q + letters < n && has(s[q + letters], kAlpha)) ++letters;
  for (size_t l = letters; l >= 1; --l) {
    const size_t e = q + l;
    if (e + 1 < n && (s[e] == '.' || s[e] == '_')) {
      size_t more = 0;
      while (more < 2 && e + 1 + more < n && has(s[e + 1 + more], kAlpha)) ++more;
      for (size_t m = more; m >= 1; --m) {
        if (cashtag_end_ok(s, n, e + 1 + m)) return e + 1 + m;
      }
    }
    if (cashtag_end_ok(s, n, e)) return e;
  }
  return npos;
}

}  // namespace

void TextExtractor::hashtags(std::string_view text, std::vector<TextEntity>& out) {
  out.clear();
  const auto* s = reinterpret_cast<const u8*>(text.data());
  const size_t n = text.size();
  SigilFinder find(s, n, '#', kFullwidthHash);
  size_t b = find.next(0);
  if (b >= n) return;
  Cursor cursor(s, n);
  size_t consumed = 0;  // end of the last match: the next one's preceding character comes after it
  bool near_url = false;
  while (b < n) {
    const size_t sigil = s[b] == '#' ? 1 : 3;
    uint32_t prev = 0;
    bool ok = b == 0;
    if (b > consumed) {
      prev = cp_before(s, b);
      ok = may_precede_hashtag(prev);
    }
    size_t q = b + sigil;
    if (ok && q < n) {
      uint32_t count = 0;
      bool letter = false;
      const Decoded first = decode(s + q, s + n);
      if (first.cp != 0xFE0F && first.cp != 0x20E3) {
        while (q < n) {
          int cls;
          size_t len = 1;
          if (s[q] < 0x80) {
            cls = ascii_tag_class(s[q]);
          } else {
            const Decoded c = decode(s + q, s + n);
            cls = tag_class(c.cp);
            len = c.len;
          }
          if (cls == kNotTag) break;
          letter = letter || cls == kTagLetter;
          q += len;
          ++count;
        }
      }
      if (letter) {
        consumed = q;
        if (!hashtag_end_invalid(s, n, q)) {
          const uint32_t start = cursor.at(b);
          out.push_back({text.substr(b + sigil, q - b - sigil), start, start + 1 + count});
          cursor.set(q, start + 1 + count);
          near_url = near_url || (b > 0 && may_precede_hashtag_in_url(prev));
        }
        b = find.next(q);
        continue;
      }
    }
    b = find.next(b + sigil);
  }
  if (near_url) drop_hashtags_inside_urls(text, out);
}

// Extractor.extractHashtagsWithIndices(text, checkUrlOverlap=true): sort hashtags and URLs by start (hashtags
// first on a tie), drop every entity that starts before the end of the last one kept, keep the hashtags.
void TextExtractor::drop_hashtags_inside_urls(std::string_view text, std::vector<TextEntity>& tags) {
  urls(text, urls_);
  if (urls_.empty()) return;
  size_t kept = 0, u = 0;
  uint32_t kept_end = 0;
  bool any = false;
  for (const TextEntity& tag : tags) {
    for (; u < urls_.size() && urls_[u].start < tag.start; ++u) {
      if (!any || kept_end <= urls_[u].start) kept_end = urls_[u].end;
      any = true;
    }
    if (any && kept_end > tag.start) continue;
    kept_end = tag.end;
    any = true;
    tags[kept++] = tag;
  }
  tags.resize(kept);
}

void TextExtractor::mentions(std::string_view text, std::vector<TextEntity>& out) {
  scan_mentions(text, out, false);
}

void TextExtractor::mentions_or_lists(std::string_view text, std::vector<TextEntity>& out) {
  scan_mentions(text, out, true);
}

void TextExtractor::scan_mentions(std::string_view text, std::vector<TextEntity>& out, bool lists) {
  out.clear();
  const auto* s = reinterpret_cast<const u8*>(text.data());
  const size_t n = text.size();
  SigilFinder find(s, n, '@', kFullwidthAt);
  size_t b = find.next(0);
  if (b >= n) return;
  Cursor cursor(s, n);
  size_t consumed = 0;
  while (b < n) {
    // [@＠]+ from b, which starts the run (a match can only begin at the start of one).
    size_t r = b, last_at = b;
    for (;;) {
      if (r < n && s[r] == '@') {
        last_at = r++;
      } else if (is_fullwidth(s, n, r, kFullwidthAt)) {
        last_at = r;
        r += 3;
      } else {
        break;
      }
    }
    bool ok = b == 0;
    if (b > consumed) {
      const uint32_t prev = cp_before(s, b);
      ok = (!ascii_has(prev, kNotMentionBefore) && prev != 0xFF20) || rt_before(s, b, consumed);
    }
    size_t u = r;
    while (ok && u < n && u - r < 20 && has(s[u], kWord)) ++u;
    if (u == r) {
      b = find.next(r);
      continue;
    }
    size_t end = u;
    bool list = false;
    if (u + 1 < n && s[u] == '/' && has(s[u + 1], kAlpha)) {  // (/[a-z][a-z0-9_\-]{0,24})?
      end = u + 2;
      while (end < n && end - (u + 2) < 24 && has(s[end], kListChar)) ++end;
      list = true;
    }
    consumed = end;
    if (!mention_end_invalid(s, n, end) && (lists || !list)) {
      const uint32_t start = cursor.at(last_at);  // the indices start at the last at sign
      const uint32_t stop = start + 1 + static_cast<uint32_t>(end - r);
      out.push_back({text.substr(r, end - r), start, stop});
      cursor.set(end, stop);
    }
    b = find.next(end);
  }
}

bool TextExtractor::reply(std::string_view text, TextEntity& out) {
  const auto* s = reinterpret_cast<const u8*>(text.data());
  const size_t n = text.size();
  size_t q = 0;
  uint32_t index = 0;
  while (q < n) {
    const Decoded c = decode(s + q, s + n);
    if (!is_unicode_space(c.cp)) break;
    q += c.len;
    ++index;
  }
  size_t r;
  if (q < n && s[q] == '@') {
    r = q + 1;
  } else if (is_fullwidth(s, n, q, kFullwidthAt)) {
    r = q + 3;
  } else {
    return false;
  }
  size_t u = r;
  while (u < n && u - r < 20 && has(s[u], kWord)) ++u;
  if (u == r || mention_end_invalid(s, n, u)) return false;
  out = {text.substr(r, u - r), index, index + 1 + static_cast<uint32_t>(u - r)};
  return true;
}

void TextExtractor::cashtags(std::string_view text, std::vector<TextEntity>& out) {
  out.clear();
  const auto* s = reinterpret_cast<const u8*>(text.data());
  const size_t n = text.size();
  const void* dollar = n ? std::memchr(s, '$', n) : nullptr;
  if (!dollar) return;
  Cursor cursor(s, n);
  size_t consumed = 0;
  for (size_t b = static_cast<size_t>(static_cast<const u8*>(dollar) - s);;) {
    const bool ok = b == 0 || (b > consumed && is_unicode_space(cp_before(s, b)));
    const size_t end = ok ? match_cashtag(s, n, b + 1) : npos;
    if (end != npos) {
      consumed = end;
      const uint32_t start = cursor.at(b);
      const auto stop = start + static_cast<uint32_t>(end - b);  // ASCII
      out.push_back({text.substr(b + 1, end - b - 1), start, stop});
      cursor.set(end, stop);
    }
    const size_t from = end != npos ? end : b + 1;
    dollar = from < n ? std::memchr(s + from, '$', n - from) : nullptr;
    if (!dollar) break;
    b = static_cast<size_t>(static_cast<const u8*>(dollar) - s);
  }
}

}  // namespace trendtop
