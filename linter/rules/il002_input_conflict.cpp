// IL002: the inputs disagree with each other or were partly unusable (ingest diagnostics of
// level warning or error), one finding per input file.
#include "linter/rule.hpp"
#include "linter/rules/util.hpp"

#include <map>
#include <memory>

namespace il::linter::rules {

namespace {

class InputConflict final : public Rule {
public:
    InputConflict()
        : Rule("IL002", "input-conflict", Severity::warning,
               "the input files contradict each other (or a line could not be used): some facts "
               "may come from another boot or machine") {}

    void check(const LintContext& cx, Findings& out) const override {
        std::map<std::uint32_t, std::vector<const model::Diagnostic*>> by_file;
        for (const auto& d : cx.host.diagnostics)
            if (d.level != model::Diagnostic::Level::note) by_file[d.src.file].push_back(&d);
        for (const auto& [file, ds] : by_file) {
            const std::string name =
                file && file < cx.host.files.size() ? cx.host.files[file] : "the input";
            std::string msg = count(ds.size(), "fact", "facts") + " in " + name +
                              (ds.size() == 1 ? " disagrees" : " disagree") +
                              " with what was read before it (or could not be used); the first "
                              "value read is kept. First: " +
                              ds.front()->message + ".";
            // key: the file's name without its directory, so a moved corpus keeps its baseline
            const auto slash = name.find_last_of('/');
            auto& f = out.add(Severity::warning, msg,
                              slash == std::string::npos ? name : name.substr(slash + 1));
            for (const auto* d : ds) {
                if (f.evidence.size() == 5) break;
                bool seen = false;
                for (const auto& e : f.evidence)
                    if (e.text == d->message && e.src == d->src) seen = true;
                if (!seen) f.evidence.push_back(cx.ev(d->message, d->src));
            }
            f.fix = "Check that every file of this host comes from the same machine and the same "
                    "boot; drop or re-capture the file that disagrees (files named other-* are "
                    "read last, so the main captures win).";
        }
    }
};

} // namespace

std::unique_ptr<Rule> make_IL002() {
    return std::make_unique<InputConflict>();
}

} // namespace il::linter::rules
