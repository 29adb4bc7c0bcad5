// gen-lspci: writes the generated server host of bench/gen_lspci.hpp.
//
//   gen-lspci [--functions N] [--no-groups] [--no-kernel] KIND      one file to stdout
//   gen-lspci [--functions N] [--no-groups] [--no-kernel] --out DIR all files into DIR
//
// KIND: text (lspci -vvv -nn -D), hex (lspci -D -xxxx), tree (lspci -tvnn), listing (IOMMU
// groups), dmesg, cmdline, proxmox, ids (pci.ids entries for `lspci -i`).
#include "gen_lspci.hpp"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

namespace {

int usage() {
    std::fputs("usage: gen-lspci [--functions N] [--no-groups] [--no-kernel] "
               "(KIND | --out DIR)\n"
               "KIND: text hex tree listing dmesg cmdline proxmox ids\n",
               stderr);
    return 2;
}

bool write(std::FILE* f, std::string_view s) {
    return std::fwrite(s.data(), 1, s.size(), f) == s.size();
}

bool emit(const il::bench::GenHost& h, const il::bench::LspciGenOptions& opt, std::string_view kind,
          std::FILE* out) {
    using namespace il::bench;
    const Sink sink = [&](std::string_view p) { write(out, p); };
    if (kind == "text")
        write_lspci_text(h, opt, sink);
    else if (kind == "hex")
        write_lspci_hex(h, sink);
    else if (kind == "tree")
        write(out, lspci_tree(h));
    else if (kind == "listing")
        write(out, iommu_listing(h));
    else if (kind == "dmesg")
        write(out, kernel_log(h));
    else if (kind == "cmdline")
        write(out, kernel_cmdline());
    else if (kind == "proxmox")
        write(out, proxmox_config(h, 101));
    else if (kind == "ids")
        write(out, pci_ids());
    else
        return false;
    return std::ferror(out) == 0;
}

} // namespace

int main(int argc, char** argv) {
    il::bench::LspciGenOptions opt;
    std::string out_dir, kind;
    for (int i = 1; i < argc; ++i) {
        const std::string_view a = argv[i];
        if (a == "--functions" && i + 1 < argc) {
            char* end = nullptr;
            opt.functions = std::strtoull(argv[++i], &end, 10);
            if (!end || *end || opt.functions == 0) return usage();
        } else if (a == "--no-groups") {
            opt.iommu_groups = false;
        } else if (a == "--no-kernel") {
            opt.kernel_lines = false;
        } else if (a == "--out" && i + 1 < argc) {
            out_dir = argv[++i];
        } else if (!a.empty() && a[0] != '-' && kind.empty()) {
            kind = a;
        } else {
            return usage();
        }
    }
    if (out_dir.empty() == kind.empty()) return usage();
    const auto host = il::bench::plan_host(opt);
    if (!kind.empty()) {
        if (!emit(host, opt, kind, stdout)) return usage();
        return 0;
    }
    const struct {
        const char* file;
        const char* kind;
    } files[] = {
        {"lspci-vvv.txt", "text"},           {"lspci-xxxx.txt", "hex"}, {"lspci-tvnn.txt", "tree"},
        {"iommu-groups.txt", "listing"},     {"dmesg.txt", "dmesg"},    {"cmdline.txt", "cmdline"},
        {"qemu-server-101.conf", "proxmox"}, {"pci.ids", "ids"}};
    for (const auto& f : files) {
        const std::string path = out_dir + "/" + f.file;
        std::FILE* out = std::fopen(path.c_str(), "wb");
        if (!out) {
            std::fprintf(stderr, "gen-lspci: %s: %s\n", path.c_str(), std::strerror(errno));
            return 1;
        }
        const bool ok = emit(host, opt, f.kind, out);
        if (std::fclose(out) != 0 || !ok) {
            std::fprintf(stderr, "gen-lspci: %s: write failed\n", path.c_str());
            return 1;
        }
    }
    std::fprintf(stderr, "gen-lspci: %zu functions, %zu domains, %zu IOMMU groups -> %s\n",
                 host.functions.size(), host.domains, host.groups, out_dir.c_str());
    return 0;
}
