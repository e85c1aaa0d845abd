#include "terminal/term.h"

#include <cstring>

#include <sys/ioctl.h>
#include <unistd.h>

#include <fmt/format.h>
#include <utf8proc.h>

namespace trendtop {

bool capable_terminal(const char* term) {
  return term != nullptr && *term != '\0' && std::strcmp(term, "dumb") != 0;
}

bool use_color(ColorMode mode, bool is_tty, const char* no_color, const char* term) {
  if (mode == ColorMode::Never) return false;
  if (mode == ColorMode::Always) return true;
  if (no_color != nullptr && *no_color != '\0') return false;
  return is_tty && capable_terminal(term);
}

size_t append_clipped(std::string& out, std::string_view s, size_t columns, bool pad) {
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(s.data());
  auto left = static_cast<utf8proc_ssize_t>(s.size());
  size_t used = 0;
  while (left > 0) {
    utf8proc_int32_t cp;
    utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
    if (n <= 0) n = 1, cp = '?';
    size_t w = static_cast<size_t>(std::max(0, utf8proc_charwidth(cp)));
    if (used + w > columns) break;
    out.append(reinterpret_cast<const char*>(p), static_cast<size_t>(n));
    used += w;
    p += n;
    left -= n;
  }
  if (pad)
    for (; used < columns; ++used) out.push_back(' ');
  return used;
}

bool terminal_size(int fd, int& columns, int& rows) {
  winsize ws{};
  if (ioctl(fd, TIOCGWINSZ, &ws) != 0 || ws.ws_col == 0 || ws.ws_row == 0) return false;
  columns = ws.ws_col;
  rows = ws.ws_row;
  return true;
}

}  // namespace trendtop
