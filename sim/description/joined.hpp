#pragma once
// Lists in text: names joined by a separator, for error messages ("expected one of a, b, c"),
// event details and file attributes.
#include <string>
#include <string_view>

namespace policysim {

// The parts in order with `separator` between them ("" for none). A part is anything a
// std::string_view can be made from (std::string, std::string_view, a C string).
template <typename Parts>
std::string joined(const Parts& parts, std::string_view separator) {
  std::string text;
  bool first = true;
  for (const auto& part : parts) {
    if (!first) text.append(separator);
    text.append(std::string_view(part));
    first = false;
  }
  return text;
}

}  // namespace policysim
