#include "model/ingest.hpp"
#include "model/json.hpp"

#include <iostream>
#include <string>
#include <vector>

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty()) {
        std::cerr << "usage: iommu-lint parse INPUT...\n";
        return 2;
    }
    try {
        std::vector<std::string> inputs(args.begin() + 1, args.end());
        auto snap = il::model::ingest_paths(inputs);
        std::cout << il::model::to_json(snap).dump(2) << "\n";
    } catch (const std::exception& e) {
        std::cerr << "iommu-lint: " << e.what() << "\n";
        return 2;
    }
    return 0;
}
