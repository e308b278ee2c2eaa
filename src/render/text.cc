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
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i > 0) text += ',';
    text += std::to_string(shape[i]);
  }
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

size_t DisplayWidth(std::string_view text) {
  size_t characters = 0;
  for (unsigned char c : text) characters += (c & 0xC0) != 0x80;
  return characters;
}

namespace {

// The column that a long line's later lines start at.
size_t HangingIndent(std::string_view line, size_t width) {
  size_t i = line.find_first_not_of(' ');
  if (i == std::string_view::npos) return 0;
  const size_t indent = i;
  size_t hang = 0;
  const size_t limit = width * 2 / 5;  // 32 of 80: a label, or a --help option's name
  while (i < line.size() && i <= limit) {
    const size_t run = line.find("  ", i);
    if (run == std::string_view::npos) break;
    const size_t end = line.find_first_not_of(' ', run);
    if (end == std::string_view::npos || end > limit) break;
    hang = end;
    i = end;
  }
  if (hang == 0) hang = indent + 4;
  return hang < width / 2 ? hang : indent;
}

// The offsets of `line`'s spaces a break may replace: outside 'quoted'
// spans. A quote opens after a space or '(' and closes before a space,
// punctuation or the end, so "host's" opens nothing.
std::vector<size_t> BreakPoints(std::string_view line) {
  std::vector<size_t> points;
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (c == '\'' && !quoted && (i == 0 || line[i - 1] == ' ' || line[i - 1] == '(')) {
      quoted = true;
    } else if (c == '\'' && quoted &&
               (i + 1 == line.size() || std::string_view(" ,.:;)").find(line[i + 1]) != std::string_view::npos)) {
      quoted = false;
    } else if (c == ' ' && !quoted && i > 0 && line[i - 1] != ' ') {
      points.push_back(i);
    }
  }
  return points;
}

// Linear in the line's length: a record's text may make a line of megabytes.
std::string FitLine(std::string_view line, size_t width) {
  if (DisplayWidth(line) <= width || line.ends_with('\\')) return std::string(line);
  const size_t hang = HangingIndent(line, width);
  std::vector<size_t> columns(line.size() + 1, 0);  // columns[i]: the width of line[0, i)
  for (size_t i = 0; i < line.size(); ++i) columns[i + 1] = columns[i] + ((line[i] & 0xC0) != 0x80);
  const std::vector<size_t> points = BreakPoints(line);
  std::string out;
  size_t start = 0;   // where the output line being made begins in `line`
  size_t prefix = 0;  // spaces before it
  size_t p = 0;       // the first break point not yet passed
  while (prefix + columns[line.size()] - columns[start] > width) {
    // The last break at which the line fits, else the first (a long word stands alone).
    size_t cut = std::string_view::npos;
    for (; p < points.size(); ++p) {
      if (points[p] <= start) continue;
      if (prefix + columns[points[p]] - columns[start] <= width) {
        cut = points[p];
      } else {
        if (cut == std::string_view::npos) cut = points[p];
        break;
      }
    }
    if (cut == std::string_view::npos) break;
    out.append(prefix, ' ').append(line.substr(start, cut - start));
    const size_t next = line.find_first_not_of(' ', cut);
    if (next == std::string_view::npos) return out;
    out += '\n';
    start = next;
    prefix = hang;
  }
  return out.append(prefix, ' ').append(line.substr(start));
}

}  // namespace

std::string ShellLines(std::string_view command, size_t indent, size_t width) {
  // The words, a flag ("--ledger", "-o", ">") kept with the value after it
  // where the two fit on a continuation line.
  std::vector<std::string_view> units;
  size_t begin = 0;
  std::vector<size_t> points = BreakPoints(command);
  points.push_back(command.size());
  for (size_t point : points) {
    const std::string_view word = command.substr(begin, point - begin);
    const size_t unit_begin = units.empty() ? 0 : static_cast<size_t>(units.back().data() - command.data());
    const bool follows_flag = !units.empty() && (units.back().starts_with('-') || units.back() == ">") &&
                              units.back().find(' ') == std::string_view::npos && !word.starts_with('-') &&
                              indent + 4 + DisplayWidth(command.substr(unit_begin, point - unit_begin)) + 2 <= width;
    if (follows_flag) {
      units.back() = command.substr(unit_begin, point - unit_begin);
    } else {
      units.push_back(word);
    }
    begin = point + 1;
  }
  std::string out(indent, ' ');
  size_t column = indent;
  for (size_t i = 0; i < units.size(); ++i) {
    // Room for the unit and, unless it ends the command, a later " \\".
    if (column > indent + 4 && column + 1 + DisplayWidth(units[i]) + 2 > width) {
      out += " \\\n" + std::string(indent + 4, ' ');
      column = indent + 4;
    } else if (i > 0) {
      out += ' ';
      ++column;
    }
    out += units[i];
    column += DisplayWidth(units[i]);
  }
  return out + "\n";
}

std::string FitToWidth(std::string_view text, size_t width) {
  std::string out;
  size_t begin = 0;
  bool continued = false;  // the line before ended in a backslash: this one ends a shell command
  while (begin < text.size()) {
    const size_t end = text.find('\n', begin);
    const size_t stop = end == std::string_view::npos ? text.size() : end;
    const std::string_view line = text.substr(begin, stop - begin);
    out += continued ? std::string(line) : FitLine(line, width);
    continued = line.ends_with('\\');
    if (end != std::string_view::npos) out += '\n';
    begin = stop + 1;
  }
  return out;
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
