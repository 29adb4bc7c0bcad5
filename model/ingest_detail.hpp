// Internal contract between the ingest driver and the per-format adapters
// (model/ingest_<format>.cpp). Each adapter runs its grammar over the lines of one
// document that no earlier adapter claimed, claims the lines it understood, and
// merges what it found into the host, every fact with its Source.
#pragma once

#include "grammars/common/text.hpp"
#include "model/ingest.hpp"
#include "model/snapshot.hpp"

#include <cstdint>
#include <string>

namespace il::model::detail {

// Claim owners, in the order the adapters run.
enum ClaimOwner : std::uint8_t {
    claim_none = 0,
    claim_listing = 1, // IOMMU group listings
    claim_log = 2,     // dmesg / journalctl -k / syslog / kmsg
    claim_cmdline = 3, // /proc/cmdline, grub, /etc/kernel/cmdline
    claim_proxmox = 4, // qemu-server VM config
    claim_tree = 5,    // lspci -t
    claim_lspci = 6,   // lspci records (verbose, terse, -k, hex rows)
    claim_prompt = 7,  // shell prompt / command lines
};

// What one pass over a document saw of each line's shape, so that an adapter visits only
// the lines it could read (a capture is mostly lspci bodies or hex rows: every other adapter
// would otherwise touch every line). Each bit is a necessary condition taken from an
// adapter's grammar, never a decision: the grammar still reads the line.
enum LineShape : std::uint8_t {
    shape_blank = 1,      // nothing but blanks
    shape_hex_row = 2,    // a config-space row "OO: xx xx ..." (grammars/hexdump)
    shape_has_eq = 4,     // holds '=' (every command line and GRUB assignment does)
    shape_tree_head = 8,  // first non-blank '-' (an lspci -t head line "-[0000:00]-")
    shape_vm_config = 16, // starts with a-z or '#' at column 0 (a VM config key or comment)
    shape_listing = 32,   // first non-blank may open an IOMMU group listing (groups grammar)
    shape_digit_led = 64, // first non-blank is a decimal digit ("<group> <address>" lines)
};
std::vector<std::uint8_t> line_shapes(const text::Document& doc);

struct IngestContext {
    Host& host;
    std::uint32_t file; // index into host.files
    const text::Document& doc;
    text::Claims& claims;
    const std::vector<std::uint8_t>& shapes; // line_shapes(doc)

    bool has(std::size_t line_index, LineShape s) const { return (shapes[line_index] & s) != 0; }

    Source at(std::size_t line_index) const { return {file, doc.lines[line_index].no}; }
    // Record a note/warning/conflict for the user (ingest continues).
    void note(Diagnostic::Level lvl, std::size_t line_index, std::string msg) const {
        host.diagnostics.push_back({lvl, at(line_index), std::move(msg)});
    }
    // Unusable input: throws IngestError("file:line: msg").
    [[noreturn]] void fail(std::size_t line_index, const std::string& msg) const {
        throw IngestError(doc.name + ":" + std::to_string(doc.lines[line_index].no) + ": " + msg);
    }
    void seen_format(const std::string& f) const;
};

// Adapters (one file each).
void ingest_listing(IngestContext& cx);
void ingest_kernel_log(IngestContext& cx);
void ingest_cmdline(IngestContext& cx);
void ingest_proxmox(IngestContext& cx);
void ingest_tree(IngestContext& cx);
void ingest_lspci(IngestContext& cx);

// Merge helper: sets f to v unless it already holds a different value, in which case a
// conflict diagnostic naming both sources is recorded and the first value is kept.
template <class T>
void merge_fact(IngestContext& cx, Fact<T>& f, T v, Source s, const Bdf* dev, const char* what);

// Parses "key[=value] ..." kernel command lines into params (quotes respected).
std::vector<KernelParam> split_cmdline(std::string_view line, Source src);

} // namespace il::model::detail

#include "model/ingest_detail_impl.hpp"
