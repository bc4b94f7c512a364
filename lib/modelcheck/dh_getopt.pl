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
# Standard output is one JSON object: the answer, {"help": true} for -h, or
# {"error": MESSAGE} with exit status 2 when the command line is wrong.  It is empty, with status 0,
# when init() finds nothing to act on.  Debhelper's warnings go to standard
# error as they would for any debhelper command.
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
use JSON::PP;

my $json = JSON::PP->new->canonical;
my %own;
# As debhelper's own commands, help needs no source tree.
my %options = ('h|help' => sub { print $json->encode({help => JSON::PP::true}), "\n"; exit(0) });
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
	print $json->encode({error => join('; ', @reasons)}), "\n";
	exit(2);
}
print STDERR @warnings;

sub flag { return $_[0] ? JSON::PP::true : JSON::PP::false }

print $json->encode({
	packages => $dh{DOPACKAGES},
	verbose => flag($dh{VERBOSE}),
	quiet => flag($dh{QUIET}),
	no_act => flag($dh{NO_ACT}),
	tmpdir => $dh{TMPDIR},
	help => JSON::PP::false,
	# As Dh_Lib's END block decides.
	write_log => flag(compat(9, 1) || $ENV{DH_INTERNAL_OVERRIDE}),
	own => \%own,
}), "\n";
