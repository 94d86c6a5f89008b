#!/usr/bin/env bash
# Turn a bangfu .docx into PDF with LibreOffice headless, with the GB/T 9704 font names mapped
# to free fonts of the same style (src/bangfu_eval/render/fonts.conf). Needs Debian's
# libreoffice-writer-nogui fonts-noto-cjk fonts-noto-cjk-extra fonts-arphic-ukai.
#   scripts/docx-to-pdf.sh report.docx [outdir]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
in="$1"; outdir="${2:-$(dirname "$in")}"
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
FONTCONFIG_FILE="$here/../src/bangfu_eval/render/fonts.conf" soffice -env:UserInstallation="file://$profile" \
  --headless --convert-to pdf --outdir "$outdir" "$in" >/dev/null
echo "$outdir/$(basename "${in%.*}").pdf"
