#include "status.h"

namespace assay {

Status Status::WithContext(std::string_view context) const {
  if (ok()) return *this;
  std::string message(context);
  message += ": ";
  message += message_;
  Status status(kind_, std::move(message));
  status.hint_ = hint_;
  return status;
}

Status Status::WithHint(std::string hint) const {
  if (ok()) return *this;
  Status status = *this;
  status.hint_ = std::move(hint);
  return status;
}

}  // namespace assay
