#include "extract/keys.h"

#include <algorithm>

#include "extract/scan.h"
#include "extract/words.h"
#include "util/hash.h"

namespace trendtop {

bool DistinctKeys::add(std::vector<std::string_view>& keys, std::string_view key) {
  size_t n = keys.size() - first_;
  if (!hashed_) {
    if (n < kLinear) {
      if (std::find(keys.begin() + static_cast<std::ptrdiff_t>(first_), keys.end(), key) != keys.end())
        return false;
      keys.push_back(key);
      return true;
    }
    rebuild(keys, 4 * kLinear);
  }
  if (2 * (n + 1) > slots_.size()) rebuild(keys, 2 * slots_.size());  // at most half full
  size_t mask = slots_.size() - 1;
  for (size_t i = hash_key(key) & mask;; i = (i + 1) & mask) {
    if (slots_[i] == 0) {
      slots_[i] = static_cast<uint32_t>(n + 1);
      keys.push_back(key);
      return true;
    }
    if (keys[first_ + slots_[i] - 1] == key) return false;
  }
}

void DistinctKeys::rebuild(const std::vector<std::string_view>& keys, size_t slots) {
  hashed_ = true;
  slots_.assign(slots, 0);  // within the capacity of the largest record so far: no allocation
  size_t mask = slots - 1;
  for (size_t j = first_; j < keys.size(); ++j) {
    size_t i = hash_key(keys[j]) & mask;
    while (slots_[i] != 0) i = (i + 1) & mask;
    slots_[i] = static_cast<uint32_t>(j - first_ + 1);
  }
}

KeyBuilder::KeyBuilder(const Config& c) {
  keep_case_ = c.keep_case;
  spell_ = tracks_spellings(c);
  users_ = c.count == CountMode::Users;
  // Excluded keys are normalised as counted keys are, so "#RT" excludes "#rt".
  for (const std::string& key : c.exclude) {
    std::string norm;
    bool sigil = !key.empty() && (key[0] == '#' || key[0] == '@' || key[0] == '$');
    if (!sigil) {
      norm = key;
    } else if (c.extract == ExtractMode::Split) {
      if (!normalizer_.lower(key, norm)) continue;
    } else {
      norm.push_back(key[0]);
      std::string_view rest = std::string_view(key).substr(1);
      if (!(keep_case_ ? normalizer_.nfc(rest, norm) : normalizer_.fold(rest, norm))) continue;
    }
    exclude_.push_back(norm);
  }
  std::sort(exclude_.begin(), exclude_.end());
  if (c.keys & kWords) {
    for (std::string_view w : english_stopwords()) stopwords_.emplace_back(w);
    for (const std::string& w : c.stopwords) {
      std::string folded;
      if (normalizer_.fold(w, folded)) stopwords_.push_back(folded);
    }
    std::sort(stopwords_.begin(), stopwords_.end());
  }
}

void KeyBuilder::clear() {
  key_buf_.clear();
  key_ends_.clear();
  spellings_.clear();
  spell_buf_.clear();
}

bool KeyBuilder::excluded(std::string_view key) const {
  return !exclude_.empty() &&
         std::binary_search(exclude_.begin(), exclude_.end(), key,
                            [](std::string_view a, std::string_view b) { return a < b; });
}

bool KeyBuilder::add(char sigil, std::string_view value, Norm norm) {
  size_t mark = key_buf_.size();
  if (sigil) key_buf_.push_back(sigil);
  bool ok = true;
  switch (norm) {
    case Norm::Fold:
      ok = keep_case_ ? normalizer_.nfc(value, key_buf_) : normalizer_.fold(value, key_buf_);
      break;
    case Norm::Lower:
      ok = normalizer_.lower(value, key_buf_);
      break;
    case Norm::Keep:
      key_buf_.append(value);
      break;
  }
  // Invalid UTF-8 (a key of a string simdjson validated never is; split words may be), or control
  // characters (a "\u0000" in a hashtag's text): not a key. No hashtag, mention or URL holds one, and a NUL
  // or an escape sequence in a key would reach terminals and TSV readers raw. --extract split keeps the
  // tutorial's split(" ") words as they are ("#a\n#b" is one word there).
  ok = ok && (norm == Norm::Lower ||
              std::none_of(key_buf_.begin() + static_cast<std::ptrdiff_t>(mark), key_buf_.end(), [](char c) {
                auto u = static_cast<unsigned char>(c);
                return u < 0x20 || u == 0x7f;
              }));
  if (!ok) {
    key_buf_.resize(mark);
    return false;
  }
  key_ends_.push_back(static_cast<uint32_t>(key_buf_.size()));
  if (spell_) {
    // The spelling as written (NFC), kept when folding changed it: windows show a key's most frequent one.
    std::pair<uint32_t, uint32_t> span{0, 0};
    if (norm == Norm::Fold) {
      size_t at = spell_buf_.size();
      if (sigil) spell_buf_.push_back(sigil);
      std::string_view key(key_buf_.data() + mark, key_buf_.size() - mark);
      if (normalizer_.nfc(value, spell_buf_) && (users_ || std::string_view(spell_buf_).substr(at) != key))
        span = {static_cast<uint32_t>(at), static_cast<uint32_t>(spell_buf_.size())};
      else
        spell_buf_.resize(at);
    }
    spellings_.push_back(span);
  }
  return true;
}

void KeyBuilder::from_entities(const EntityLists& lists, uint8_t kinds) {
  if (kinds & kHashtags)
    for (std::string_view v : lists.hashtags) add('#', v, Norm::Fold);
  if (kinds & kMentions)
    for (std::string_view v : lists.mentions) add('@', v, Norm::Fold);
  if (kinds & kCashtags)
    for (std::string_view v : lists.cashtags) add('$', v, Norm::Fold);
  if (kinds & kUrls)
    for (std::string_view v : lists.urls) add(0, v, Norm::Keep);
}

void KeyBuilder::from_text(std::string_view text, uint8_t kinds) {
  if (kinds & kHashtags) {
    text_extractor_.hashtags(text, found_);
    for (const TextEntity& e : found_) add('#', e.value, Norm::Fold);
  }
  if (kinds & kMentions) {
    text_extractor_.mentions(text, found_);
    for (const TextEntity& e : found_) add('@', e.value, Norm::Fold);
  }
  if (kinds & kCashtags) {
    text_extractor_.cashtags(text, found_);
    for (const TextEntity& e : found_) add('$', e.value, Norm::Fold);
  }
  if (kinds & kUrls) {
    text_extractor_.urls(text, found_);
    for (const TextEntity& e : found_) add(0, e.value, Norm::Keep);
  }
  if (kinds & kWords) {
    // Not inside links; folded; stop words left out (compared folded).
    text_extractor_.urls(text, found_);
    url_spans_.clear();
    for (const TextEntity& e : found_) {
      size_t begin = static_cast<size_t>(e.value.data() - text.data());
      url_spans_.emplace_back(begin, begin + e.value.size());
    }
    split_words(text, url_spans_, words_);
    for (std::string_view w : words_) {
      size_t mark = key_buf_.size();
      if (!add(0, w, Norm::Fold)) continue;
      std::string_view folded(key_buf_.data() + mark, key_buf_.size() - mark);
      if (std::binary_search(stopwords_.begin(), stopwords_.end(), folded,
                             [](std::string_view a, std::string_view b) { return a < b; })) {
        key_buf_.resize(mark);
        key_ends_.pop_back();
        if (spell_) spellings_.pop_back();
      }
    }
  }
}

void KeyBuilder::reserve(std::vector<std::string_view>& keys, size_t extra) {
  size_t need = key_buf_.size() + extra;
  if (key_buf_.capacity() >= need) return;
  // Growing would move the keys: rebase the views onto the new buffer.
  std::string grown;
  grown.reserve(need * 2);
  grown = key_buf_;
  for (std::string_view& k : keys)
    k = std::string_view(grown.data() + (k.data() - key_buf_.data()), k.size());
  key_buf_.swap(grown);
}

void KeyBuilder::finish(std::vector<std::string_view>& keys, std::string_view user, bool distinct) {
  uint32_t start = 0;
  size_t kept = 0;
  kept_spellings_.clear();
  distinct_.start(0);
  for (size_t i = 0; i < key_ends_.size(); ++i) {
    uint32_t end = key_ends_[i];
    std::string_view key(key_buf_.data() + start, end - start);
    start = end;
    if (excluded(key)) continue;
    if (spell_ && spellings_[i].second > spellings_[i].first)
      kept_spellings_.push_back(
          {static_cast<uint32_t>(key.data() - key_buf_.data()), static_cast<uint32_t>(key.size()), i});
    if (!distinct)
      keys.push_back(key);
    else if (!distinct_.add(keys, key))
      continue;
    ++kept;
  }
  if (users_ && kept > 0) {
    // --count users: each key becomes key + US + author, so a window's map holds one entry per (key,
    // author) and the pipeline counts authors per key. Built after the keys, in the same buffer (reserved
    // first, so the views above stay valid).
    size_t extra = 0;
    for (std::string_view k : keys) extra += k.size() + 1 + user.size();
    reserve(keys, extra);
    for (std::string_view& k : keys) {
      size_t at = key_buf_.size();
      key_buf_.append(k);
      key_buf_.push_back('\x1f');
      key_buf_.append(user);
      k = std::string_view(key_buf_.data() + at, key_buf_.size() - at);
    }
  }
  if (kept_spellings_.empty()) return;
  // Spelling markers, counted with the keys: RS key US spelling (see kSpellingMark).
  size_t extra = 0;
  for (const KeptSpelling& k : kept_spellings_)
    extra += k.length + 2 + (spellings_[k.index].second - spellings_[k.index].first);
  reserve(keys, extra);
  distinct_.start(keys.size());
  for (const KeptSpelling& k : kept_spellings_) {
    size_t at = key_buf_.size();
    key_buf_.push_back(kSpellingMark);
    key_buf_.append(key_buf_, k.offset, k.length);  // within the reserved capacity: nothing moves
    key_buf_.push_back('\x1f');
    key_buf_.append(spell_buf_, spellings_[k.index].first,
                    spellings_[k.index].second - spellings_[k.index].first);
    std::string_view marker(key_buf_.data() + at, key_buf_.size() - at);
    if (!distinct)
      keys.push_back(marker);
    else if (!distinct_.add(keys, marker))
      key_buf_.resize(at);
  }
}

}  // namespace trendtop
