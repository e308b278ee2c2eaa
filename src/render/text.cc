#include "render/text.h"

namespace assay {

std::string HumanBytes(uint64_t bytes) {
  static const char* const kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double value = static_cast<double>(bytes);
  int unit = 0;
  while (value >= 1024 && unit < 4) {
    value /= 1024;
    ++unit;
  }
  char text[32];
  std::snprintf(text, sizeof text, unit == 0 ? "%.0f %s" : "%.2f %s", value, kUnits[unit]);
  return text;
}

std::string Counted(uint64_t count, std::string_view singular, std::string_view plural) {
  return std::to_string(count) + " " + std::string(count == 1 ? singular : plural);
}

std::string Plural(uint64_t count, std::string_view noun) { return Counted(count, noun, std::string(noun) + "s"); }

std::string ShapeText(const std::vector<uint64_t>& shape) {
  std::string text = "[";
  for (size_t i = 0; i < shape.size(); ++i) text += (i ? "," : "") + std::to_string(shape[i]);
  return text + "]";
}

std::string Wrapped(std::string_view text, size_t width, size_t indent) {
  std::string wrapped;
  size_t line_length = 0;
  while (!text.empty()) {
    const size_t space = text.find(' ');
    const std::string_view word = text.substr(0, space);
    text = space == std::string_view::npos ? std::string_view() : text.substr(space + 1);
    if (line_length > indent && line_length + 1 + word.size() > width) {
      wrapped += '\n' + std::string(indent, ' ');
      line_length = indent;
    } else if (!wrapped.empty()) {
      wrapped += ' ';
      ++line_length;
    }
    wrapped += word;
    line_length += word.size();
  }
  return wrapped;
}

std::string Indented(std::string_view lines, size_t spaces) {
  std::string out;
  size_t begin = 0;
  while (begin < lines.size()) {
    const size_t end = lines.find('\n', begin);
    const size_t stop = end == std::string_view::npos ? lines.size() : end + 1;
    out.append(spaces, ' ').append(lines.substr(begin, stop - begin));
    begin = stop;
  }
  return out;
}

}  // namespace assay
