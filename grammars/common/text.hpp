// Text layer shared by every grammar: an input file normalised into numbered lines.
//
// Normalisation keeps the original line numbers, so every fact can point back to
// file:line. It removes CR, turns non-breaking spaces into spaces, strips trailing
// white space and mail quoting ("> "), decodes raw RFC-822 mails (quoted-printable,
// base64 parts) and re-joins lines that a mail client hard-wrapped.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace il::text {

std::string_view trim(std::string_view s);
int indent_of(std::string_view s);

struct Line {
    std::string_view text; // normalised content (no CR, no trailing blanks)
    std::uint32_t no = 0;  // 1-based line number in the original file
    // Its leading blanks, measured once by load() for every grammar that asks: bytes, and
    // width with tab stops of 8. no_lead: not measured (a Line made by hand, or a lead that
    // does not fit the field); then body() and indent() measure.
    static constexpr std::uint16_t no_lead = 0xffff;
    std::uint16_t lead = no_lead;
    std::uint16_t width = 0;

    // The text without its leading and trailing blanks.
    std::string_view body() const { return lead != no_lead ? text.substr(lead) : trim(text); }
    int indent() const { return lead != no_lead ? int(width) : indent_of(text); }
};

struct Document {
    Document() = default;
    Document(Document&&) = default;
    Document& operator=(Document&&) = default;
    Document(const Document&) = delete; // lines point into storage
    Document& operator=(const Document&) = delete;

    std::string name;                 // path as given, or "<stdin>"
    std::vector<Line> lines;          // views into storage
    bool decoded_mail = false;        // the file was a raw mail and was decoded
    std::vector<std::string> storage; // owns the text the lines point into
};

// Thrown for input that cannot be used at all (binary data, ...).
struct InputError : std::runtime_error {
    std::string file;
    std::uint32_t line;
    InputError(std::string f, std::uint32_t l, const std::string& what)
        : std::runtime_error(what), file(std::move(f)), line(l) {}
};

// True when the bytes are not text (NUL bytes, or mostly control bytes).
bool looks_binary(std::string_view raw);

// Builds a Document. Throws InputError for binary input.
Document load(std::string name, std::string_view raw);
// The same, cleaning the text in the buffer of `raw` (no copy of a large input).
Document load_owned(std::string name, std::string raw);

// Asks the kernel to back a large, not yet touched buffer with huge pages where it can
// (Linux THP in "madvise" mode): one page fault per 2 MiB instead of per 4 KiB while a big
// capture is read and split. A no-op for small buffers and elsewhere.
void prefer_huge_pages(void* data, std::size_t bytes);

// Which grammar used which line. 0 = nobody yet.
class Claims {
public:
    explicit Claims(std::size_t n) : owner_(n, 0) {}
    bool free(std::size_t i) const { return owner_[i] == 0; }
    void claim(std::size_t i, std::uint8_t who) { owner_[i] = who; }
    std::uint8_t owner(std::size_t i) const { return owner_[i]; }
    std::size_t size() const { return owner_.size(); }
    std::size_t claimed() const;

private:
    std::vector<std::uint8_t> owner_;
};

// Helpers used by several grammars.
std::string_view trim_left(std::string_view s);
// Leading white space width (tab counts 8). (Declared above Line.)
// True when the line begins like a record of some format (used to decide whether
// a hard-wrapped mail line continues on the next line).
bool looks_like_record_start(std::string_view s);

} // namespace il::text
