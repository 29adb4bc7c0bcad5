#pragma once

#include "grammars/kernel_log/ast.hpp"

#include <boost/fusion/include/adapt_struct.hpp>

BOOST_FUSION_ADAPT_STRUCT(il::grammars::kernel_log::ast::Prefix, level, style, seconds, kernel)
BOOST_FUSION_ADAPT_STRUCT(il::grammars::kernel_log::ast::PciAddr, domain, bus, dev, fn)
BOOST_FUSION_ADAPT_STRUCT(il::grammars::kernel_log::ast::DevicePrefix, driver, has_addr, addr, name)
