// PLACEHOLDER until the config space decoder lands.
#include "model/configspace.hpp"

namespace il::model {
void apply_config_space(detail::IngestContext& cx, Device& dev, const ConfigSpace& cs, Source src) {
    (void)cx; (void)dev; (void)cs; (void)src;
}
} // namespace il::model
