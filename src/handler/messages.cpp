// Reading and writing the messages between the trigger and the module, from
// their tables (message_tables.hpp).
#include "handler/messages.hpp"

#include "handler/message_tables.hpp"

namespace vips_edge::msg {

namespace {

using json = nlohmann::json;
using schema::read;
using schema::write;

// error_handler_t::replace: log messages quote bytes we do not control
// (nlohmann's parse_error text echoes the offending input byte, libvips
// errors may quote file contents), and a plain dump() throws type_error 316
// on invalid UTF-8. Found by fuzz/fuzz_event.cpp (tests/regressions/event/).
std::string dump(const json &j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

}  // namespace

std::string to_text(const PlanReply &reply) { return dump(write(reply)); }
std::string to_text(const FinishReply &reply) { return dump(write(reply)); }
std::string to_text(const Failed &failed) { return dump(write(failed)); }

FetchOutcome read_fetch_outcome(std::string_view text) { return read<FetchOutcome>(strict::parse(text)); }

CodecOutcome read_codec_outcome(std::string_view text) { return read<CodecOutcome>(strict::parse(text)); }

}  // namespace vips_edge::msg
