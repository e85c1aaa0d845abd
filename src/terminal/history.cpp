#include "terminal/history.h"

#include <algorithm>

namespace trendtop {

int64_t WindowSummary::count_of(std::string_view key) const {
  for (const Key& k : top)
    if (k.key == key) return static_cast<int64_t>(k.count);
  return -1;
}

void History::add(const WindowResult& w) {
  if (max_ == 0) return;
  WindowSummary s;
  if (windows_.size() == max_) {  // reuse the oldest's storage
    s = std::move(windows_.front());
    windows_.pop_front();
  }
  s.start = w.start;
  s.end = w.end;
  s.records = w.records;
  s.keys = w.keys;
  s.top.resize(std::min(w.top.size(), max_keys_));
  for (size_t i = 0; i < s.top.size(); ++i) {
    const RankedKey& r = w.top[i];
    s.top[i].key.assign(r.key);
    s.top[i].display.assign(r.display.empty() ? r.key : r.display);
    s.top[i].count = r.count;
  }
  windows_.push_back(std::move(s));
}

}  // namespace trendtop
