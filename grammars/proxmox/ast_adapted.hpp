#pragma once

#include "grammars/proxmox/ast.hpp"

#include <boost/fusion/include/adapt_struct.hpp>

BOOST_FUSION_ADAPT_STRUCT(il::grammars::proxmox::ast::ConfigLine, key, value)
BOOST_FUSION_ADAPT_STRUCT(il::grammars::proxmox::ast::Option, key, value)
BOOST_FUSION_ADAPT_STRUCT(il::grammars::proxmox::ast::HostId, domain, bus, dev, fn)
