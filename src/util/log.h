// Messages for people, on stderr, one line each: "trendtop: <what>" for news (a source ended, a producer
// was refused) and "trendtop: error: <what>" for failures. The exit status says the rest.
#pragma once
#include <cstdio>
#include <string_view>

#include <fmt/format.h>

namespace trendtop {

inline void warn(std::string_view what) {
  fmt::print(stderr, "trendtop: {}\n", what);
}
inline void error(std::string_view what) {
  fmt::print(stderr, "trendtop: error: {}\n", what);
}

}  // namespace trendtop
