#pragma once

#include "grammars/lspci_tree/ast.hpp"

#include <boost/fusion/include/adapt_struct.hpp>

BOOST_FUSION_ADAPT_STRUCT(il::grammars::lspci_tree::ast::Root, domain, bus)
BOOST_FUSION_ADAPT_STRUCT(il::grammars::lspci_tree::ast::Range, secondary, subordinate)
BOOST_FUSION_ADAPT_STRUCT(il::grammars::lspci_tree::ast::Bridge, dev, fn, range)
BOOST_FUSION_ADAPT_STRUCT(il::grammars::lspci_tree::ast::Leaf, dev, fn)
BOOST_FUSION_ADAPT_STRUCT(il::grammars::lspci_tree::ast::Step, connector, node)
BOOST_FUSION_ADAPT_STRUCT(il::grammars::lspci_tree::ast::Line, prefix, lead, root, steps, tail)
BOOST_FUSION_ADAPT_STRUCT(il::grammars::lspci_tree::ast::Ids, vendor, device)
