// --schema text: every line is a post's text, as a producer that sends only tweet['text'] writes them.
// Keys are found in it by twitter-text's rules (or split, in split mode); there is no time (arrival time)
// and no author.
#include "extract/extract.h"

namespace trendtop {

void Extractor::extract_text(std::string_view line, Record& out) {
  out.kind = Record::Kind::Tweet;
  out.text = line;
  if (!passes_filters(out.text, {}, false)) {
    out.kind = Record::Kind::Filtered;
    return;
  }
  if (mode_ == ExtractMode::Split) {
    count_post(Post{}, 0, out);  // the line is the text: scan_.top is unset
    return;
  }
  key_builder_.from_text(line, keys_);
  key_builder_.finish(out.keys, out.user, distinct_);
}

}  // namespace trendtop
