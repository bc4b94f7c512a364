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
# is a command of its own.  It runs after dh_compress: the weights are in
# debian/PKG by then (dh_install, the package's own rules), and no
# dh_compress, not even one in the package's override_dh_compress target
# (which options added here would not reach), can compress the file.
# dh_fixperms and dh_md5sums still follow.
use strict;
use warnings;
use Debian::Debhelper::Dh_Lib;

insert_before("dh_auto_configure", "dh_modelcheck");
insert_after("dh_compress", "dh_installmodelprovenance");

1;
