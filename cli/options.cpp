#include "cli/options.hpp"

#include <algorithm>

namespace il::cli {

std::optional<std::string> Args::get(const std::string& k) const {
    auto r = opts.equal_range(k);
    if (r.first == r.second) return std::nullopt;
    return std::prev(r.second)->second; // last one wins
}

std::vector<std::string> Args::all(const std::string& k) const {
    std::vector<std::string> v;
    auto r = opts.equal_range(k);
    for (auto it = r.first; it != r.second; ++it) v.push_back(it->second);
    return v;
}

std::size_t edit_distance(const std::string& a, const std::string& b) {
    std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        cur[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j)
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

Args parse_args(const std::vector<std::string>& argv, const std::vector<std::string>& value_opts,
                const std::vector<std::string>& flag_opts) {
    Args a;
    auto known = [](const std::vector<std::string>& v, const std::string& k) {
        return std::find(v.begin(), v.end(), k) != v.end();
    };
    bool only_inputs = false;
    for (std::size_t i = 0; i < argv.size(); ++i) {
        const std::string& s = argv[i];
        if (only_inputs || s == "-" || s.rfind("--", 0) != 0) {
            if (!only_inputs && s.size() > 1 && s[0] == '-' && s != "-") {
                // single-dash short options: only -o is known
                if (s == "-o" && known(value_opts, "o")) {
                    if (i + 1 >= argv.size()) throw UsageError("option -o needs a value");
                    a.opts.emplace("o", argv[++i]);
                    continue;
                }
                throw UsageError("unknown option " + s);
            }
            a.inputs.push_back(s);
            continue;
        }
        if (s == "--") {
            only_inputs = true;
            continue;
        }
        std::string key = s.substr(2), val;
        bool has_val = false;
        if (auto eq = key.find('='); eq != std::string::npos) {
            val = key.substr(eq + 1);
            key = key.substr(0, eq);
            has_val = true;
        }
        if (known(value_opts, key)) {
            if (!has_val) {
                if (i + 1 >= argv.size()) throw UsageError("option --" + key + " needs a value");
                val = argv[++i];
            }
            a.opts.emplace(key, val);
        } else if (known(flag_opts, key)) {
            if (has_val) throw UsageError("option --" + key + " takes no value");
            a.opts.emplace(key, "");
        } else {
            std::string best;
            std::size_t bd = 99;
            for (const auto& o : value_opts)
                if (auto d = edit_distance(o, key); d < bd) bd = d, best = o;
            for (const auto& o : flag_opts)
                if (auto d = edit_distance(o, key); d < bd) bd = d, best = o;
            throw UsageError("unknown option --" + key +
                             (bd <= 3 ? " (did you mean --" + best + "?)" : std::string()));
        }
    }
    return a;
}

} // namespace il::cli
