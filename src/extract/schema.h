// Helpers for the stream formats other than Twitter's v1.1 (--schema): their time formats, Mastodon's HTML
// content, and --schema json's field paths. Nothing here allocates once the output buffers have grown.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace trendtop {

// RFC 3339 / ISO 8601 as the APIs write it: "2021-09-22T16:25:51.000Z", "2026-07-04T14:38:02+00:00",
// "2026-07-04T14:38:06.240Z"; fractional seconds (any number of digits, truncated to milliseconds), 'Z' or an
// offset (+HH:MM or +HHMM); 't', 'z' and a space for 'T' are accepted too.
std::optional<int64_t> parse_rfc3339(std::string_view text);

// An epoch time in unknown units, by magnitude: below 10^11 seconds (up to the year 5138), below 10^14
// milliseconds, below 10^17 microseconds, else nanoseconds. Fractions are kept to the millisecond.
std::optional<int64_t> epoch_to_ms(double value);
// --schema json's time values as strings: a decimal epoch time (units as above), RFC 3339, or Twitter's
// created_at format.
std::optional<int64_t> parse_any_time(std::string_view text);

// Mastodon's content: HTML to text. Tags are removed (<br> and </p> become a newline so that words on either
// side stay apart), and the character references &amp; &lt; &gt; &quot; &#39; &apos; &nbsp; &#NNN; &#xHH;
// are decoded (others are kept as written). Appends to out.
void html_to_text(std::string_view html, std::string& out);

// A JSON Pointer (RFC 6901: "/user/id", "~1" is '/', "~0" is '~') or a dotted path ("user.id") as its
// reference tokens. False (with a reason) when it is neither.
bool parse_field_path(std::string_view path, std::vector<std::string>& tokens, std::string& error);

}  // namespace trendtop
