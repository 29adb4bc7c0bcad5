// IOMMU group listings -> observed groups (and class, ids, names when the listing prints them).
//
// The grammar (grammars/groups) classifies single lines; this adapter keeps the block state:
// a header ("IOMMU Group N:", "### Group N ###", "IOMMU GROUP N", a sysfs directory header, a
// DMAR unit with "IOMMU Group: N" lines, an r15ch13 "Group N:" line) opens a block whose member
// lines belong to that group. Lines that carry their own group ("IOMMU Group N <device>",
// sysfs paths) need no block. "<group> <address>" two-column lines are taken only when a whole
// run of lines (between blank lines) has that shape. Device lines outside a block are left to
// the lspci adapter.
#include "grammars/groups/groups.hpp"
#include "model/ingest_detail.hpp"

#include <limits>

namespace il::model::detail {
namespace {

namespace g = il::grammars::groups;

constexpr std::size_t none = std::numeric_limits<std::size_t>::max();

enum class BlockType { header, sysfs_dir, dmar_unit, r15 };

struct Block {
    BlockType type = BlockType::header;
    std::optional<int> group;
    std::size_t last_member = none; // line index of the last member line
    std::size_t last_line = none;   // last line of that member (it may have been wrapped)
    std::string last_text;          // the member's text, wrapped parts joined
    int member_indent = -1;
    bool last_has_ids = false;
    bool last_has_rev = false;
};

Block open_block(BlockType type, std::optional<int> group) {
    Block b;
    b.type = type;
    b.group = group;
    return b;
}

class Listing {
public:
    explicit Listing(IngestContext& cx) : cx_(cx), lines_(cx.doc.lines) {}

    void run() {
        two_column_runs();
        std::optional<Block> blk;
        for (std::size_t i = 0; i < lines_.size(); ++i) {
            if (!cx_.claims.free(i)) {
                blk.reset();
                continue;
            }
            // without an open block only a line that may open one is read (an address or
            // "[RESET]" line is a member only inside a block: most lines of an lspci capture)
            if (!blk && !cx_.has(i, shape_listing)) continue;
            const std::string_view t = lines_[i].text;
            if (lines_[i].body().empty()) {
                blk.reset();
                continue;
            }
            auto pl = g::parse_line(t);
            if (!pl) {
                if (!(blk && continuation(i, *blk))) blk.reset();
                continue;
            }
            switch (pl->kind) {
            case g::Kind::group_header:
                claim(i);
                blk = open_block(pl->style == g::Style::sysfs_dir ? BlockType::sysfs_dir
                                                                  : BlockType::header,
                                 pl->group);
                break;
            case g::Kind::dmar_unit:
                claim(i);
                blk = open_block(BlockType::dmar_unit, std::nullopt);
                break;
            case g::Kind::dmar_group:
                if (blk && blk->type == BlockType::dmar_unit) {
                    claim(i);
                    blk->group = pl->group;
                    blk->last_member = none;
                } else {
                    blk.reset();
                }
                break;
            case g::Kind::device_line:
                claim(i);
                device(i, *pl->device, *pl->group);
                blk.reset();
                break;
            case g::Kind::r15_first:
                claim(i);
                device(i, *pl->device, *pl->group);
                blk = open_block(BlockType::r15, pl->group);
                break;
            case g::Kind::r15_more:
                if (blk && blk->type == BlockType::r15) {
                    claim(i);
                    device(i, *pl->device, *blk->group);
                } else {
                    blk.reset();
                }
                break;
            case g::Kind::usb:
                // USB devices of the r15ch13 format are not PCI functions: claimed, skipped
                if (blk && blk->type == BlockType::r15)
                    claim(i);
                else
                    blk.reset();
                break;
            case g::Kind::member:
                if (!(blk && member(i, *pl, *blk))) blk.reset();
                break;
            }
        }
        if (any_) cx_.seen_format("iommu-groups");
    }

private:
    IngestContext& cx_;
    const std::vector<text::Line>& lines_;
    bool any_ = false;

    void claim(std::size_t i) {
        cx_.claims.claim(i, claim_listing);
        any_ = true;
    }

    void device(std::size_t i, const g::Device& d, int group) {
        const auto b = Bdf::parse(d.bdf);
        if (!b)
            cx_.fail(i, "IOMMU group listing: '" + d.bdf +
                            "' is not a valid PCI address (device 00-1f, function 0-7)");
        const Source s = cx_.at(i);
        Device& dev = cx_.host.get_or_add(*b, s);
        dev.origins |= origin_listing;
        merge_fact(cx_, dev.observed_group, group, s, &*b, "IOMMU group");
        if (d.vendor_id) merge_fact(cx_, dev.vendor_id, *d.vendor_id, s, &*b, "vendor id");
        if (d.device_id) merge_fact(cx_, dev.device_id, *d.device_id, s, &*b, "device id");
        if (d.class_code) merge_fact(cx_, dev.class_code, *d.class_code, s, &*b, "class");
        if (d.revision) merge_fact(cx_, dev.revision, *d.revision, s, &*b, "revision");
        if (dev.class_name.empty() && !d.class_name.empty()) dev.class_name = d.class_name;
        if (dev.description.empty() && !d.description.empty()) dev.description = d.description;
    }

