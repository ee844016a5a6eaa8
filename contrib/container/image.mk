# SPDX-License-Identifier: GPL-2.0-or-later
# The container image (contrib/container/), included by the Makefile:
#   make image                      podman build of $(IMAGE) FROM $(BASE_IMAGE)
#   make image BASE_IMAGE=NAME      any Debian 12 base (the tests build one with mmdebstrap)
#   make image PODMAN='podman --root DIR' PODMAN_BUILD_FLAGS='--network host'
# The build context is build/image/: the Containerfile, the entry point and
# the podnet .deb that `make deb` builds from this tree, nothing else.

.PHONY: image image-name

BASE_IMAGE ?= docker.io/library/debian:bookworm
IMAGE      ?= localhost/podnet:$(VERSION)
PODMAN     ?= podman
PODMAN_BUILD_FLAGS ?=
DEB_ARCH   := $(shell dpkg --print-architecture 2>/dev/null || echo amd64)

image: deb
	rm -rf build/image && mkdir -p build/image
	cp contrib/container/Containerfile contrib/container/podnet-container build/image/
	cp build/deb/podnet_$(VERSION)_$(DEB_ARCH).deb build/image/podnet.deb
	$(PODMAN) build $(PODMAN_BUILD_FLAGS) --build-arg BASE_IMAGE=$(BASE_IMAGE) \
	  -t $(IMAGE) -f build/image/Containerfile $(CURDIR)/build/image
	@echo "podnet: image $(IMAGE)"

# The name `make image` tags (the tests check the manifest against it).
image-name:
	@echo $(IMAGE)
