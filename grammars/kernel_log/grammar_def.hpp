#pragma once

#include "grammars/kernel_log/ast.hpp"
#include "grammars/kernel_log/ast_adapted.hpp"
#include "grammars/kernel_log/grammar.hpp"

#include <boost/fusion/include/at_c.hpp>

#include <cstdint>
#include <string>

namespace il::grammars::kernel_log {
namespace parser {

namespace ascii = x3::ascii;
using ascii::alnum;
using ascii::alpha;
using ascii::char_;
using ascii::digit;
using ascii::graph;
using ascii::upper;
using ascii::xdigit;
using boost::fusion::at_c;
using x3::attr;
using x3::int_;
using x3::lexeme;
using x3::lit;
using x3::omit;
using x3::raw;
using x3::uint_;

// ---------------------------------------------------------------- numbers

// "1.234567": digits, a dot and digits; no sign, no exponent, no bare integer (so a
// footnote marker "[1]" is never taken for a timestamp).
template <class T> struct stamp_policies : x3::ureal_policies<T> {
    static bool const allow_leading_dot = false;
    static bool const allow_trailing_dot = false;
    static bool const expect_dot = true;
    template <class It> static bool parse_exp(It&, It const&) { return false; }
};
x3::real_parser<double, stamp_policies<double>> const seconds_num = {};
x3::uint_parser<std::uint64_t, 10> const usec_num = {};
x3::uint_parser<unsigned, 16, 4, 6> const hex_domain = {};
x3::uint_parser<unsigned, 16, 2, 2> const hex2 = {};
x3::uint_parser<unsigned, 16, 1, 2> const hex1_2 = {};
x3::uint_parser<unsigned, 16, 4, 4> const hex4 = {};
x3::uint_parser<unsigned, 16, 6, 6> const hex6 = {};
x3::uint_parser<unsigned, 10, 1, 1> const fn_digit = {};
x3::uint_parser<unsigned, 10, 1, 2> const dec1_2 = {};
x3::uint_parser<unsigned, 10, 2, 2> const dec2 = {};
x3::uint_parser<unsigned, 10, 4, 4> const dec4 = {};

// ---------------------------------------------------------------- word tables

struct month_table : x3::symbols<unsigned> {
    month_table() {
        add("Jan", 1)("Feb", 2)("Mar", 3)("Apr", 4)("May", 5)("Jun", 6)("Jul", 7)("Aug", 8)(
            "Sep", 9)("Oct", 10)("Nov", 11)("Dec", 12);
    }
} const month;

struct weekday_table : x3::symbols<unsigned> {
    weekday_table() { add("Mon", 1)("Tue", 2)("Wed", 3)("Thu", 4)("Fri", 5)("Sat", 6)("Sun", 7); }
} const weekday;

// dmesg -x: "kern  :info  : "
struct facility_table : x3::symbols<unsigned> {
    facility_table() {
        add("kern", 0)("user", 1)("mail", 2)("daemon", 3)("auth", 4)("syslog", 5)("lpr", 6)(
            "news", 7)("uucp", 8)("cron", 9)("authpriv", 10)("ftp", 11)("local0", 16)("local1", 17)(
            "local2", 18)("local3", 19)("local4", 20)("local5", 21)("local6", 22)("local7", 23);
    }
} const facility;

struct level_table : x3::symbols<int> {
    level_table() {
        add("emerg", 0)("alert", 1)("crit", 2)("err", 3)("warn", 4)("notice", 5)("info", 6)("debug",
                                                                                            7);
    }
} const level_word;

struct severity_table : x3::symbols<ast::AerSeverity> {
    severity_table() {
        using S = ast::AerSeverity;
        add("Corrected", S::corrected)("Correctable", S::corrected)(
            "Uncorrected (Non-Fatal)", S::nonfatal)("Uncorrectable (Non-Fatal)", S::nonfatal)(
            "Uncorrected (Fatal)", S::fatal)("Uncorrectable (Fatal)", S::fatal);
    }
} const severity;

// Fixed IOMMU/ACS messages, matched as a prefix of the message body.
struct iommu_note_table : x3::symbols<ast::IommuNote> {
    iommu_note_table() {
        using N = ast::IommuNote;
        add("DMAR: IOMMU enabled", N::intel_requested)("Intel-IOMMU: enabled", N::intel_requested)(
            "DMAR: Intel-IOMMU force enabled", N::intel_forced)(
            "DMAR: IOMMU disabled", N::intel_off)("Intel-IOMMU: disabled", N::intel_off)(
            "DMAR: Disable GFX device mapping", N::intel_gfx_off)(
            "DMAR: Host address width", N::intel_table)("DMAR: DRHD base:", N::intel_table)(
            "ACPI: DMAR ", N::intel_table)("ACPI: Reserving DMAR table", N::intel_table)(
            "DMAR: Parse DMAR table failure",
            N::intel_table_failure)("DMAR-IR: Enabled IRQ remapping in", N::intel_ir_on)(
            "Enabled IRQ remapping in", N::intel_ir_on)("DMAR-IR: IRQ remapping was enabled on",
                                                        N::intel_ir_left_on)(
            "x2apic: IRQ remapping doesn't support X2APIC mode", N::x2apic_without_ir)(
            "DMAR: Intel(R) Virtualization Technology for Directed I/O", N::intel_active)(
            "DMAR: [Firmware Bug]", N::intel_firmware_bug)("ACPI: IVRS ", N::amd_table)(
            "ACPI: Reserving IVRS table", N::amd_table)("AMD-Vi: Found IOMMU", N::amd_found)(
            "AMD-Vi: Interrupt remapping enabled",
            N::amd_ir_on)("AMD-Vi: AMD IOMMUv2 loaded and initialized", N::amd_v2_loaded)(
            "AMD-Vi: IOMMU performance counters supported",
            N::amd_perf)("perf/amd_iommu: Detected AMD IOMMU",
                         N::amd_perf)("AMD-Vi: Lazy IO/TLB flushing enabled", N::amd_active)(
            "AMD-Vi: Initialized for Passthrough Mode",
            N::amd_active)("PCI-DMA: Using software bounce buffering for IO (SWIOTLB)",
                           N::swiotlb)("Warning: PCIe ACS overrides enabled", N::acs_override)(
            "Intel PCH root port ACS workaround enabled",
            N::pch_acs_ok)("Intel SPT PCH root port ACS workaround enabled", N::pch_acs_ok)(
            "Failed to enable Intel PCH ACS quirk", N::pch_acs_failed);
    }
} const iommu_note;

// Subsystem tags that mark a message as a kernel message even when iommu-lint has no
// use for it (lets dmesg -t lines be recognised by their shape).
struct subsystem_table : x3::symbols<unsigned> {
    subsystem_table() {
        add("DMAR:", 0)("DMAR-IR:", 0)("dmar:", 0)("Intel-IOMMU:", 0)("AMD-Vi:", 0)("iommu:", 0)(
            "PCI-DMA:", 0)("perf/amd_iommu:", 0)("x2apic:", 0)("vfio_pci:", 0)("vfio-pci:", 0)(
            "pci_bus ", 0)("PCI:", 0)("pciehp", 0)("AER:", 0)("DPC:", 0)("ACPI: DMAR",
                                                                         0)("ACPI: IVRS", 0);
    }
} const subsystem;

// ---------------------------------------------------------------- line prefix

x3::rule<struct level_class, int> const level = "printk level";
x3::rule<struct level_or_none_class, int> const level_or_none = "optional printk level";
x3::rule<struct caller_class> const caller_id = "printk caller id";
x3::rule<struct mono_stamp_class, double> const mono_stamp = "dmesg timestamp";
x3::rule<struct delta_stamp_class> const delta_stamp = "dmesg -d delta";
x3::rule<struct ctime_stamp_class> const ctime_stamp = "dmesg -T timestamp";
x3::rule<struct human_stamp_class> const human_stamp = "dmesg -H timestamp";
x3::rule<struct iso_time_class> const iso_time = "ISO 8601 time";
x3::rule<struct syslog_time_class> const syslog_time = "syslog time";
x3::rule<struct host_class> const host = "host name";
x3::rule<struct tag_class> const tag = "syslog tag";
line_prefix_type const line_prefix = "kernel log line prefix";

// "<4>" (dmesg -r) or "kern  :warn  : " (dmesg -x)
auto const level_def = lexeme['<' >> int_ >> '>'] | (omit[facility] >> ':' >> level_word >> ':');
auto const level_or_none_def = level | attr(-1);
// CONFIG_PRINTK_CALLER: "[    T1]" / "[   C12]"
auto const caller_id_def = lit('[') >> lexeme[char_("TC") >> +digit] >> ']';
// "[    1.234567]", "[ 15.049948]", dmesg -d "[    1.234567 <    0.000123>]"
auto const mono_stamp_def =
    lit('[') >> seconds_num >> omit[-('<' >> seconds_num >> '>')] >> ']' >> omit[-caller_id];
// dmesg --time-format=delta alone: "[<    0.000123>]"
auto const delta_stamp_def = lit('[') >> '<' >> seconds_num >> '>' >> ']';
// "[Sat Nov 21 12:00:00 2026]"
auto const ctime_stamp_def = lit('[') >> weekday >> month >> dec1_2 >>
                             lexeme[dec2 >> ':' >> dec2 >> ':' >> dec2] >> dec4 >> ']';
// "[Nov21 12:00]" or "[  +0.000123]"
auto const human_stamp_def = lit('[') >> ((lexeme[month >> dec1_2] >> lexeme[dec2 >> ':' >> dec2]) |
                                          ('+' >> seconds_num)) >>
                             ']';
// "2026-11-21T12:00:00,123456+01:00", "2021-01-01T23:30:53.123456Z", "...+0100"
auto const iso_time_def =
    lexeme[dec4 >> '-' >> dec2 >> '-' >> dec2 >> 'T' >> dec2 >> ':' >> dec2 >> ':' >> dec2 >>
           -(char_(",.") >> +digit) >> -(char_('Z') | (char_("+-") >> dec2 >> -lit(':') >> dec2))];
// "Jan  1 23:30:53", "Nov 21 12:00:00.123456" or ISO
auto const syslog_time_def =
    (month >> dec1_2 >> lexeme[dec2 >> ':' >> dec2 >> ':' >> dec2 >> -('.' >> +digit)]) | iso_time;
// host names never contain ':' (so "clocksource: tsc: ..." is no host and tag)
auto const host_def = lexeme[+(graph - ':')] >> !lit(':');
// "kernel:", "systemd[1]:", "libvirtd[1234]:"
auto const tag_def = lexeme[alpha >> *(alnum | char_("-_./@")) >> -('[' >> +digit >> ']') >> ':'];

// Each alternative yields the four Prefix fields (level, style, seconds, kernel).
auto const line_prefix_def =
    // kmsg dictionary continuation " SUBSYSTEM=pci" (first: the other alternatives skip
    // leading blanks even when they fail)
    (attr(-1) >> omit[x3::no_skip[lit(' ') >> +(upper | digit | char_('_')) >> '=']] >>
     attr(ast::Style::kmsg_field) >> attr(-1.0) >> attr(true))
    // /dev/kmsg: "6,339,5140900,-;" (further comma fields such as caller=T1 allowed)
    | lexeme[int_ >> ',' >> omit[usec_num] >> ',' >> attr(ast::Style::kmsg) >> usec_num >> ',' >>
             omit[char_("-c+")] >> omit[*(',' >> *(char_ - char_(",;")))] >> ';' >> attr(true)]
    // journalctl markers
    | (attr(-1) >> omit[lit("--") >> (lit("Logs begin at") | "Journal begins at" | "Boot" |
                                      "No entries" | "Reboot")] >>
       attr(ast::Style::journal_marker) >> attr(-1.0) >> attr(false))
    // kern.log / syslog with the kernel's own timestamp
    | (attr(-1) >> omit[syslog_time >> host] >> lit("kernel:") >> attr(ast::Style::syslog) >>
       mono_stamp >> attr(true))
    // journalctl -k
    | (attr(-1) >> omit[syslog_time >> host] >> lit("kernel:") >> attr(ast::Style::journal) >>
       attr(-1.0) >> attr(true))
    // journal/syslog line of another program
    | (attr(-1) >> omit[syslog_time >> host >> tag] >> attr(ast::Style::journal) >> attr(-1.0) >>
       attr(false))
    // dmesg --time-format=iso
    | (attr(-1) >> omit[iso_time] >> attr(ast::Style::dmesg_iso) >> attr(-1.0) >> attr(true))
    // dmesg -T
    | (level_or_none >> omit[ctime_stamp] >> attr(ast::Style::dmesg_ctime) >> attr(-1.0) >>
       attr(true))
    // dmesg -H
    | (level_or_none >> omit[human_stamp] >> attr(ast::Style::dmesg_human) >> attr(-1.0) >>
       attr(true))
    // journalctl -o short-monotonic: "[   46.675818] host kernel: msg"
    | (level_or_none >> attr(ast::Style::journal) >> mono_stamp >> omit[host] >> lit("kernel:") >>
       attr(true))
    // plain dmesg
    | (level_or_none >> attr(ast::Style::dmesg) >> mono_stamp >> attr(true)) |
    (level_or_none >> omit[delta_stamp] >> attr(ast::Style::dmesg) >> attr(-1.0) >> attr(true))
    // a printk level and no time
    | (level >> attr(ast::Style::printk) >> attr(-1.0) >> attr(true));

BOOST_SPIRIT_DEFINE(level, level_or_none, caller_id, mono_stamp, delta_stamp, ctime_stamp,
                    human_stamp, iso_time, syslog_time, host, tag, line_prefix)

// ---------------------------------------------------------------- device prefix

x3::rule<struct pci_addr_class, ast::PciAddr> const pci_addr = "PCI address";
x3::rule<struct driver_name_class, std::string> const driver_name = "driver name";
x3::rule<struct ifname_class, std::string> const ifname = "interface name";
device_prefix_type const device_prefix = "device prefix";

// "0000:00:1c.0" (domain 4-6 hex digits) or "00:1c.0"
auto const pci_addr_def =
    lexeme[(hex_domain >> ':' | attr(0u)) >> hex2 >> ':' >> hex2 >> '.' >> fn_digit >> !xdigit];
auto const driver_name_def = lexeme[alpha >> *(alnum | char_("-_./"))];
auto const ifname_def = lexeme[alpha >> *(alnum | char_("-_.@"))];
// The driver name is a container attribute: an alternative that failed half-way would
// leave its characters behind, so each alternative is first checked by a look-ahead.
auto const pci_device_prefix = driver_name >>
                               attr(true) >> lexeme[pci_addr >> omit[-(lit(":pcie") >> +digit)]] >>
                               (ifname | attr(std::string())) >> ':';
auto const named_device_prefix = (x3::string("nvme") >> attr(false) >> attr(ast::PciAddr{}) >>
                                  raw[lexeme[lit("nvme") >> +digit]] >> ':') |
                                 (x3::string("iommu") >> attr(false) >> attr(ast::PciAddr{}) >>
                                  raw[lexeme[lit("ivhd") >> +digit]] >> ':');
auto const device_prefix_def =
    (&pci_device_prefix >> pci_device_prefix) | (&named_device_prefix >> named_device_prefix);

BOOST_SPIRIT_DEFINE(pci_addr, driver_name, ifname, device_prefix)

// ---------------------------------------------------------------- message bodies

x3::rule<struct multiple_class, bool> const multiple = "\"Multiple\"";
message_body_type const message_body = "kernel message";

auto const multiple_def = x3::matches[lit("Multiple")];
BOOST_SPIRIT_DEFINE(multiple)

// Actions store the recognised body into the rule's value (an ast::Body variant).
template <class T> struct set_empty {
    template <class Ctx> void operator()(Ctx& ctx) const { x3::_val(ctx) = T{}; }
};

auto const on_linux_version = [](auto& ctx) { x3::_val(ctx) = ast::LinuxVersion{x3::_attr(ctx)}; };
auto const on_cmdline = [](auto& ctx) { x3::_val(ctx) = ast::CommandLine{x3::_attr(ctx)}; };
auto const on_group_add = [](auto& ctx) {
    x3::_val(ctx) = ast::GroupAdd{x3::_attr(ctx), std::nullopt};
};
auto const on_group_add_old = [](auto& ctx) {
    x3::_val(ctx) = ast::GroupAdd{at_c<1>(x3::_attr(ctx)), at_c<0>(x3::_attr(ctx))};
};
auto const on_group_remove = [](auto& ctx) {
    x3::_val(ctx) = ast::GroupRemove{x3::_attr(ctx), std::nullopt};
};
auto const on_group_remove_old = [](auto& ctx) {
    x3::_val(ctx) = ast::GroupRemove{at_c<1>(x3::_attr(ctx)), at_c<0>(x3::_attr(ctx))};
};
auto const on_pci_enum = [](auto& ctx) {
    auto& a = x3::_attr(ctx);
    x3::_val(ctx) = ast::PciEnum{at_c<0>(a), at_c<1>(a), at_c<2>(a), at_c<3>(a), at_c<4>(a)};
};
auto const on_bridge = [](auto& ctx) {
    auto& a = x3::_attr(ctx);
    const unsigned sec = at_c<0>(a);
    x3::_val(ctx) = ast::BridgeBuses{sec, at_c<1>(a) ? *at_c<1>(a) : sec};
};
auto const on_iommu_note = [](auto& ctx) { x3::_val(ctx) = ast::IommuLine{x3::_attr(ctx)}; };
auto const on_default_domain = [](auto& ctx) {
    x3::_val(ctx) = ast::DefaultDomain{x3::_attr(ctx)};
};
auto const on_aer_from = [](auto& ctx) {
    auto& a = x3::_attr(ctx);
    x3::_val(ctx) = ast::AerReceived{at_c<1>(a), at_c<0>(a), at_c<2>(a), std::nullopt};
};
auto const on_aer_id = [](auto& ctx) {
    auto& a = x3::_attr(ctx);
    x3::_val(ctx) = ast::AerReceived{at_c<1>(a), at_c<0>(a), std::nullopt, at_c<2>(a)};
};
auto const on_aer_status = [](auto& ctx) {
    auto& a = x3::_attr(ctx);
    x3::_val(ctx) = ast::AerStatus{at_c<0>(a), at_c<1>(a)};
};
auto const on_nvme_timeout = [](auto& ctx) { x3::_val(ctx) = ast::NvmeTimeout{x3::_attr(ctx)}; };
auto const on_nvme_function = [](auto& ctx) {
    x3::_val(ctx) = ast::NvmePciFunction{x3::_attr(ctx)};
};
auto const on_dmar_fault = [](auto& ctx) {
    auto& a = x3::_attr(ctx);
    x3::_val(ctx) = ast::DmarFault{at_c<0>(a), at_c<1>(a)};
};
auto const on_amd_event = [](auto& ctx) {
    auto& a = x3::_attr(ctx);
    std::optional<ast::PciAddr> dev;
    if (at_c<1>(a)) dev = *at_c<1>(a);
    x3::_val(ctx) = ast::AmdEvent{at_c<0>(a), dev};
};
auto const on_vfio_probe = [](auto& ctx) { x3::_val(ctx) = ast::VfioLine{x3::_attr(ctx)}; };
auto const on_not_ready = [](auto& ctx) {
    auto& a = x3::_attr(ctx);
    x3::_val(ctx) = ast::NotReady{at_c<0>(a), at_c<1>(a), at_c<2>(a)};
};

auto const on_kmsg_device = [](auto& ctx) { x3::_val(ctx) = ast::KmsgDevice{x3::_attr(ctx)}; };

auto const dmar_tag = lit("DMAR:") | lit("dmar:");
auto const vfio_tag = lit("vfio_pci:") | lit("vfio-pci:");

auto const message_body_def =
    (lit("Linux") >> "version" >> lexeme[+graph] >> &lit('('))[on_linux_version] |
    (((lit("Kernel") >> "command" >> "line:") | (lit("Command") >> "line:")) >>
     lexeme[*char_])[on_cmdline]
    // IOMMU groups: "Adding to iommu group 3"; before 5.5 "iommu: Adding device X to group 3"
    | (lit("Adding") >> "to" >> "iommu" >> "group" >> uint_)[on_group_add] |
    (lit("iommu:") >> "Adding" >> "device" >> pci_addr >> "to" >> "group" >>
     uint_)[on_group_add_old] |
    (lit("Removing") >> "from" >> "iommu" >> "group" >> uint_)[on_group_remove] |
    (lit("iommu:") >> "Removing" >> "device" >> pci_addr >> "from" >> "group" >>
     uint_)[on_group_remove_old]
    // enumeration: "[8086:a338] type 01 class 0x060400 PCIe Root Port"
    | (lit('[') >> hex4 >> ':' >> hex4 >> ']' >> "type" >> hex1_2 >> "class" >>
       lexeme["0x" >> hex6 >> !xdigit] >> lexeme[*char_])[on_pci_enum] |
    (lit("PCI") >> "bridge" >> "to" >> '[' >> "bus" >> hex2 >> -('-' >> hex2) >> ']')[on_bridge] |
    iommu_note[on_iommu_note] |
    (lit("iommu:") >> "Default" >> "domain" >> "type:" >> lexeme[+alpha])[on_default_domain]
    // AER
    | (-lit("AER:") >> multiple >> severity >> "error" >> "received:" >> pci_addr)[on_aer_from] |
    (-lit("AER:") >> multiple >> severity >> "error" >> "received:" >> "id=" >> hex4)[on_aer_id] |
    (-lit("AER:") >> multiple >> severity >> "error" >> "message" >> "received" >> "from" >>
     pci_addr)[on_aer_from] |
    (lit("PCIe") >> "Bus" >> "Error:" >> "severity=" >> severity >> ',' >> "type=" >>
     lexeme[+(char_ - ',')])[on_aer_status] |
    (lit("device") >> '[' >> hex4 >> ':' >> hex4 >> ']' >> "error")[set_empty<ast::AerDetail>{}] |
    (lit('[') >> uint_ >> ']' >> &alpha)[set_empty<ast::AerDetail>{}] |
    (-lit("AER:") >> "TLP" >> "Header:")[set_empty<ast::AerDetail>{}] |
    (-lit("AER:") >> "Error" >> "of" >> "this" >> "Agent")[set_empty<ast::AerDetail>{}] |
    (lit("DPC:") >> "containment" >> "event")[set_empty<ast::DpcEvent>{}]
    // NVMe
    | (lit("I/O") >> omit[+(char_ - lit("timeout"))] >> "timeout" >>
       x3::matches[lit(',') >> "reset"])[on_nvme_timeout] |
    ((lit("controller") >> "is" >> "down;") | (lit("Removing") >> "after" >> "probe" >> "failure") |
     (lit("Device") >> "not" >> "ready;" >> "aborting" >> "reset"))[set_empty<ast::NvmeReset>{}] |
    (lit("pci") >> "function" >> pci_addr)[on_nvme_function]
    // Intel DMAR faults
    | (dmar_tag >> "DRHD:" >> "handling" >> "fault")[set_empty<ast::DmarFaultStatus>{}] |
    (dmar_tag >> -dmar_tag >> '[' >> lexeme[+(char_ - ']')] >> ']' >> "Request" >> "device" >>
     '[' >> pci_addr >> ']')[on_dmar_fault]
    // AMD IOMMU events
    | (lit("AMD-Vi:") >> "Event" >> "logged" >> '[' >> lexeme[+char_("A-Za-z0-9_")] >>
       -(lit("device=") >> pci_addr))[on_amd_event]
    // vfio
    | (vfio_tag >> "probe" >> "of" >> pci_addr)[on_vfio_probe] |
    vfio_tag[set_empty<ast::VfioLine>{}]
    // resets and power
    | (lit("not") >> "ready" >> uint_ >> "ms" >> "after" >> lexeme[+(char_ - ';')] >> ';' >>
       x3::matches[lit("giving") >> "up"])[on_not_ready] |
    (lit("Unable") >> "to" >> "change" >> "power" >> "state" >>
     "from")[set_empty<ast::PowerStateFail>{}] |
    (lit("timed") >> "out" >> "waiting" >> "for" >> "pending" >>
     "transaction")[set_empty<ast::PendingTransaction>{}] |
    (-lit("pciehp:") >> omit[lexeme["Slot(" >> *(char_ - ')') >> ')']] >> ':' >> "Link" >>
     "Down")[set_empty<ast::LinkDown>{}] |
    (lit("DEVICE=+pci:") >> pci_addr)[on_kmsg_device] | subsystem[set_empty<ast::SubsystemLine>{}];

BOOST_SPIRIT_DEFINE(message_body)

} // namespace parser

parser::line_prefix_type const& line_prefix() {
    return parser::line_prefix;
}
parser::device_prefix_type const& device_prefix() {
    return parser::device_prefix;
}
parser::message_body_type const& message_body() {
    return parser::message_body;
}

} // namespace il::grammars::kernel_log
