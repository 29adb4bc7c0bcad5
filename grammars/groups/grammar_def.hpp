// X3 definitions of the IOMMU group listing grammar. Included by groups.cpp only.
#pragma once

#include "grammars/groups/ast.hpp"
#include "grammars/groups/ast_adapted.hpp"
#include "grammars/groups/grammar.hpp"

namespace il::grammars::groups::parser {

using x3::lit;

// ---- lexical pieces -------------------------------------------------------------------------
const auto sp = x3::omit[+x3::ascii::blank];  // at least one blank
const auto osp = x3::omit[*x3::ascii::blank]; // optional blanks
const auto end_of_line = osp >> x3::eoi;

const x3::uint_parser<std::uint32_t, 16, 4, 6> hex_domain{};
const x3::uint_parser<unsigned, 16, 2, 2> hex2{};
const x3::uint_parser<std::uint16_t, 16, 4, 4> hex4{};
const x3::uint_parser<unsigned, 10, 1, 1> digit1{};
const x3::uint_parser<unsigned, 10, 1, 9> group_number{};

const auto iommu_word = x3::no_case[lit("iommu")];
const auto group_word = x3::no_case[lit("group")];

// ---- shared rules ---------------------------------------------------------------------------
const x3::rule<class slot_class, ast::Slot> slot = "PCI address [dddd:]bb:dd.f";
const auto slot_def = -(hex_domain >> ':') >> hex2 >> ':' >> hex2 >> '.' >> digit1;

const x3::rule<class ids_class, ast::Ids> ids = "[vendor:device] ids";
const auto ids_def = '[' >> hex4 >> ':' >> hex4 >> ']';

const x3::rule<class rev_class, unsigned> rev = "(rev xx)";
const auto rev_def = lit("(rev") >> sp >> hex2 >> ')';

const auto progif = lit("(prog-if") >> x3::omit[*(x3::char_ - ')')] >> ')';

// what may follow the names at the end of an lspci line
const auto tail = -(sp >> ids) >> -(sp >> rev) >> -(sp >> progif) >> end_of_line;

const auto class_code = lit(" [") >> hex4 >> lit("]:");
const x3::rule<class class_part_class, ast::ClassPart> class_part = "device class";
const auto class_part_def = +(x3::char_ - ':' - class_code) >> -(lit(" [") >> hex4 >> ']') >> ':' >>
                            &(x3::ascii::blank | x3::eoi);

const x3::rule<class description_class, std::string> description = "device names";
const auto description_def = *(x3::char_ - tail);

const x3::rule<class info_class, ast::Info> info = "lspci device text";
const auto info_def = -(class_part >> osp) >> description >> -(sp >> ids) >>
                      -(sp >> rev) >> x3::omit[-(sp >> progif)] >> end_of_line;

const auto path = slot % '/';

// ---- line rules -----------------------------------------------------------------------------
const iommu_header_type iommu_header = "IOMMU group header";
const auto iommu_header_def = osp >> iommu_word >> sp >> group_word >> sp >> group_number >> osp >>
                              -lit(':') >> end_of_line;

const lsgroup_header_type lsgroup_header = "### Group N ### header";
const auto lsgroup_header_def = osp >> lit("###") >> osp >> -(iommu_word >> sp) >> group_word >> sp
                                >> group_number >> osp >> lit("###") >> end_of_line;

const dmar_unit_type dmar_unit = "IOMMU unit line";
const auto dmar_unit_def = osp >> lit("IOMMU:") >> sp >>
                           +(x3::ascii::alnum | x3::char_("._:-")) >> end_of_line;

const dmar_group_type dmar_group = "IOMMU Group: N line";
const auto dmar_group_def = osp >> lit("IOMMU Group:") >> osp >> group_number >> end_of_line;

const dmar_member_type dmar_member = "Group Device line";
const auto dmar_member_def = osp >> lit("Group Device:") >> osp >> x3::attr(false) >> path >>
                             -(sp >> lit('-') >> sp >> info) >> end_of_line;

const sysfs_dir_type sysfs_dir = "sysfs group directory header";
const auto sysfs_dir_def = osp >> lit("/sys/kernel/iommu_groups/") >> group_number >>
                           lit("/devices") >> -lit('/') >> ':' >> end_of_line;

const auto ls_mode = x3::char_("l-") >> x3::repeat(9)[x3::char_("rwxsStT-")];

const sysfs_path_type sysfs_path = "sysfs group device path";
const auto sysfs_path_def =
    osp >> x3::omit[-(ls_mode >> *(x3::char_ - (x3::ascii::blank >> lit("/sys/"))) >> sp)] >>
    lit("/sys/kernel/iommu_groups/") >> group_number >> lit("/devices/") >> slot
    >> x3::omit[-(sp >> lit("->") >> *x3::char_)] >> end_of_line;

const ls_entry_type ls_entry = "ls -l device entry";
const auto ls_entry_def = osp >> x3::omit[ls_mode >> *(x3::char_ - (sp >> slot >> sp >> "->"))] >>
                          sp >> slot >> sp >> lit("->") >> x3::omit[*x3::char_];

const member_type member = "group member device line";
const auto member_def = osp >> x3::matches[lit("[RESET]")] >> osp >> path >>
                        -(sp >> info) >> end_of_line;

const one_line_type one_line = "IOMMU Group N <device> line";
const auto one_line_def = osp >> iommu_word >> sp >> group_word >> sp >> group_number >>
                          -lit(':') >> sp >> member;

const numbered_type numbered = "(N) <device> line";
const auto numbered_def = osp >> '(' >> group_number >> ')' >> sp >> member;

// r15ch13 columns: fields separated by two or more blanks (or a tab)
const auto gap = (lit(' ') >> +x3::ascii::blank) | (lit('\t') >> *x3::ascii::blank);
const x3::rule<class r15_text_class, std::string> r15_text = "column text";
const auto r15_text_def = +(x3::char_ - gap - end_of_line);
const x3::rule<class r15_body_class, ast::R15Body> r15_body = "[vvvv:dddd] [R] BDF class name";
const auto r15_body_def = ids >> sp >> x3::matches[lit("[R]")] >> osp >> slot >> sp >> r15_text >>
                          x3::omit[*gap] >> (r15_text | x3::attr(std::string())) >> end_of_line;

const r15_first_type r15_first = "Group N: [vvvv:dddd] line";
const auto r15_first_def = osp >> group_word >> sp >> group_number >> ':' >> sp >> r15_body;

const r15_more_type r15_more = "group continuation line";
const auto r15_more_def = sp >> r15_body;

const usb_type usb = "USB: line";
const auto usb_def = osp >> lit("USB:") >> sp >> ids >> x3::omit[*x3::char_];

const two_column_type two_column = "<group> <address> line";
const auto two_column_def = osp >> group_number >> sp >> slot >> end_of_line;

const address_list_type address_list = "list of PCI addresses";
const auto address_list_def = osp >> (slot % sp) >> end_of_line;

BOOST_SPIRIT_DEFINE(slot, ids, rev, class_part, description, info, iommu_header, lsgroup_header,
                    dmar_unit, dmar_group, dmar_member, sysfs_dir, sysfs_path, ls_entry, member,
                    one_line, numbered, r15_text, r15_body, r15_first, r15_more, usb, two_column,
                    address_list)

} // namespace il::grammars::groups::parser

