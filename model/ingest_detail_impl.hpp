#pragma once
// Template definitions for ingest_detail.hpp.

#include <sstream>
#include <type_traits>

namespace il::model::detail {

template <class T> std::string fact_text(const T& v) {
    if constexpr (std::is_same_v<T, std::string>) {
        return v;
    } else if constexpr (std::is_same_v<T, bool>) {
        return v ? "yes" : "no";
    } else if constexpr (std::is_integral_v<T>) {
        std::ostringstream ss;
        ss << static_cast<long long>(v);
        return ss.str();
    } else {
        return "a different value";
    }
}

template <class T>
void merge_fact(IngestContext& cx, Fact<T>& f, T v, Source s, const Bdf* dev, const char* what) {
    if (!f.known()) {
        f.set(std::move(v), s);
        return;
    }
    if constexpr (std::equality_comparable<T>) {
        if (*f.value == v) return;
        std::string msg = std::string("conflict: ") + what;
        if (dev) msg += " of " + dev->str();
        msg += " is " + fact_text(*f.value) + " at " + cx.host.where(f.src) + " but " +
               fact_text(v) + " here; keeping the first";
        cx.host.diagnostics.push_back({Diagnostic::Level::warning, s, std::move(msg)});
    }
}

} // namespace il::model::detail
