#!/bin/sh
# Re-vendor the browser assets the console, /docs and /redoc serve themselves, from the npm registry at the
# versions pinned in package.json / package-lock.json (run by `make console-vendor`; commit the result).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out="$here/../static/vendor"
cd "$here"
npm ci --no-audit --no-fund --ignore-scripts
rm -rf "$out"
mkdir -p "$out/swagger-ui" "$out/redoc"
swagger=node_modules/swagger-ui-dist
cp "$swagger/swagger-ui-bundle.js" "$swagger/swagger-ui.css" \
   "$swagger/favicon-32x32.png" "$swagger/LICENSE" "$swagger/NOTICE" "$out/swagger-ui/"
cp node_modules/redoc/bundles/redoc.standalone.js node_modules/redoc/LICENSE "$out/redoc/"
# ReDoc's "powered by" logo is the bundle's one off-machine URL: point it at the packaged favicon
sed -i 's#https://cdn.redoc.ly/redoc/logo-mini.svg#/console/static/vendor/swagger-ui/favicon-32x32.png#' \
   "$out/redoc/redoc.standalone.js"
! grep -q 'https://cdn' "$out/redoc/redoc.standalone.js" "$out/swagger-ui/swagger-ui-bundle.js"
cp node_modules/redoc/bundles/redoc.standalone.js.LICENSE.txt "$out/redoc/THIRD-PARTY-LICENSES.txt"
cp "$swagger/swagger-ui-bundle.js.LICENSE.txt" "$out/swagger-ui/THIRD-PARTY-LICENSES.txt"
node -e 'const p=require("./package-lock.json").packages;console.log(["swagger-ui-dist","redoc"].map(n=>n+" "+p["node_modules/"+n].version).join("\n"))' > "$out/VERSIONS"
rm -rf node_modules
echo "vendored into $out:"; cat "$out/VERSIONS"
