// The renderer of `assay demo` (ops/demo.h): each step's title, then its
// result as the command that makes it would print it, then the commands to
// explore further.
#pragma once

#include <string>

#include "ops/demo.h"

namespace assay {

std::string RenderText(const DemoStory& story);

}  // namespace assay
