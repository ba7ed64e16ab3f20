#!/usr/bin/env bash
# Installs what the Helm chart test (tests/integration/deploy/helm-chart.test.ts) runs: helm, to
# render and lint deploy/helm/legation, and kubectl-validate, which checks the rendered manifests
# against the Kubernetes API schemas it embeds (no cluster, no download at run time). Built with
# `go install` from the Go module proxy into LEGATION_TOOLS_DIR (default ~/.cache/legation-tools),
# one folder per version, so a second run does nothing.
set -euo pipefail
HELM_VERSION=v3.19.0
KUBECTL_VALIDATE_VERSION=v0.0.4
TOOLS="${LEGATION_TOOLS_DIR:-$HOME/.cache/legation-tools}"
GO="$(command -v go || echo /usr/local/go/bin/go)"

install() { # name module version
  local dir="$TOOLS/$1-$3"
  if [ ! -x "$dir/$1" ]; then
    echo "installing $1 $3 (go install $2@$3)"
    GOBIN="$dir" GOFLAGS=-buildvcs=false "$GO" install "$2@$3"
  fi
  mkdir -p "$TOOLS/bin"
  ln -sf "$dir/$1" "$TOOLS/bin/$1"
}
install helm helm.sh/helm/v3/cmd/helm "$HELM_VERSION"
install kubectl-validate sigs.k8s.io/kubectl-validate "$KUBECTL_VALIDATE_VERSION"
