#include "util/escape.h"

#include <utf8proc.h>

namespace trendtop {

namespace {

template <class Out>
void append_bytes(Out& out, const char* p, size_t n) {
  out.append(p, p + n);
}

// The escape of one code point (or of one byte that is not UTF-8, cp < 0), or "" when it shows as it is.
template <class Out>
bool escape(Out& out, int32_t cp, unsigned char byte) {
  char buf[8];
  const char* e = nullptr;
  if (cp < 0) {
    cp = byte;
  } else if (cp == '\n') {
    e = "\\n";
  } else if (cp == '\t') {
    e = "\\t";
  } else if (cp == '\r') {
    e = "\\r";
  } else if (cp == '\\') {
    e = "\\\\";
  } else if (!(cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0))) {  // not a C0, DEL or C1 control
    return false;
  }
  if (e == nullptr) {
    static const char kHex[] = "0123456789abcdef";
    buf[0] = '\\', buf[1] = 'x', buf[2] = kHex[(cp >> 4) & 15], buf[3] = kHex[cp & 15], buf[4] = '\0';
    e = buf;
  }
  append_bytes(out, e, std::char_traits<char>::length(e));
  return true;
}

template <class Out>
void append_safe(Out& out, std::string_view s) {
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(s.data());
  auto left = static_cast<utf8proc_ssize_t>(s.size());
  while (left > 0) {
    utf8proc_int32_t cp;
    utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
    if (n <= 0) {  // not UTF-8: one byte at a time
      escape(out, -1, *p);
      n = 1;
    } else if (!escape(out, cp, 0)) {
      append_bytes(out, reinterpret_cast<const char*>(p), static_cast<size_t>(n));
    }
    p += n;
    left -= n;
  }
}

}  // namespace

void append_terminal_safe(std::string& out, std::string_view s) {
  append_safe(out, s);
}

void append_terminal_safe(fmt::memory_buffer& out, std::string_view s) {
  append_safe(out, s);
}

bool terminal_safe(std::string_view s) {
  for (size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7f || c == '\\') return false;
    if (c >= 0x80) {
      // Multi-byte: valid UTF-8 and no C1 control (C2 80..C2 9F)?
      utf8proc_int32_t cp;
      utf8proc_ssize_t n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(s.data() + i),
                                            static_cast<utf8proc_ssize_t>(s.size() - i), &cp);
      if (n <= 0 || (cp >= 0x80 && cp < 0xa0)) return false;
      i += static_cast<size_t>(n) - 1;
    }
  }
  return true;
}

}  // namespace trendtop
