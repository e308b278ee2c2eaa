#include "cli/colour.h"

#include <unistd.h>

#include <array>
#include <cstdlib>
#include <cstring>

namespace assay::cli {
namespace {

constexpr char kRed[] = "\033[1;31m", kYellow[] = "\033[33m", kGreen[] = "\033[32m", kReset[] = "\033[0m";

struct Word {
  std::string_view text;
  const char* colour;
};

// The verdict words. Where one holds another ("NOT REPRODUCED", "REPRODUCED")
// the longer comes first, so that it wins at the same position. The bare
// lowercase "reproduced" is left out: it also reads "claimed 80, reproduced 70".
constexpr std::array kWords = {
    Word{"consistent with the same model", kGreen},
    Word{"registration time not witnessed", kYellow},
    Word{"NOT REGISTERED BEFORE THE RUN", kRed},
    Word{"no reproduction yet", kYellow},
    Word{"DIFFERENT WEIGHTS", kRed},
    Word{"POINTER MISMATCH", kRed},
    Word{"NOT REPRODUCED", kRed},
    Word{"not reproduced", kRed},
    Word{"NOT COMPARABLE", kYellow},
    Word{"not comparable", kYellow},
    Word{"different model", kRed},
    Word{"FILE MISMATCH", kRed},
    Word{"INCONCLUSIVE", kYellow},
    Word{"inconclusive", kYellow},
    Word{"NOT COUNTED", kRed},
    Word{"REPRODUCED", kGreen},
    Word{"WITHDRAWN", kRed},
    Word{"UNTRUSTED", kRed},
    Word{"DIFFERS", kRed},
    Word{"ALTERED", kRed},
    Word{"INVALID", kRed},
    Word{"FAIL", kRed},
};

bool IsWordCharacter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

}  // namespace

bool StdoutWantsColour() {
  const char* no_colour = std::getenv("NO_COLOR");
  const char* term = std::getenv("TERM");
  return ::isatty(STDOUT_FILENO) == 1 && (no_colour == nullptr || *no_colour == '\0') && term != nullptr &&
         std::strcmp(term, "dumb") != 0;
}

std::string Coloured(std::string_view text) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    const Word* found = nullptr;
    if (i == 0 || !IsWordCharacter(text[i - 1])) {
      for (const Word& word : kWords) {
        const size_t end = i + word.text.size();
        if (text.substr(i, word.text.size()) == word.text && (end == text.size() || !IsWordCharacter(text[end]))) {
          found = &word;
          break;
        }
      }
    }
    if (found == nullptr) {
      out += text[i++];
      continue;
    }
    out.append(found->colour).append(found->text).append(kReset);
    i += found->text.size();
  }
  return out;
}

}  // namespace assay::cli
