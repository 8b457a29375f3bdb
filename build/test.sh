#!/usr/bin/env bash
# The README's test command: restores, builds (warnings are errors) and runs every test project.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet test SessionKinds.sln -c Release