namespace il::grammars::groups {
const parser::iommu_header_type& iommu_header() {
    return parser::iommu_header;
}
const parser::lsgroup_header_type& lsgroup_header() {
    return parser::lsgroup_header;
}
const parser::dmar_unit_type& dmar_unit() {
    return parser::dmar_unit;
}
const parser::dmar_group_type& dmar_group() {
    return parser::dmar_group;
}
const parser::dmar_member_type& dmar_member() {
    return parser::dmar_member;
}
const parser::sysfs_dir_type& sysfs_dir() {
    return parser::sysfs_dir;
}
const parser::sysfs_path_type& sysfs_path() {
    return parser::sysfs_path;
}
const parser::ls_entry_type& ls_entry() {
    return parser::ls_entry;
}
const parser::one_line_type& one_line() {
    return parser::one_line;
}
const parser::numbered_type& numbered() {
    return parser::numbered;
}
const parser::member_type& member() {
    return parser::member;
}
const parser::r15_first_type& r15_first() {
    return parser::r15_first;
}
const parser::r15_more_type& r15_more() {
    return parser::r15_more;
}
const parser::usb_type& usb() {
    return parser::usb;
}
const parser::two_column_type& two_column() {
    return parser::two_column;
}
const parser::address_list_type& address_list() {
    return parser::address_list;
}
} // namespace il::grammars::groups
