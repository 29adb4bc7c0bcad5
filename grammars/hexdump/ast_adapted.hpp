#pragma once

#include "grammars/hexdump/ast.hpp"

#include <boost/fusion/include/adapt_struct.hpp>

BOOST_FUSION_ADAPT_STRUCT(il::grammars::hexdump::ast::Row, offset, bytes)