    // A device line inside an open block.
    bool member(std::size_t i, const g::Line& pl, Block& blk) {
        const g::Device& d = *pl.device;
        bool fits = false;
        switch (pl.style) {
        case g::Style::dmar:
            fits = blk.type == BlockType::dmar_unit;
            break;
        case g::Style::ls_entry:
            fits = blk.type == BlockType::sysfs_dir;
            break;
        case g::Style::numbered:
            fits = blk.type == BlockType::header;
            break;
        default: // plain: an lspci line under a header, or a bare address under an ls header
            fits = (blk.type == BlockType::header && d.has_text) ||
                   (blk.type == BlockType::sysfs_dir && !d.has_text);
            break;
        }
        const std::optional<int> group = pl.group ? pl.group : blk.group;
        if (!fits && group && blk.type == BlockType::sysfs_dir) {
            // ls printing the directory in columns: "0000:00:14.0  0000:00:14.2"
            const auto list = g::parse_address_list(lines_[i].text);
            if (list.empty()) return false;
            claim(i);
            for (const auto& a : list) {
                g::Device one;
                one.bdf = a;
                device(i, one, *group);
            }
            blk.last_member = none;
            return true;
        }
        if (!fits || !group) return false;
        claim(i);
        device(i, d, *group);
        blk.last_member = i;
        blk.last_line = i;
        blk.last_text = std::string(lines_[i].text);
        blk.member_indent = text::indent_of(lines_[i].text);
        blk.last_has_ids = d.vendor_id.has_value();
        blk.last_has_rev = d.revision.has_value();
        return true;
    }

    // A line inside a block that is not a listing line by itself: the end of a member line a
    // mail client wrapped (the text layer re-joins one wrapped part; what is left starts at
    // column 0 and completes the line with its "[vvvv:dddd]" ids or "(rev xx)"), or an
    // annotation indented under a member (Alex Williamson's listings print "Express Root Port
    // (Slot+)", "ACSCap: ..." under each device).
    bool continuation(std::size_t i, Block& blk) {
        if (blk.type != BlockType::header || blk.last_member == none || !blk.group) return false;
        const std::string_view t = lines_[i].text;
        const int indent = text::indent_of(t);
        if (indent == 0 && blk.last_line + 1 == i && !(blk.last_has_ids && blk.last_has_rev)) {
            const std::string joined = blk.last_text + " " + std::string(text::trim(t));
            auto pl = g::parse_line(joined);
            if (!pl || !pl->device || pl->kind != g::Kind::member) return false;
            const bool ids = pl->device->vendor_id.has_value();
            const bool rev = pl->device->revision.has_value();
            // only a part that brings the ids or the revision is taken: prose never does
            if (!((ids && !blk.last_has_ids) || (rev && !blk.last_has_rev))) return false;
            claim(i);
            device(blk.last_member, *pl->device, *blk.group);
            blk.last_text = joined;
            blk.last_line = i;
            blk.last_has_ids = ids;
            blk.last_has_rev = rev;
            return true;
        }
        if (blk.member_indent > 0 && indent > blk.member_indent) {
            claim(i);
            return true;
        }
        return false;
    }

    // "<group> <address>" lines: only a whole run between blank lines (or the document's ends)
    // counts, so that a stray "3 00:01.0" in prose is never taken.
    void two_column_runs() {
        std::size_t i = 0;
        while (i < lines_.size()) {
            if (lines_[i].body().empty()) {
                ++i;
                continue;
            }
            std::size_t j = i;
            bool all = true;
            while (j < lines_.size() && !lines_[j].body().empty()) {
                if (all && (!cx_.has(j, shape_digit_led) || !g::parse_two_column(lines_[j].text)))
                    all = false;
                ++j;
            }
            if (all) {
                for (std::size_t k = i; k < j; ++k) {
                    auto tc = g::parse_two_column(lines_[k].text);
                    claim(k);
                    g::Device d;
                    d.bdf = tc->second;
                    device(k, d, tc->first);
                }
            }
            i = j;
        }
    }
};

} // namespace

void ingest_listing(IngestContext& cx) {
    Listing(cx).run();
}

} // namespace il::model::detail
