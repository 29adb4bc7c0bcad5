// The board corpus (corpus/boards/<name>/board.json + snapshot.json): records the tool writes
// from recordings, and what a buyer wants to know from one: groups as shipped and with each
// override mode, and which slots give an isolated group for a GPU, an NVMe drive or an HBA.
#pragma once

#include "linter/lint.hpp"
#include "model/snapshot.hpp"
#include "model/topology.hpp"
#include "report/tree.hpp"
#include "sim/grouping.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace il::report {

// board.json. Unknown values are empty optionals (written as null).
struct BoardMeta {
    static constexpr int format_version = 1;
    std::string name; // folder name, <vendor>-<board>
    std::optional<std::string> vendor, board, chipset, socket, bios, kernel;
    // where the recording came from
    std::optional<std::string>
        source_corpus; // e.g. "hosts/asus-pn51-e1" in ../shared/corpus, or "tools/oracle"
    std::optional<std::string> citation; // who published it, where
    std::vector<std::string> urls;
    std::vector<std::string> files; // recording files the snapshot was made from (relative)
    std::vector<std::string> notes;
};
nlohmann::json to_json(const BoardMeta& m);
// Throws std::runtime_error with a message naming `what` on a malformed document.
BoardMeta board_meta_from_json(const nlohmann::json& j, const std::string& what);

struct Board {
    BoardMeta meta;
    model::Host host;
    std::filesystem::path dir;
};

// Board folders below `dir` (those holding a board.json), sorted by name.
std::vector<std::string> board_names(const std::filesystem::path& dir);
// Loads <dir>/<name>/board.json and snapshot.json. Throws std::runtime_error.
Board load_board(const std::filesystem::path& dir, const std::string& name);

// The override modes shown for every board.
const std::vector<std::string>&
override_modes(); // "downstream", "multifunction", "downstream,multifunction"

enum class SlotUse { gpu, nvme, hba };
std::string_view to_string(SlotUse u);

// A root port or switch downstream port, judged as a place for a device to pass through.
struct SlotCandidate {
    std::size_t port = 0;
    std::string contents; // "empty", "holds 01:00.0 VGA compatible controller ..."
    bool empty = false;
    sim::Tri isolated =
        sim::Tri::unknown; // every bridge from the port up isolates (ACS), as shipped
    std::string why; // the first bridge that does not isolate, and why; or "ACS on the whole path"
    Lanes lanes = Lanes::unknown;
    std::string capable; // the port's link capability, "x16 16GT/s" ("" unknown)
    std::optional<std::string> slot;
};

struct ModeResult {
    std::string mode; // "downstream", ...
    sim::SimResult result;
    std::size_t splits = 0;       // groups of the shipped partition that the mode splits
    std::size_t logical_only = 0; // of those, splits that rest on the override (not hardware)
};

struct BoardAnalysis {
    sim::SimResult shipped; // as booted, without pcie_acs_override
    std::vector<ModeResult> modes;
    std::vector<SlotCandidate> gpu, nvme, hba;
    bool topology_known = true; // bridges' bus numbers were in the recording
    std::vector<std::string> notes;
    linter::HostReport lint; // every rule, on the recording as booted
};

// The policy "as shipped": the recording's kernel (else the board's kernel, else the newest
// known), no pcie_acs_override.
sim::Policy shipped_policy(const Board& b);
BoardAnalysis analyse_board(const Board& b, const model::Topology& t);

void board_list_text(std::ostream& os, const std::vector<Board>& boards);
nlohmann::json board_list_json(const std::vector<Board>& boards);
void board_show_text(std::ostream& os, const Board& b, const model::Topology& t,
                     const BoardAnalysis& a);
nlohmann::json board_show_json(const Board& b, const model::Topology& t, const BoardAnalysis& a);
void board_compare_text(std::ostream& os, const Board& a, const model::Topology& ta,
                        const BoardAnalysis& aa, const Board& b, const model::Topology& tb,
                        const BoardAnalysis& ab);

} // namespace il::report
