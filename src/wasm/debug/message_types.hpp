// The TypeScript declarations of every message between the trigger and the
// module (node/src/engine-messages.ts), from their tables, and the constants
// of the trigger's own 500 (its status, reason, code and default
// cache-control, from the C++ that builds every other error)
// (handler/message_tables.hpp). node/scripts/gen-message-types.mjs writes
// them through the test twin's _vips_edge_debug_message_types; the native
// tests read them directly.
#pragma once

#include <string>

namespace vips_edge::msg {

std::string typescript_declarations();

}  // namespace vips_edge::msg
