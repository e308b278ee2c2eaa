// A stored tensor seen as a matrix and read in blocks of lines, decoded to
// doubles, so that forensics streams it with bounded memory.
//
// The matrix is the tensor's first (outermost) dimension by the product of
// the rest: a [out, in] weight is itself, a [out, in, kh, kw] convolution is
// out x (in kh kw), a 1-D tensor is 1 x n and a scalar 1 x 1. GGUF stores
// dimensions innermost first, so its shape is read in reverse.
//
// Lines are rows, or columns when the reader streams by columns (for a matrix
// much wider than tall, whose sketch would otherwise keep a vector per column).
#pragma once

#include <cstdint>
#include <vector>

#include "file_system.h"
#include "model/model_manifest.h"
#include "model/tensor_decode.h"
#include "status.h"

namespace assay {

struct MatrixShape {
  uint64_t rows = 1;
  uint64_t cols = 1;
};

// The matrix view of a tensor of `format` with `shape` as the file stores it.
MatrixShape MatrixShapeOf(WeightFormat format, const std::vector<uint64_t>& shape);

// Reads lines of one tensor. The file must outlive the reader; several readers
// may share a file. Not thread-safe itself: one per thread.
class TensorLineReader {
 public:
  TensorLineReader(const RandomAccessFile& file, const TensorRecord& tensor, ElementTypeInfo type,
                   MatrixShape shape, bool by_columns);

  uint64_t line_count() const { return by_columns_ ? shape_.cols : shape_.rows; }
  uint64_t line_length() const { return by_columns_ ? shape_.rows : shape_.cols; }

  // Fills `out` with lines [first, first + count), line after line, each
  // line_length() values. kIo from the file, naming it.
  Status Read(uint64_t first, uint64_t count, std::vector<double>& out);

 private:
  const RandomAccessFile& file_;
  uint64_t offset_;
  ElementTypeInfo type_;
  MatrixShape shape_;
  bool by_columns_;
  std::vector<uint8_t> bytes_;
  std::vector<double> segment_;  // by columns: one row's part, before it is scattered
};

}  // namespace assay
