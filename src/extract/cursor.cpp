#include "extract/cursor.h"

#include <cstring>

namespace trendtop::json {

using simdjson::SUCCESS;

namespace {

// The depth change of a structural character: what skipping adds up, without a branch on the character.
struct DepthTable {
  int8_t delta[256] = {};
  DepthTable() {
    delta[static_cast<uint8_t>('{')] = delta[static_cast<uint8_t>('[')] = 1;
    delta[static_cast<uint8_t>('}')] = delta[static_cast<uint8_t>(']')] = -1;
  }
};
const DepthTable kDepth;

// simdjson's string unescaping. 3.0.1 (Debian 12) has parse_string(src, dst); later releases added a third
// parameter (allow_replacement: whether a lone surrogate becomes U+FFFD; false is 3.0.1's behaviour).
template <class Impl>
uint8_t* parse_string(const Impl& impl, const uint8_t* src, uint8_t* dst) {
  if constexpr (requires { impl.parse_string(src, dst, false); })
    return impl.parse_string(src, dst, false);
  else
    return impl.parse_string(src, dst);
}

bool is_terminator(uint8_t c) {  // what may follow a literal or a number
  return c == ',' || c == '}' || c == ']' || c == ':' || c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
         c == 0;
}

}  // namespace

Parser::Parser() {
  if (simdjson::get_active_implementation()->create_dom_parser_implementation(0, simdjson::DEFAULT_MAX_DEPTH,
                                                                              impl_))
    impl_.reset();
}

error_code Parser::parse(const char* buf, size_t len, Value& root) {
  if (!impl_) return simdjson::MEMALLOC;
  if (len > 0xFFFFFFFFu - simdjson::SIMDJSON_PADDING) return simdjson::CAPACITY;
  if (impl_->capacity() < len)
    if (error_code e = impl_->set_capacity(len)) return e;
  // Unescaped strings are never longer than their escaped form: the record's size bounds them all.
  if (strings_capacity_ < len + simdjson::SIMDJSON_PADDING) {
    strings_capacity_ = len + simdjson::SIMDJSON_PADDING;
    strings_.reset(new uint8_t[strings_capacity_]);
  }
  strings_end_ = strings_.get();
  buf_ = reinterpret_cast<const uint8_t*>(buf);
  if (error_code e = impl_->stage1(buf_, len, simdjson::stage1_mode::regular)) return e;
  index_ = impl_->structural_indexes.get();
  n_ = impl_->n_structural_indexes;
  if (n_ == 0) return simdjson::EMPTY;
  pos_ = 0;
  root = Value(this, 0);
  return SUCCESS;
}

error_code Parser::unescape(std::string_view raw, std::string_view& out) {
  if (raw.empty() || std::memchr(raw.data(), '\\', raw.size()) == nullptr) {
    out = raw;
    return SUCCESS;
  }
  // Each string of the record is unescaped at most once, so the record's size bounds them all; simdjson
  // writes past the end in wide stores (the padding), from a library the sanitizers do not instrument, so
  // the bound is checked here rather than trusted.
  if (static_cast<size_t>(strings_.get() + strings_capacity_ - strings_end_) <
      raw.size() + simdjson::SIMDJSON_PADDING)
    return simdjson::CAPACITY;
  uint8_t* end = parse_string(*impl_, reinterpret_cast<const uint8_t*>(raw.data()), strings_end_);
  if (end == nullptr) return simdjson::STRING_ERROR;
  out =
      std::string_view(reinterpret_cast<const char*>(strings_end_), static_cast<size_t>(end - strings_end_));
  strings_end_ = end;
  return SUCCESS;
}

error_code Parser::unescape(std::string_view raw, std::string& buf, std::string_view& out) const {
  if (raw.empty() || std::memchr(raw.data(), '\\', raw.size()) == nullptr) {
    out = raw;
    return SUCCESS;
  }
  if (!impl_) return simdjson::MEMALLOC;
  if (buf.size() < raw.size() + simdjson::SIMDJSON_PADDING)
    buf.resize(raw.size() + simdjson::SIMDJSON_PADDING);
  auto* dst = reinterpret_cast<uint8_t*>(buf.data());
  uint8_t* end = parse_string(*impl_, reinterpret_cast<const uint8_t*>(raw.data()), dst);
  if (end == nullptr) return simdjson::STRING_ERROR;
  out = std::string_view(buf.data(), static_cast<size_t>(end - dst));
  return SUCCESS;
}

error_code Parser::skip_container(uint32_t i) {
  // Add up depth changes until the bracket that closes this one.
  const uint32_t* p = index_ + i + 1;
  const uint32_t* end = index_ + n_;
  int depth = 1;
  while (p < end) {
    depth += kDepth.delta[buf_[*p++]];
    if (depth == 0) {
      pos_ = static_cast<uint32_t>(p - index_);
      return SUCCESS;
    }
  }
  return simdjson::TAPE_ERROR;  // not enough closing brackets
}

error_code Value::type(Type& out) const {
  switch (p_->at(i_)) {
    case '{':
      out = Type::Object;
      return SUCCESS;
    case '[':
      out = Type::Array;
      return SUCCESS;
    case '"':
      out = Type::String;
      return SUCCESS;
    case 't':
    case 'f':
      out = Type::Boolean;
      return SUCCESS;
    case 'n':
      out = Type::Null;
      return SUCCESS;
    case '-':
    case '0':
    case '1':
    case '2':
    case '3':
    case '4':
    case '5':
    case '6':
    case '7':
    case '8':
    case '9':
      out = Type::Number;
      return SUCCESS;
    default:
      return simdjson::TAPE_ERROR;
  }
}

std::string_view Value::raw_json_token() const {
  const char* b = reinterpret_cast<const char*>(p_->buf_);
  return std::string_view(b + p_->index_[i_], p_->index_[i_ + 1] - p_->index_[i_]);
}

error_code Value::raw_string(std::string_view& out) {
  if (p_->at(i_) != '"') return simdjson::INCORRECT_TYPE;
  // The closing quote is the last quote before the next structural position (only spaces between).
  const char* b = reinterpret_cast<const char*>(p_->buf_);
  const char* begin = b + p_->index_[i_] + 1;
  const char* end = b + p_->index_[i_ + 1];
  while (*--end != '"') {
  }
  out = std::string_view(begin, static_cast<size_t>(end - begin));
  p_->pos_ = i_ + 1;
  return SUCCESS;
}

error_code Value::get_string(std::string_view& out) {
  std::string_view raw;
  if (error_code e = raw_string(raw)) return e;
  return p_->unescape(raw, out);
}

error_code Value::get_int64(int64_t& out) {
  const uint8_t* s = p_->buf_ + p_->index_[i_];
  bool negative = *s == '-';
  s += negative;
  if (*s < '0' || *s > '9') return negative ? simdjson::NUMBER_ERROR : simdjson::INCORRECT_TYPE;
  if (*s == '0' && s[1] >= '0' && s[1] <= '9') return simdjson::NUMBER_ERROR;  // a leading zero
  uint64_t v = 0;
  int digits = 0;
  while (*s >= '0' && *s <= '9') {
    v = v * 10 + static_cast<uint64_t>(*s++ - '0');
    if (++digits > 19) return simdjson::NUMBER_ERROR;
  }
  if (!is_terminator(*s)) return simdjson::NUMBER_ERROR;  // a fraction, an exponent, or junk
  if (v > static_cast<uint64_t>(INT64_MAX) + negative) return simdjson::NUMBER_ERROR;
  out = negative ? static_cast<int64_t>(0 - v) : static_cast<int64_t>(v);
  p_->pos_ = i_ + 1;
  return SUCCESS;
}

error_code Value::is_null(bool& out) {
  const uint8_t* s = p_->buf_ + p_->index_[i_];
  out = std::memcmp(s, "null", 4) == 0 && is_terminator(s[4]);
  if (out) p_->pos_ = i_ + 1;
  return SUCCESS;
}

error_code Value::get_object(Object& out) {
  if (p_->at(i_) != '{') return simdjson::INCORRECT_TYPE;
  out.p_ = p_;
  out.i_ = i_ + 1;
  return SUCCESS;
}

error_code Value::get_array(Array& out) {
  if (p_->at(i_) != '[') return simdjson::INCORRECT_TYPE;
  out.p_ = p_;
  out.i_ = i_ + 1;
  return SUCCESS;
}

}  // namespace trendtop::json
