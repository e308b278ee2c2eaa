#include "status.h"

namespace assay {

Status Status::WithContext(std::string_view context) const {
  if (ok()) return *this;
  std::string message(context);
  message += ": ";
  message += message_;
  return Status(kind_, std::move(message));
}

}  // namespace assay
