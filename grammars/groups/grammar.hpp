// X3 rules of the IOMMU group listing grammar (declarations; definitions in grammar_def.hpp,
// instantiated once in groups.cpp). Each rule parses one whole normalised line.
#pragma once

#include "grammars/common/x3_config.hpp"
#include "grammars/groups/ast.hpp"

namespace il::grammars::groups::parser {

namespace x3 = boost::spirit::x3;

// "IOMMU Group 3:", "IOMMU group 19", "IOMMU GROUP 0"
using iommu_header_type = x3::rule<class iommu_header_class, unsigned>;
// "### Group 17 ###"
using lsgroup_header_type = x3::rule<class lsgroup_header_class, unsigned>;
// "IOMMU: dmar3"
using dmar_unit_type = x3::rule<class dmar_unit_class, std::string>;
// "  IOMMU Group: 50"
using dmar_group_type = x3::rule<class dmar_group_class, unsigned>;
// "    Group Device: 0000:97:00.4 - <lspci text>"
using dmar_member_type = x3::rule<class dmar_member_class, ast::Member>;
// "/sys/kernel/iommu_groups/7/devices:" (ls directory header)
using sysfs_dir_type = x3::rule<class sysfs_dir_class, unsigned>;
// "/sys/kernel/iommu_groups/7/devices/0000:00:1f.2" (optionally an ls -l line)
using sysfs_path_type = x3::rule<class sysfs_path_class, ast::GroupSlot>;
// "lrwxrwxrwx 1 root root 0 ... 0000:00:1f.2 -> ../../../../devices/..." (ls -l entry)
using ls_entry_type = x3::rule<class ls_entry_class, ast::Slot>;
// "IOMMU Group 6 00:04.0 System peripheral [0880]: ..."
using one_line_type = x3::rule<class one_line_class, ast::GroupMember>;
// " (15) 03:00.0 PCI bridge [0604]: ..."
using numbered_type = x3::rule<class numbered_class, ast::GroupMember>;
// "\t00:01.0 Host bridge [0600]: ...", "[RESET]\t01:00.0 ...", "\t0000:00:1c.3/08:00.0 ..."
using member_type = x3::rule<class member_class, ast::Member>;
// "Group 10:\t[1022:790b]     00:14.0  SMBus       FCH SMBus Controller"
using r15_first_type = x3::rule<class r15_first_class, ast::R15First>;
// "\t\t[1022:790e]     00:14.3  ISA bridge  FCH LPC Bridge"
using r15_more_type = x3::rule<class r15_more_class, ast::R15Body>;
// "USB:\t\t[1d6b:0002]\t\t Bus 001 Device 001 ..."
using usb_type = x3::rule<class usb_class, ast::Ids>;
// "7 0000:00:1f.2"
using two_column_type = x3::rule<class two_column_class, ast::GroupSlot>;
// "0000:00:14.0  0000:00:14.2" (ls printing a directory in columns)
using address_list_type = x3::rule<class address_list_class, std::vector<ast::Slot>>;

BOOST_SPIRIT_DECLARE(iommu_header_type, lsgroup_header_type, dmar_unit_type, dmar_group_type,
                     dmar_member_type, sysfs_dir_type, sysfs_path_type, ls_entry_type,
                     one_line_type, numbered_type, member_type, r15_first_type, r15_more_type,
                     usb_type, two_column_type, address_list_type)

} // namespace il::grammars::groups::parser

namespace il::grammars::groups {
const parser::iommu_header_type& iommu_header();
const parser::lsgroup_header_type& lsgroup_header();
const parser::dmar_unit_type& dmar_unit();
const parser::dmar_group_type& dmar_group();
const parser::dmar_member_type& dmar_member();
const parser::sysfs_dir_type& sysfs_dir();
const parser::sysfs_path_type& sysfs_path();
const parser::ls_entry_type& ls_entry();
const parser::one_line_type& one_line();
const parser::numbered_type& numbered();
const parser::member_type& member();
const parser::r15_first_type& r15_first();
const parser::r15_more_type& r15_more();
const parser::usb_type& usb();
const parser::two_column_type& two_column();
const parser::address_list_type& address_list();
} // namespace il::grammars::groups
