#!/usr/bin/perl
# debhelper sequence addon for dh-modelcheck: "dh $@ --with modelcheck", or
# "Build-Depends: dh-sequence-modelcheck".
#
# dh_modelcheck runs before dh_auto_configure so that a package in main that
# build-depends on a proprietary accelerator stack, or ships undeclared
# weights, fails before anything is built.  Inserting after dh_testdir would
# also put it into the clean sequence, which an addon activated from
# Build-Depends-Arch/-Indep may not touch and which source-only builds run.
#
# A command appears only once in a sequence, so shipping the provenance file
# is a command of its own: after dh_installdocs (dh_prep has emptied
# debian/PKG by then), with dh_compress told to leave the file readable.
use strict;
use warnings;
use Debian::Debhelper::Dh_Lib;

insert_before("dh_auto_configure", "dh_modelcheck");
insert_after("dh_installdocs", "dh_installmodelprovenance");
add_command_options("dh_compress", "-Xmodel-provenance.yaml");

1;
