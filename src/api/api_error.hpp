// ApiError: every client-visible failure, mapped to the URL API's error table
// (status, machine-readable code, human message, offending parameter).
#pragma once

#include <optional>
#include <stdexcept>
#include <string>

namespace vips_edge {

struct ApiError : std::runtime_error {
  int status;
  std::string code;
  std::optional<std::string> param;

  ApiError(int status, std::string code, const std::string &message,
           std::optional<std::string> param = std::nullopt)
      : std::runtime_error(message), status(status), code(std::move(code)), param(std::move(param)) {}

  static ApiError invalid_parameter(const std::string &param, const std::string &message) {
    return {400, "invalid_parameter", message, param};
  }
  static ApiError invalid_signature(const std::string &message) { return {403, "invalid_signature", message}; }
  static ApiError presets_only(const std::string &message) { return {403, "presets_only", message, "preset"}; }
  static ApiError not_found(const std::string &message) { return {404, "not_found", message}; }
  static ApiError expired(const std::string &message) { return {410, "expired", message, "exp"}; }
  static ApiError source_too_large(const std::string &message) { return {413, "source_too_large", message}; }
  static ApiError output_too_large(const std::string &message) { return {413, "output_too_large", message}; }
  static ApiError unsupported_format(const std::string &message) { return {415, "unsupported_format", message}; }
  static ApiError undecodable_image(const std::string &message) { return {422, "undecodable_image", message}; }
  static ApiError origin_error(const std::string &message) { return {502, "origin_error", message}; }
  static ApiError origin_timeout(const std::string &message) { return {504, "origin_timeout", message}; }
  // wm's overlay could not be fetched or decoded: the configuration's fault,
  // not the URL's, and retried on a later request (never kept).
  static ApiError watermark_unavailable(const std::string &message) {
    return {500, "watermark_unavailable", message, "wm"};
  }
  static ApiError internal(const std::string &message) { return {500, "internal_error", message}; }
};

}  // namespace vips_edge
