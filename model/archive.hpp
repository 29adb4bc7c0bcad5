// Reading a capture archive (tools/iommu-capture.sh writes one): gzip (zlib) and the tar
// format (ustar, GNU long names, pax path records), in memory, with bounded sizes. Members are
// returned as files; nothing is written to disk.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace il::model {

struct ArchiveMember {
    std::string name;    // path inside the archive, normalised ("./" and "//" removed)
    std::string content; // the member's bytes
};

struct ArchiveLimits {
    std::size_t max_member_bytes = 64u << 20; // one member
    std::size_t max_total_bytes = 256u << 20; // all members (and the decompressed tar)
    std::size_t max_members = 4096;           // regular files
    std::size_t max_headers = 20000;          // headers of any kind (directories, links, ...)
};

// True when the path names an archive by its suffix: .tar.gz, .tgz, .tar (case-insensitive).
bool is_archive_name(std::string_view path);
// True when the bytes start like a gzip stream (1f 8b) or hold a ustar header.
bool looks_like_archive(std::string_view bytes);

// Decompresses a gzip stream (concatenated members allowed). Throws IngestError
// ("<what>: ...") when the stream is corrupt, truncated, or grows beyond max_out bytes.
std::string gunzip(std::string_view data, std::size_t max_out, const std::string& what);

// The regular files of a tar archive, in archive order. Directories, links and devices are
// skipped. Throws IngestError on a corrupt header (checksum), a truncated member, a member
// path that is absolute or contains "..", or a limit exceeded.
std::vector<ArchiveMember> read_tar(std::string_view data, const std::string& what,
                                    const ArchiveLimits& limits = {});

// gzip-compressed or plain tar, told apart by content.
std::vector<ArchiveMember> read_archive(std::string_view bytes, const std::string& what,
                                        const ArchiveLimits& limits = {});

} // namespace il::model
