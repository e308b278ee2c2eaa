// Building human output (docs/ARCHITECTURE.md, Renderers). Text that comes
// from records, logs and file names may hold control characters; every
// string argument of Format is shown through Printable (src/printable.h), so
// a record cannot forge an output line or send the terminal an escape
// sequence. The format strings are ours.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "printable.h"

namespace assay {

namespace render_detail {
inline std::string Shown(const char* text) { return Printable(text); }
inline std::string Shown(const std::string& text) { return Printable(text); }
inline std::string Shown(std::string_view text) { return Printable(text); }
template <typename T>
T Shown(T value) {
  return value;
}
inline const char* Raw(const std::string& text) { return text.c_str(); }
template <typename T>
T Raw(T value) {
  return value;
}
}  // namespace render_detail

// printf's formatting into a string, string arguments (std::string,
// std::string_view, const char*) shown through Printable.
template <typename... Args>
std::string Format(const char* format, const Args&... args) {
  auto shown = std::make_tuple(render_detail::Shown(args)...);
  return std::apply(
      [&](const auto&... held) {
        const int size = std::snprintf(nullptr, 0, format, render_detail::Raw(held)...);
        std::string text(static_cast<size_t>(size > 0 ? size : 0), '\0');
        std::snprintf(text.data(), text.size() + 1, format, render_detail::Raw(held)...);
        return text;
      },
      shown);
}

// "1.50 GiB", "12.0 MiB", "512 B".
std::string HumanBytes(uint64_t bytes);

// "1 file", "3 files": `count` and the noun, plural when count is not 1.
std::string Counted(uint64_t count, std::string_view singular, std::string_view plural);
// The same for a noun whose plural adds "s".
std::string Plural(uint64_t count, std::string_view noun);

// `text` broken at spaces into lines of at most `width` bytes (a word
// longer than that stands alone), the lines after the first indented by
// `indent` spaces, which count toward the width; no final line end.
std::string Wrapped(std::string_view text, size_t width, size_t indent);

// Human output fitted to `width` columns (issue 15: the terminal): each line
// longer than that is broken at spaces, its later lines indented under the
// line's value column (the end of its last run of two or more spaces within
// the first two fifths of the width, else four past its own indent). A break avoids
// 'single-quoted' spans, which are commands to copy; a word longer than the
// width stands alone; a line ending in a backslash (a shell continuation),
// and the line after it, are left whole. Width counts UTF-8 characters, not bytes.
std::string FitToWidth(std::string_view text, size_t width = 80);

// A shell command on lines of at most `width` columns, `indent` spaces before
// each: broken at spaces outside 'quotes', each line but the last ended by
// " \\", so it still runs when copied whole.
std::string ShellLines(std::string_view command, size_t indent, size_t width = 80);

// The columns `text` takes on a terminal: its UTF-8 characters ("±" is one).
size_t DisplayWidth(std::string_view text);

// Each line of `lines` (rendered text, each ended by "\n") after `spaces` spaces.
std::string Indented(std::string_view lines, size_t spaces);

// A tensor shape as "[4096,11008]".
std::string ShapeText(const std::vector<uint64_t>& shape);

}  // namespace assay
