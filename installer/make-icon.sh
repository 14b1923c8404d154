#!/usr/bin/env bash
# Draws installer/desktop/mailwright.png (256x256): a white envelope on a rounded blue tile, with a green
# check mark — "mail that arrives". Needs ImageMagick (apt-get install imagemagick). The PNG is committed,
# so building the packages does not need ImageMagick; run this only to change the icon.
set -euo pipefail
cd "$(dirname "$0")"
convert -size 256x256 xc:none \
  -fill '#1f5fa8' -draw 'roundrectangle 8,8 247,247 44,44' \
  -fill white -stroke '#0d3a6e' -strokewidth 6 -draw 'roundrectangle 40,70 216,190 10,10' \
  -fill none -stroke '#0d3a6e' -strokewidth 8 -draw 'polyline 46,78 128,142 210,78' \
  -fill '#2fa84f' -stroke white -strokewidth 6 -draw 'circle 190,186 226,186' \
  -fill none -stroke white -strokewidth 10 -draw 'polyline 172,186 186,200 210,172' \
  -strip desktop/mailwright.png
echo "wrote desktop/mailwright.png"
