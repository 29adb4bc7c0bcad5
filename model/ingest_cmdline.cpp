// Kernel command lines -> host.cmdline, host.params, host.kernel_version.
//
// Sources, most trusted first: /proc/cmdline (BOOT_IMAGE=... or any line that is clearly a
// command line), /etc/kernel/cmdline (systemd-boot / Proxmox: root=ZFS=... boot=zfs ...), and
// the GRUB_CMDLINE_LINUX / GRUB_CMDLINE_LINUX_DEFAULT lines of /etc/default/grub, which grub
// joins as "LINUX DEFAULT". The first command line wins; a different one later is a conflict,
// except that the running kernel's line replaces one taken from a GRUB config.
#include "grammars/cmdline/cmdline.hpp"
#include "model/ingest_detail.hpp"

#include <algorithm>

namespace il::model::detail {
namespace {

namespace c = il::grammars::cmdline;

bool seen(const Host& h, std::string_view f) {
    return std::find(h.formats_seen.begin(), h.formats_seen.end(), f) != h.formats_seen.end();
}

// Does the host's current command line come from a GRUB config (and may be replaced)?
bool cmdline_from_grub(const Host& h) {
    return h.cmdline.known() && seen(h, "grub") && !seen(h, "cmdline") &&
           h.cmdline.value->rfind("BOOT_IMAGE=", 0) != 0;
}

void replace_all(std::string& s, std::string_view from, std::string_view to) {
    for (std::size_t pos = 0, guard = 0; guard < 64; ++guard) {
        pos = s.find(from, pos);
        if (pos == std::string::npos) break;
        s.replace(pos, from.size(), to);
        pos += to.size();
    }
}

std::string trimmed(std::string_view s) {
    return std::string(text::trim(s));
}

class Cmdline {
public:
    explicit Cmdline(IngestContext& cx) : cx_(cx) {}

    void run() {
        const auto& lines = cx_.doc.lines;
        for (std::size_t i = 0; i < lines.size(); ++i) {
            if (!cx_.claims.free(i) || !cx_.has(i, shape_has_eq)) continue;
            // a GRUB assignment and a kernel command line both hold a '=' (shape_has_eq)
            const std::string_view t = lines[i].body();
            if (t.find("GRUB_CMDLINE_LINUX") != std::string_view::npos) {
                if (auto g = c::parse_grub_line(t)) {
                    grub_line(i, *g);
                    continue;
                }
                if (c::starts_like_grub_line(t))
                    cx_.fail(i, "GRUB_CMDLINE_LINUX line whose value cannot be read "
                                "(unterminated quote?)");
            }
            if (auto cl = c::parse_kernel_cmdline(t)) {
                cx_.claims.claim(i, claim_cmdline);
                proc_line(i, *cl);
            }
        }
        finish_grub();
    }

private:
    IngestContext& cx_;
    struct GrubVar {
        std::string value;
        std::size_t line = 0;
        bool set = false;
    };
    GrubVar linux_, default_;
    bool grub_hashes_ = false;
    std::size_t grub_hash_line_ = 0;

    void grub_line(std::size_t i, const c::GrubLine& g) {
        cx_.claims.claim(i, claim_cmdline);
        if (g.commented_out) return; // "#GRUB_CMDLINE_LINUX=..." is a disabled setting
        if (g.behind_hashes && !grub_hashes_) {
            grub_hashes_ = true;
            grub_hash_line_ = i;
        }
        GrubVar& v = g.is_default ? default_ : linux_;
        std::string value = g.value;
        // shell-style self references: GRUB_CMDLINE_LINUX_DEFAULT="$GRUB_CMDLINE_LINUX_DEFAULT x"
        const std::string name = g.is_default ? "GRUB_CMDLINE_LINUX_DEFAULT" : "GRUB_CMDLINE_LINUX";
        replace_all(value, "${" + name + "}", v.value);
        replace_all(value, "$" + name, v.value);
        v = {trimmed(value), i, true}; // a later assignment wins, as in the shell
    }

    void finish_grub() {
        if (!linux_.set && !default_.set) return;
        cx_.seen_format("grub");
        std::string joined = linux_.value;
        if (!default_.value.empty()) {
            if (!joined.empty()) joined += ' ';
            joined += default_.value;
        }
        const std::size_t first =
            linux_.set && (!linux_.value.empty() || !default_.set) ? linux_.line : default_.line;
        if (grub_hashes_)
            cx_.note(Diagnostic::Level::note, grub_hash_line_,
                     "GRUB command line taken from a line behind '#' (a comment or heading): it "
                     "may not be the active setting");
        std::vector<KernelParam> params;
        if (linux_.set)
            for (auto& p : split_cmdline(linux_.value, cx_.at(linux_.line))) params.push_back(p);
        if (default_.set)
            for (auto& p : split_cmdline(default_.value, cx_.at(default_.line)))
                params.push_back(p);
        Host& h = cx_.host;
        if (!h.cmdline.known()) {
            h.cmdline.set(joined, cx_.at(first));
            h.params = std::move(params);
        } else if (*h.cmdline.value != joined) {
            cx_.note(Diagnostic::Level::note, first,
                     "GRUB config gives the kernel command line \"" + joined + "\", but " +
                         h.where(h.cmdline.src) + " has \"" + *h.cmdline.value +
                         "\"; keeping the latter");
        }
    }

    void proc_line(std::size_t i, const c::CmdLine& cl) {
        Host& h = cx_.host;
        const Source s = cx_.at(i);
        if (cmdline_from_grub(h) && *h.cmdline.value != cl.text) {
            cx_.note(Diagnostic::Level::note, i,
                     "kernel command line replaces the GRUB config one from " +
                         h.where(h.cmdline.src));
            h.cmdline.set(cl.text, s);
            h.params = split_cmdline(cl.text, s);
        } else if (!h.cmdline.known()) {
            h.cmdline.set(cl.text, s);
            h.params = split_cmdline(cl.text, s);
        } else {
            merge_fact(cx_, h.cmdline, cl.text, s, nullptr, "kernel command line");
        }
        cx_.seen_format("cmdline");
        const auto& first = cl.tokens.front();
        if (first.key == "BOOT_IMAGE" && first.value)
            if (auto v = c::kernel_version_from_image(*first.value))
                merge_fact(cx_, h.kernel_version, *v, s, nullptr, "kernel version");
    }
};

} // namespace

void ingest_cmdline(IngestContext& cx) {
    Cmdline(cx).run();
}

} // namespace il::model::detail
