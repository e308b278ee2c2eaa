// Text from records, logs and files, made safe to show on a terminal: a
// record is written by whoever signed it, and must not be able to forge an
// output line (a newline in a model name), move the cursor, clear the screen
// or set the window title (escape sequences), or cut a message short (NUL).
// Every human output and error shows such text through Printable; JSON
// output escapes it by JSON's own rules instead.
#pragma once

#include <string>
#include <string_view>

namespace assay {

// `text` with C0 controls (U+0000..U+001F), DEL and C1 controls
// (U+0080..U+009F) written as escapes: \n, \r, \t, \xNN for the other C0
// controls and DEL, \u0085 for C1; a byte that is not part of valid UTF-8
// is written \xNN. Everything else is kept, backslashes included.
std::string Printable(std::string_view text);

// Whether `text` holds anything Printable would escape: what a name given
// for a record may not hold.
bool HasControlCharacters(std::string_view text);

}  // namespace assay
