// Decoding PCI configuration space bytes (from lspci -x/-xxx/-xxxx dumps) into device facts,
// the way pciutils' ls-caps.c / ls-ecaps.c read them.
#pragma once

#include "model/ingest_detail.hpp"
#include "model/snapshot.hpp"

#include <cstdint>
#include <vector>

namespace il::model {

// The bytes a dump showed, contiguous from offset 0 (64, 256 or 4096 bytes usually).
struct ConfigSpace {
    std::vector<std::uint8_t> bytes;
    std::size_t size() const { return bytes.size(); }
};

// Sets the device's facts from config space: ids, class, revision, header type and the
// multifunction bit (byte 0x0e), bridge bus numbers, the capability list (Express type,
// FLR, link, ARI forwarding, PM NoSoftRst, AF FLR) and, when the dump reaches 0x100, the
// extended capabilities (ACS incl. the SPT dword at ACS+8, AER, SR-IOV, ARI).
// A dump too short for extended capabilities leaves has_acs unknown and notes it.
// Facts already known from the text record are cross-checked; conflicts are reported
// through cx (the text value is kept).
void apply_config_space(detail::IngestContext& cx, Device& dev, const ConfigSpace& cs, Source src);

} // namespace il::model
