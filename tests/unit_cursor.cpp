#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "extract/cursor.h"

using namespace trendtop;
using simdjson::SUCCESS;

namespace {

// The document with simdjson's padding after it, as the framer hands lines over.
struct Doc {
  std::string bytes;
  json::Parser parser;
  json::Value root;
  simdjson::error_code error;
  explicit Doc(const std::string& json) : bytes(json + std::string(simdjson::SIMDJSON_PADDING, ' ')) {
    error = parser.parse(bytes.data(), json.size(), root);
  }
};

// Every field of the root object as key=value (strings unescaped, other values as their raw token), the
// walk's error appended when there is one.
std::vector<std::string> fields(const std::string& json) {
  Doc d(json);
  std::vector<std::string> out;
  json::Object o;
  if (d.error || d.root.get_object(o)) return {"error"};
  simdjson::error_code e = o.each([&](std::string_view k, json::Value& v) -> simdjson::error_code {
    json::Type t;
    if (simdjson::error_code te = v.type(t)) return te;
    std::string_view s;
    if (t == json::Type::String) {
      if (simdjson::error_code se = v.get_string(s)) return se;
      out.push_back(std::string(k) + "=" + std::string(s));
    } else {
      out.push_back(std::string(k) + "~" + std::string(v.raw_json_token()));  // left: skipped
    }
    return SUCCESS;
  });
  if (e) out.push_back("error");
  return out;
}

using V = std::vector<std::string>;

}  // namespace

TEST_CASE("cursor: fields in order, values left are skipped whole", "[cursor]") {
  CHECK(fields(R"({"a":"x","b":{"c":[1,{"d":"}"}],"e":"]"},"f":"y"})") == V{"a=x", R"(b~{)", "f=y"});
  CHECK(fields(R"({})") == V{});
  CHECK(fields(R"({ "a" : "x" , "b" : [ ] , "c" : "z" })") == V{"a=x", "b~[ ", "c=z"});
}

TEST_CASE("cursor: keys as written, strings unescaped or viewed in place", "[cursor]") {
  CHECK(fields(R"({"k\"q":"a\nb","plain":"\u00e9\ud83d\ude00"})") ==
        V{"k\\\"q=a\nb", "plain=\xc3\xa9\xf0\x9f\x98\x80"});
  Doc d(R"({"s":"no escape"})");
  json::Object o;
  REQUIRE(d.root.get_object(o) == SUCCESS);
  std::string_view got;
  REQUIRE(o.each([&](std::string_view, json::Value& v) { return v.get_string(got); }) == SUCCESS);
  CHECK(got == "no escape");
  CHECK(got.data() == d.bytes.data() + 6);  // a view into the document itself
}

TEST_CASE("cursor: broken structure on the path read is an error", "[cursor]") {
  CHECK(fields(R"({"a":,"b":"x"})") == V{"error"});            // a value missing
  CHECK(fields(R"({"a":"x" "b":"y"})") == V{"a=x", "error"});  // a comma missing
  CHECK(fields(R"({"a" "x"})") == V{"error"});                 // a colon missing
  CHECK(fields(R"({"a":[1,2)") == V{"a~[", "error"});          // never closed
  CHECK(fields(R"({"a":"x",})") == V{"a=x", "error"});         // a trailing comma
  CHECK(fields(R"({"a":"\x"})") == V{"error"});                // a bad escape, in a string read
  // A subtree left unread is only bracket-counted.
  CHECK(fields(R"({"a":[1 2,{"x" 3}],"b":"y"})") == V{"a~[", "b=y"});
}

TEST_CASE("cursor: scalars", "[cursor]") {
  Doc d(R"({"i":-1609486140658,"big":99999999999999999999,"f":1.5,"z":01,"n":null,"t":true,"s":"7"})");
  json::Object o;
  REQUIRE(d.root.get_object(o) == SUCCESS);
  std::vector<std::string> got;
  REQUIRE(o.each([&](std::string_view k, json::Value& v) -> simdjson::error_code {
    int64_t n;
    bool null;
    json::Type t;
    REQUIRE(v.type(t) == SUCCESS);
    std::string r(k);
    if (v.get_int64(n) == SUCCESS) r += " int " + std::to_string(n);
    if (v.is_null(null) == SUCCESS && null) r += " null";
    if (t == json::Type::Boolean) r += " bool";
    if (t == json::Type::Number) r += " number";
    got.push_back(r);
    return SUCCESS;
  }) == SUCCESS);
  CHECK(got ==
        V{"i int -1609486140658 number", "big number", "f number", "z number", "n null", "t bool", "s"});
}

TEST_CASE("cursor: arrays, and a second document in the same parser", "[cursor]") {
  Doc d(R"([[1,2],{"a":"b"},"c",3])");
  json::Array a;
  REQUIRE(d.root.get_array(a) == SUCCESS);
  std::vector<std::string> got;
  REQUIRE(a.each([&](json::Value& v) -> simdjson::error_code {
    std::string_view s;
    if (v.get_string(s) == SUCCESS) got.push_back(std::string(s));
    return SUCCESS;
  }) == SUCCESS);
  CHECK(got == V{"c"});
  std::string second = std::string(R"({"x":"y"})") + std::string(simdjson::SIMDJSON_PADDING, ' ');
  json::Value root;
  REQUIRE(d.parser.parse(second.data(), 9, root) == SUCCESS);
  json::Object o;
  REQUIRE(root.get_object(o) == SUCCESS);
  std::string_view y;
  REQUIRE(o.each([&](std::string_view, json::Value& v) { return v.get_string(y); }) == SUCCESS);
  CHECK(y == "y");
  CHECK(root.get_array(a) == simdjson::INCORRECT_TYPE);
}

TEST_CASE("cursor: stage 1's errors", "[cursor]") {
  CHECK(Doc("").error != SUCCESS);
  CHECK(Doc(R"({"a":"unclosed})").error != SUCCESS);
  CHECK(Doc("{\"a\":\"\xff\"}").error != SUCCESS);  // invalid UTF-8
}
