# Sourced by the scripts in .ci/: puts the installed tools on PATH.
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$REPO_ROOT/tests/e2e/node_modules/.bin:$HOME/.cargo/bin:$PATH"
