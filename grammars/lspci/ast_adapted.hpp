#pragma once

#include "grammars/lspci/ast.hpp"

#include <boost/fusion/include/adapt_struct.hpp>

BOOST_FUSION_ADAPT_STRUCT(il::grammars::lspci::ast::SlotAddr, domain, bus, dev, fn)
BOOST_FUSION_ADAPT_STRUCT(il::grammars::lspci::ast::IdPair, vendor, device)
BOOST_FUSION_ADAPT_STRUCT(il::grammars::lspci::ast::ProgIf, value, name)
BOOST_FUSION_ADAPT_STRUCT(il::grammars::lspci::ast::Tail, ids, rev, prog_if)
BOOST_FUSION_ADAPT_STRUCT(il::grammars::lspci::ast::NamesTail, names, tail)
BOOST_FUSION_ADAPT_STRUCT(il::grammars::lspci::ast::NamedHeader, path, class_name, class_code, rest)
BOOST_FUSION_ADAPT_STRUCT(il::grammars::lspci::ast::NumericHeader, path, class_code, ids, rev,
                          prog_if)
BOOST_FUSION_ADAPT_STRUCT(il::grammars::lspci::ast::CapHeader, offset, version, name)
BOOST_FUSION_ADAPT_STRUCT(il::grammars::lspci::ast::ExpressCap, version, type, slot)
BOOST_FUSION_ADAPT_STRUCT(il::grammars::lspci::ast::LinkCapLine, port, speed, width)
BOOST_FUSION_ADAPT_STRUCT(il::grammars::lspci::ast::LinkStaLine, speed, speed_marker, width,
                          width_marker)
BOOST_FUSION_ADAPT_STRUCT(il::grammars::lspci::ast::BusLine, primary, secondary, subordinate)
BOOST_FUSION_ADAPT_STRUCT(il::grammars::lspci::ast::VfLine, initial, total, num)
BOOST_FUSION_ADAPT_STRUCT(il::grammars::lspci::ast::InvalidClass, class_code, header_type)
BOOST_FUSION_ADAPT_STRUCT(il::grammars::lspci::ast::FlagToken, name, sign)
