// Turning saved text into host snapshots.
#pragma once

#include "model/snapshot.hpp"

#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace il::model {

// Unusable input. what() reads "file:line: what is wrong".
struct IngestError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct FileInput {
    std::string name;            // path as given ("<stdin>" for -)
    std::string content;         // raw bytes
    bool from_directory = false; // found by walking a directory (unrecognised files are skipped)
};

// Builds one host from the given files. Throws IngestError on unusable input.
Host ingest_host(std::string host_name, const std::vector<FileInput>& files);
// The same, consuming the files' contents (each is cleaned in its own buffer: no copy).
Host ingest_host(std::string host_name, std::vector<FileInput>&& files);

// A whole file's bytes, read in blocks into a buffer of the file's size; nullopt when the
// file cannot be opened. (Every command reads its files through this.)
std::optional<std::string> read_file(const std::filesystem::path& p);

// Command-line inputs: each directory is one host; all file arguments and "-" (stdin)
// together form one further host. Throws IngestError.
Snapshot ingest_paths(const std::vector<std::string>& args);

} // namespace il::model
