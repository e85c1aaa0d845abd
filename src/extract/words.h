// Words (--keys words): a text cut into words, for "what are people talking about" beyond hashtags.
//
// A simplification of Unicode word segmentation (UAX #29) that suits tweets: a word is a run of letters,
// marks, decimal digits and connector punctuation ('_'), with an apostrophe or a full stop (' ’ . and their
// variants: Word_Break MidNumLet) kept between two word characters ("don't", "u.s", "3.5"); Han ideographs
// and Hiragana are words of one character each, as UAX #29 leaves them (no dictionary); Katakana runs stay
// together. Left out, so they are not counted twice or as noise: hashtags, mentions and cashtags (a run right
// after '#', '@', '$' or their fullwidth forms), HTML entities (Twitter's v1.1 text escapes '&', '<', '>' as
// &amp; &lt; &gt;), words of digits only, and the byte ranges the caller marks as URLs. Invalid UTF-8 bytes
// separate words.
#pragma once
#include <cstddef>
#include <string_view>
#include <utility>
#include <vector>

namespace trendtop {

// The words of `text`, in order, as views into it (out is cleared first; no allocation once it has grown).
// `skip` holds byte ranges [begin, end) to leave out, sorted by begin.
void split_words(std::string_view text, const std::vector<std::pair<size_t, size_t>>& skip,
                 std::vector<std::string_view>& out);

// A built-in list of English stop words ("the", "and", "is", ...), lower case, sorted.
const std::vector<std::string_view>& english_stopwords();

}  // namespace trendtop
