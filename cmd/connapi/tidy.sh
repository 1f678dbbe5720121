#!/usr/bin/env bash
# Tidies the CLI module. Its go.mod requires the SDK at the version the next
# release tags (github.com/connapi/connapi-go v0.1.0), which the module proxy does
# not have before that tag, so `go mod tidy` alone cannot resolve it. Local builds
# get the SDK from go.work; tidy gets it from a temporary replace directive,
# dropped again before the script ends: the published go.mod must have none, or
# `go install github.com/connapi/connapi-go/cmd/connapi@latest` would refuse it.
set -euo pipefail
cd "$(dirname "$0")"
export GOWORK=off GOFLAGS=
trap 'go mod edit -dropreplace github.com/connapi/connapi-go' EXIT
go mod edit -replace github.com/connapi/connapi-go=../..
go mod tidy
