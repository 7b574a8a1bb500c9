// What the C ABI files share: the handler, the transform threads and the way
// a result gets back to JavaScript.
#pragma once

#include <memory>
#include <string>

#include "handler/handler.hpp"
#include "wasm/transform_threads.hpp"

namespace vips_edge::wasm {

// Set by vips_edge_init; null until then.
std::unique_ptr<Handler> &handler();
TransformThreads &transform_threads();

// A malloc'd copy the caller frees with _free (NULL if malloc failed).
char *to_c_string(const std::string &s);

// What a transform-thread job returns: hands `result` (malloc'd, may be NULL)
// to Module.onVipsEdgeResult(token, result) on the thread that owns the module.
TransformThreads::Report reporter(int token, char *result);

}  // namespace vips_edge::wasm
