# Sourced by the autopkgtest scripts: writes small source packages that use
# the installed addon.

# make_source DIR SOURCE SECTION EXTRA-BUILD-DEPENDS: a native source package
# activated through "Build-Depends: dh-sequence-modelcheck", with one binary
# package named SOURCE; append more stanzas to DIR/debian/control.
make_source() {
	mkdir -p "$1/debian/source"
	cat > "$1/debian/control" <<EOC
Source: $2
Section: $3
Priority: optional
Maintainer: Toy Maintainer <toy@example.org>
Build-Depends: debhelper-compat (= 13), dh-sequence-modelcheck$4
Standards-Version: 4.6.2
Rules-Requires-Root: no

Package: $2
Architecture: all
Description: toy package for dh-modelcheck's autopkgtest
 A package built by the autopkgtest.
EOC
	printf '#!/usr/bin/make -f\n%%:\n\tdh $@\n' > "$1/debian/rules"
	chmod +x "$1/debian/rules"
	printf '%s (1.0) unstable; urgency=medium\n\n  * Test.\n\n -- Toy Maintainer <toy@example.org>  Sat, 28 Nov 2026 10:00:00 +0000\n' "$2" > "$1/debian/changelog"
	echo '3.0 (native)' > "$1/debian/source/format"
}

# write_safetensors FILE: a one-tensor safetensors file (68 bytes).
SAFETENSORS_SHA256=d7e1133cd341e7d3cc71b7b59792f107c0584c2c03448dd4eb743acb5fd85371
write_safetensors() {
	mkdir -p "$(dirname "$1")"
	printf '8\000\000\000\000\000\000\000{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}  \000\000\200?' > "$1"
}

# build DIR LOG [OPTIONS]: dpkg-buildpackage -b, output in LOG; its status.
build() {
	dir=$1 log=$2
	shift 2
	(cd "$dir" && dpkg-buildpackage -us -uc -b "$@") > "$log" 2>&1
}

fail() {
	echo "FAIL: $*"
	exit 1
}
