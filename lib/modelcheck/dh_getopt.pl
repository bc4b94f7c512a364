# Resolve a debhelper command line exactly as debhelper's own commands do.
#
#   perl dh_getopt.pl TOOL SPEC... -- ARGUMENT...
#
# TOOL is the command's name (debhelper's messages and its log use it), each
# SPEC one of the command's own options in Getopt::Long syntax ("fail-on=s",
# "debug").  Debian::Debhelper::Dh_Lib's init() then parses the arguments,
# DH_OPTIONS and DH_INTERNAL_OPTIONS (-O values, nested or not, unknown ones
# ignored), selects the packages to act on (-p, -N, -a, -i,
# --remaining-packages, architectures, build profiles) and checks -P.
#
# Standard output is NAME=VALUE records, each ended by a NUL byte (which no
# argument can hold): "package=" once for each package to act on, in
# debian/control's order; "verbose", "quiet", "no_act" and "write_log" (1 or
# 0); "tmpdir" when -P is given; "own:OPTION" for each own option given.
# It is "help=1" alone for -h, "error=MESSAGE" alone with exit status 2 when
# the command line is wrong, and empty, with status 0, when init() finds
# nothing to act on.  Debhelper's warnings go to standard error as they
# would for any debhelper command.
use strict;
use warnings;

my ($tool, @specs);
BEGIN {
	$tool = shift(@ARGV);
	# Dh_Lib names the command after $0 when it is loaded.
	$0 = $tool;
	while (@ARGV) {
		my $spec = shift(@ARGV);
		last if $spec eq '--';
		push(@specs, $spec);
	}
	# The caller relays standard error; an error message is parsed below.
	$ENV{DH_COLORS} = 'never';
}

use Debian::Debhelper::Dh_Lib;

sub record { print map { "$_\0" } @_ }

my %own;
# As debhelper's own commands, help needs no source tree.
my %options = ('h|help' => sub { record('help=1'); exit(0) });
for my $spec (@specs) {
	(my $name = $spec) =~ s/[=:!].*//;
	$options{$spec} = \$own{$name};
}

# Getopt::Long reports an unknown option with warn() before Dh_Lib's
# error() dies: hold the warnings so that a wrong command line is one line.
my @warnings;
my $ok = eval {
	local $SIG{__WARN__} = sub { push(@warnings, $_[0]) };
	# The caller writes debhelper's log itself, and only when it succeeds.
	init(options => \%options, inhibit_log => 1);
	1;
};
if (not $ok) {
	# A failing option handler's error() arrives as a warning too.
	my @reasons = @warnings ? @warnings : ($@);
	s/\n+\z//, s/^\Q$tool\E: error: // for @reasons;
	record('error=' . join('; ', @reasons));
	exit(2);
}
print STDERR @warnings;

record(map { "package=$_" } @{$dh{DOPACKAGES}});
record(map { "$_->[0]=" . ($_->[1] ? 1 : 0) } (
	['verbose', $dh{VERBOSE}],
	['quiet', $dh{QUIET}],
	['no_act', $dh{NO_ACT}],
	# As Dh_Lib's END block decides.
	['write_log', compat(9, 1) || $ENV{DH_INTERNAL_OVERRIDE}],
));
record("tmpdir=$dh{TMPDIR}") if $dh{TMPDIR};
record(map { "own:$_=$own{$_}" } grep { defined($own{$_}) } sort(keys(%own)));
