// The text layer every format goes through: normalisation, mail decoding, line joining.
#include "fuzz_util.hpp"
#include "grammars/common/text.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto raw = il::fuzz::as_text(data, size);
    (void)il::text::looks_binary(raw);
    try {
        const auto doc = il::text::load("fuzz.txt", raw);
        std::uint32_t last = 0;
        for (const auto& l : doc.lines) {
            if (l.no < last) __builtin_trap(); // line numbers never go back
            last = l.no;
            (void)il::text::trim(l.text);
            (void)il::text::indent_of(l.text);
            (void)il::text::looks_like_record_start(l.text);
        }
    } catch (const il::text::InputError&) {
        // binary input: a clean refusal
    }
    return 0;
}
