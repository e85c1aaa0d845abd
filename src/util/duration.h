// Parsing of the human quantities the command line takes: durations ("250ms", "1m30s", "2h", a bare number
// is seconds) and byte sizes ("16MiB", "64K", a bare number is bytes). Both reject anything they cannot
// read exactly: no silent rounding, no trailing junk, no overflow.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace trendtop {

// Milliseconds. Units: ms, s, m, h, d (one or more "<number><unit>" terms, decimals allowed when the result
// is a whole number of milliseconds). A bare number is seconds.
std::optional<int64_t> parse_duration(std::string_view text);

// Bytes. Suffixes: K/KB/KiB, M/MB/MiB, G/GB/GiB (all powers of 1024), or none.
std::optional<uint64_t> parse_size(std::string_view text);

// The shortest spelling parse_duration reads back to the same value, e.g. 90000 -> "1m30s".
std::string format_duration(int64_t ms);

// A wait as people read it, never rounded: 100ms, 1.6s, 30s (tenths of a second at most are shown exactly;
// finer waits are written in ms).
std::string format_wait(int64_t ms);

}  // namespace trendtop
