#pragma once

#include "grammars/cmdline/ast.hpp"

#include <boost/fusion/include/adapt_struct.hpp>

BOOST_FUSION_ADAPT_STRUCT(il::grammars::cmdline::ast::Token, key, value)
BOOST_FUSION_ADAPT_STRUCT(il::grammars::cmdline::ast::GrubAssign, lead, variable, value)
