# SPDX-License-Identifier: GPL-2.0-or-later
# Release and packaging targets, included by the Makefile:
#   make dist       build/podnet-VERSION.tar.gz (tracked files as they are now)
#   make distcheck  that tarball, unpacked alone: make, unit tests, install
#   make deb        binary .deb from contrib/debian/ (dpkg-buildpackage)
#   make rpm        binary .rpm from contrib/rpm/podnet.spec (rpmbuild)
# Packages land in build/pkg/. contrib/pkg-deps.sh installs the tools.

.PHONY: dist distcheck deb rpm pkg-deps

DIST_NAME := podnet-$(VERSION)
DIST      := build/$(DIST_NAME).tar.gz
PKG_OUT   := build/pkg

pkg-deps:
	./contrib/pkg-deps.sh

# Reproducible: sorted, owned by root, dated by the last commit.
dist:
	@git rev-parse --is-inside-work-tree >/dev/null 2>&1 || \
	  { echo "podnet: make dist needs the git work tree" >&2; exit 1; }
	mkdir -p build
	git ls-files -z | tar --null -T - --sort=name --owner=0 --group=0 \
	  --numeric-owner --mtime=@$$(git log -1 --format=%ct) \
	  --transform 's,^,$(DIST_NAME)/,' -czf $(DIST)
	@echo "podnet: $(DIST)"

distcheck: dist
	rm -rf build/distcheck && mkdir -p build/distcheck
	tar -C build/distcheck -xzf $(DIST)
	$(MAKE) -C build/distcheck/$(DIST_NAME) all tests
	set -e; for t in build/distcheck/$(DIST_NAME)/build/tests/unit/test_*; do \
	  $$t >/dev/null; done
	$(MAKE) -C build/distcheck/$(DIST_NAME) install \
	  DESTDIR=$(CURDIR)/build/distcheck/root >/dev/null
	test -x build/distcheck/root/usr/sbin/podnet
	test -x build/distcheck/root/usr/libexec/podnet/podnet-responder
	test -x build/distcheck/root/usr/libexec/podnet/podnet-link-refresh
	test -L build/distcheck/root/etc/libvirt/hooks/qemu.d/50-podnet
	test -f build/distcheck/root/usr/share/man/man8/podnet.8
	build/distcheck/root/usr/sbin/podnet --version | grep -qx 'podnet $(VERSION)'
	rm -rf build/distcheck
	@echo "podnet: $(DIST) builds, tests and installs on its own"

# Built from the dist tarball, so the package is what the tarball holds.
deb: dist
	rm -rf build/deb && mkdir -p build/deb $(PKG_OUT)
	tar -C build/deb -xzf $(DIST)
	cp -r contrib/debian build/deb/$(DIST_NAME)/debian
	cd build/deb/$(DIST_NAME) && dpkg-buildpackage -b -us -uc
	cp build/deb/*.deb $(PKG_OUT)/
	@ls -1 $(PKG_OUT)/*.deb

# Debian cannot satisfy Fedora's BuildRequires names (libxml2-devel, ...),
# so rpmbuild runs with --nodeps; the Debian -dev packages stand in.
RPM_TOP := $(CURDIR)/build/rpm
rpm: dist
	rm -rf $(RPM_TOP) && mkdir -p $(RPM_TOP)/SOURCES $(PKG_OUT)
	cp $(DIST) $(RPM_TOP)/SOURCES/
	rpmbuild -bb --nodeps --define '_topdir $(RPM_TOP)' \
	  --define 'podnet_version $(VERSION)' contrib/rpm/podnet.spec
	cp $(RPM_TOP)/RPMS/*/*.rpm $(PKG_OUT)/
	@ls -1 $(PKG_OUT)/*.rpm
