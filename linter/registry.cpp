// THE list of lint rules. Add a rule here (and its file in linter/rules/, its page in
// docs/rules/<CODE>.md, its tests in tests/linter/). Codes are never reused: a retired rule's
// code stays out of this list for good.
#include "linter/registry.hpp"

#include <memory>

#define IL_LINT_RULES(X)                                                                           \
    X(IL001)                                                                                       \
    X(IL002)                                                                                       \
    X(IL003)                                                                                       \
    X(IL004)                                                                                       \
    X(IL101)                                                                                       \
    X(IL102)                                                                                       \
    X(IL103)                                                                                       \
    X(IL104)                                                                                       \
    X(IL105)                                                                                       \
    X(IL106)                                                                                       \
    X(IL107)                                                                                       \
    X(IL201)                                                                                       \
    X(IL202)                                                                                       \
    X(IL203)                                                                                       \
    X(IL301)                                                                                       \
    X(IL302)                                                                                       \
    X(IL303)                                                                                       \
    X(IL304)                                                                                       \
    X(IL401)                                                                                       \
    X(IL402)                                                                                       \
    X(IL403)                                                                                       \
    X(IL404)                                                                                       \
    X(IL501)                                                                                       \
    X(IL502)

namespace il::linter {

namespace rules {
#define IL_DECLARE_RULE(code) std::unique_ptr<Rule> make_##code();
IL_LINT_RULES(IL_DECLARE_RULE)
#undef IL_DECLARE_RULE
} // namespace rules

namespace {

struct Registry {
    std::vector<std::unique_ptr<Rule>> owned;
    std::vector<const Rule*> view;
    Registry() {
#define IL_MAKE_RULE(code) owned.push_back(rules::make_##code());
        IL_LINT_RULES(IL_MAKE_RULE)
#undef IL_MAKE_RULE
        for (const auto& r : owned) view.push_back(r.get());
    }
};

const Registry& registry() {
    static const Registry r;
    return r;
}

} // namespace

const std::vector<const Rule*>& all_rules() {
    return registry().view;
}

const Rule* find_rule(std::string_view code) {
    for (const auto* r : all_rules())
        if (r->code() == code) return r;
    return nullptr;
}

} // namespace il::linter
