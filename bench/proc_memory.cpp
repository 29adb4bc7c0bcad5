#include "proc_memory.hpp"

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

namespace il::bench {

std::size_t proc_status_kib(const char* key) {
    std::ifstream in("/proc/self/status");
    std::string line;
    const std::size_t n = std::strlen(key);
    while (std::getline(in, line))
        if (line.compare(0, n, key) == 0) return std::strtoull(line.c_str() + n, nullptr, 10);
    return 0;
}

} // namespace il::bench
