#include "model/tensor_matrix.h"

#include <algorithm>
#include <span>

namespace assay {

MatrixShape MatrixShapeOf(WeightFormat format, const std::vector<uint64_t>& shape) {
  if (shape.empty()) return {1, 1};
  std::vector<uint64_t> outermost_first = shape;
  if (format == WeightFormat::kGguf) std::reverse(outermost_first.begin(), outermost_first.end());
  if (outermost_first.size() == 1) return {1, outermost_first[0]};
  MatrixShape matrix{outermost_first[0], 1};
  for (size_t i = 1; i < outermost_first.size(); ++i) matrix.cols *= outermost_first[i];
  return matrix;
}

TensorLineReader::TensorLineReader(const RandomAccessFile& file, const TensorRecord& tensor, ElementTypeInfo type,
                                   MatrixShape shape, bool by_columns)
    : file_(file), offset_(tensor.offset), type_(type), shape_(shape), by_columns_(by_columns) {}

Status TensorLineReader::Read(uint64_t first, uint64_t count, std::vector<double>& out) {
  const uint64_t length = line_length();
  out.resize(count * length);
  if (!by_columns_) {
    // Rows are contiguous: one read for the block.
    bytes_.resize(count * length * type_.bytes);
    ASSAY_RETURN_IF_ERROR(file_.ReadExactly(offset_ + first * length * type_.bytes, bytes_));
    DecodeElements(type_.type, bytes_, out);
    return Status::Ok();
  }
  // Columns [first, first + count) are one segment of every row: read each
  // segment and scatter it, so that out holds column after column.
  bytes_.resize(count * type_.bytes);
  segment_.resize(count);
  for (uint64_t row = 0; row < shape_.rows; ++row) {
    ASSAY_RETURN_IF_ERROR(file_.ReadExactly(offset_ + (row * shape_.cols + first) * type_.bytes, bytes_));
    DecodeElements(type_.type, bytes_, segment_);
    for (uint64_t j = 0; j < count; ++j) out[j * length + row] = segment_[j];
  }
  return Status::Ok();
}

}  // namespace assay
