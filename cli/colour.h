// Verdicts in colour on a terminal (issue 15, item 2): red for what failed or
// differs, yellow for what is unsettled, green for what holds. Only main
// decides whether stdout gets colour: a terminal, without NO_COLOR
// (no-color.org) and with a TERM other than "dumb"; pipes and files never do.
#pragma once

#include <string>
#include <string_view>

namespace assay::cli {

// Whether this process's stdout should get colour, from its environment.
bool StdoutWantsColour();

// `text` (rendered output, already Printable) with each verdict word wrapped
// in its ANSI colour. Words match whole, longest first ("not reproduced"
// before "reproduced").
std::string Coloured(std::string_view text);

}  // namespace assay::cli
