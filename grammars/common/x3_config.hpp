// One iterator and context type for every X3 grammar (as in Spirit's rexpr example):
// a rule declared with BOOST_SPIRIT_DECLARE and instantiated with
// BOOST_SPIRIT_INSTANTIATE must be called with exactly these types, or it fails to link.
#pragma once

#include <boost/spirit/home/x3.hpp>

#include <string_view>

namespace il::grammars {
namespace x3 = boost::spirit::x3;

// Grammars parse one normalised line (or a small run of lines) at a time.
using iterator_type = std::string_view::const_iterator;
// Lines are parsed with blanks (space, tab) skipped between tokens.
using skipper_type = x3::ascii::blank_type;
using phrase_context_type = x3::phrase_parse_context<skipper_type>::type;
// Grammars that handle white space themselves use the plain context.
using plain_context_type = x3::unused_type;

} // namespace il::grammars
