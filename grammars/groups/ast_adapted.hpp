#pragma once

#include "grammars/groups/ast.hpp"

#include <boost/fusion/include/adapt_struct.hpp>

BOOST_FUSION_ADAPT_STRUCT(il::grammars::groups::ast::Slot, domain, bus, dev, fn)
BOOST_FUSION_ADAPT_STRUCT(il::grammars::groups::ast::Ids, vendor, device)
BOOST_FUSION_ADAPT_STRUCT(il::grammars::groups::ast::ClassPart, name, code)
BOOST_FUSION_ADAPT_STRUCT(il::grammars::groups::ast::Info, cls, description, ids, revision)
BOOST_FUSION_ADAPT_STRUCT(il::grammars::groups::ast::Member, reset, path, info)
BOOST_FUSION_ADAPT_STRUCT(il::grammars::groups::ast::GroupMember, group, member)
BOOST_FUSION_ADAPT_STRUCT(il::grammars::groups::ast::GroupSlot, group, slot)
BOOST_FUSION_ADAPT_STRUCT(il::grammars::groups::ast::R15Body, ids, reset, slot, class_name, name)
BOOST_FUSION_ADAPT_STRUCT(il::grammars::groups::ast::R15First, group, body)
