#pragma once
// Positional access to the repeated fields of a ModelProto that edits change, by serialized bytes,
// so a change record can restore any of them without knowing its message type.
#include "core/edit/changerecord.h"

#include <onnx/onnx_pb.h>
#include <string>

namespace qs {

int sectionSize(const onnx::ModelProto& model, ProtoSection section);
std::string entryBytes(const onnx::ModelProto& model, ProtoSection section, int index);
// Each throws Error when the index is out of range or the bytes do not parse (a record applied to
// the wrong document).
void replaceEntry(onnx::ModelProto& model, ProtoSection section, int index, const std::string& bytes);
void insertEntry(onnx::ModelProto& model, ProtoSection section, int index, const std::string& bytes);
void eraseEntry(onnx::ModelProto& model, ProtoSection section, int index);

} // namespace qs
