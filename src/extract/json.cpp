#include "extract/json.h"

#include "extract/schema.h"

namespace trendtop {

using simdjson::error_code;
using simdjson::SUCCESS;
namespace od = simdjson::ondemand;
using namespace std::string_view_literals;

JsonPaths::JsonPaths(const Config& c) {
  const std::string* paths[4] = {&c.key_field, &c.text_field, &c.time_field, &c.user_field};
  for (int i = 0; i < 4; ++i) {
    std::string error;
    if (!paths[i]->empty()) fields_[i].set = parse_field_path(*paths[i], fields_[i].tokens, error);
  }
}

error_code JsonPaths::read(od::value root, KeyBuilder& keys, Found& found) {
  keys_ = &keys;
  found_ = &found;
  unsigned active = 0;
  for (unsigned i = 0; i < 4; ++i)
    if (fields_[i].set && !fields_[i].tokens.empty()) active |= 1u << i;
  return walk(root, 0, active);
}

// One pass over the fields the paths name. `active`: the paths that match down to `depth`.
error_code JsonPaths::walk(od::value value, size_t depth, unsigned active) {
  unsigned here = 0, deeper = 0;
  for (unsigned i = 0; i < 4; ++i) {
    if (!(active & (1u << i))) continue;
    (fields_[i].tokens.size() == depth ? here : deeper) |= 1u << i;
  }
  if (here) return take(value, here);
  od::json_type type;
  if (error_code e = value.type().get(type)) return e;
  if (type == od::json_type::object) {
    od::object object;
    if (error_code e = value.get_object().get(object)) return e;
    for (auto field : object) {
      std::string_view key;
      if (error_code e = field.unescaped_key().get(key)) return e;
      unsigned next = 0;
      for (unsigned i = 0; i < 4; ++i)
        if ((deeper & (1u << i)) && fields_[i].tokens[depth] == key) next |= 1u << i;
      if (!next) continue;
      od::value v;
      if (error_code e = field.value().get(v)) return e;
      if (error_code e = walk(v, depth + 1, next)) return e;
    }
  } else if (type == od::json_type::array) {
    od::array array;
    if (error_code e = value.get_array().get(array)) return e;
    size_t index = 0;
    for (auto item : array) {
      unsigned next = 0;
      for (unsigned i = 0; i < 4; ++i) {
        if (!(deeper & (1u << i))) continue;
        const std::string& t = fields_[i].tokens[depth];
        if (!t.empty() && t.size() <= 9 && t.find_first_not_of("0123456789") == std::string::npos &&
            (t == "0"sv || t[0] != '0') && std::stoul(t) == index)
          next |= 1u << i;
      }
      ++index;
      if (!next) continue;
      od::value v;
      if (error_code e = item.get(v)) return e;
      if (error_code e = walk(v, depth + 1, next)) return e;
    }
  }
  return SUCCESS;
}

// A value a path names: keys (a string, a number, or an array of them), text, time, user.
error_code JsonPaths::take(od::value value, unsigned targets) {
  od::json_type type;
  if (error_code e = value.type().get(type)) return e;
  std::string_view s;  // the value as a string: a string's contents, a number or boolean as written
  if (type == od::json_type::string) {
    if (error_code e = value.get_string().get(s)) return e;
  } else if (type == od::json_type::number || type == od::json_type::boolean) {
    s = value.raw_json_token();
    s = s.substr(0, s.find_last_not_of(" \t\r\n") + 1);
  } else if (type == od::json_type::array && (targets & kKeyField)) {
    od::array array;
    if (error_code e = value.get_array().get(array)) return e;
    found_->any = true;
    for (auto item : array) {
      od::value v;
      if (error_code e = item.get(v)) return e;
      od::json_type t;
      if (error_code e = v.type().get(t)) return e;
      std::string_view k;
      if (t == od::json_type::string) {
        if (error_code e = v.get_string().get(k)) return e;
      } else if (t == od::json_type::number || t == od::json_type::boolean) {
        k = v.raw_json_token();
        k = k.substr(0, k.find_last_not_of(" \t\r\n") + 1);
      } else {
        continue;
      }
      if (!k.empty()) keys_->add(0, k, KeyBuilder::Norm::Fold);
    }
    return SUCCESS;
  } else {
    return SUCCESS;  // null, or an object: nothing to take
  }
  if (targets & kKeyField) {
    found_->any = true;
    if (!s.empty()) keys_->add(0, s, KeyBuilder::Norm::Fold);
  }
  if (targets & kTextField) {
    found_->any = true;
    found_->text = s;
  }
  if (targets & kUserField) found_->user = s;
  if (targets & kTimeField) {
    if (type == od::json_type::number) {
      int64_t n;
      double d;
      if (value.get_int64().get(n) == SUCCESS)
        found_->time = parse_any_time(s);
      else if (value.get_double().get(d) == SUCCESS)
        found_->time = epoch_to_ms(d);
    } else if (type == od::json_type::string) {
      found_->time = parse_any_time(s);
    }
  }
  return SUCCESS;
}

}  // namespace trendtop
