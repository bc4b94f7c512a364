#!/usr/bin/perl
# debhelper sequence addon for dh-modelcheck: "dh $@ --with modelcheck", or
# "Build-Depends: dh-sequence-modelcheck".
#
# dh_modelcheck runs before dh_auto_configure so that a package in main that
# build-depends on a proprietary accelerator stack fails before anything is
# built.  Inserting after dh_testdir would also put it into the clean
# sequence, which an addon activated from Build-Depends-Arch/-Indep may not
# touch and which source-only builds run.
use strict;
use warnings;
use Debian::Debhelper::Dh_Lib;

insert_before("dh_auto_configure", "dh_modelcheck");

1;
