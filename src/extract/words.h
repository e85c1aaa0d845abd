// Words (--keys words): a text cut into words, for "what are people talking about" beyond hashtags.
//
// A simplification of Unicode word segmentation (UAX #29) that suits tweets: a word is a run of letters,
// marks, decimal digits and connector punctuation ('_'), with an apostrophe or a full stop (' ’ . and their
// variants: Word_Break MidNumLet) kept between two word characters ("don't", "u.s", "3.5"). Scripts written
// without spaces cannot be cut into words without a dictionary: UAX #29 makes every Han ideograph and
// Hiragana character a word of its own, and those one-character "words" (particles such as の and に) would
// top every ranking of Japanese or Chinese text, so they are left out; runs of Katakana, Thai, Lao, Khmer,
// Myanmar and the like stay together as one word, and a run of one character (a base and its marks) is left
// out too. Hangul and every script written with spaces are words as usual. Marks alone (an emoji's variation
// selector U+FE0F) are no word. Also left out, so they are not
// counted twice or as noise: hashtags, mentions and cashtags (a run right after '#', '@', '$' or their
// fullwidth forms), HTML entities (Twitter's v1.1 text escapes '&', '<', '>' as &amp; &lt; &gt;), words of
// digits only, and the byte ranges the caller marks as URLs. Invalid UTF-8 bytes separate words.
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
