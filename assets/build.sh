#!/usr/bin/env bash
# Build TrackMyCrime's front-end assets into app/static/.
#
#   bash assets/build.sh                 # npm ci, then compile and copy
#   bash assets/build.sh --skip-install  # reuse assets/node_modules as it is
#
# Outputs (nothing else is written outside assets/node_modules/):
#   app/static/css/app.css               compiled from assets/scss/app.scss
#   app/static/js/govuk-frontend.min.js  GOV.UK Frontend ES module (verbatim,
#                                        minus its sourceMappingURL comment)
#   app/static/images/favicon.svg        our own neutral favicon
#
# app/static/js/app.js is a hand-written source file and is never touched.
# Running the script twice gives byte-identical outputs.
set -euo pipefail

ASSETS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(dirname "$ASSETS_DIR")"
STATIC_DIR="$REPO_DIR/app/static"
GOVUK_DIST="$ASSETS_DIR/node_modules/govuk-frontend/dist/govuk"

skip_install=0
for arg in "$@"; do
  case "$arg" in
    --skip-install) skip_install=1 ;;
    *) echo "usage: $0 [--skip-install]" >&2; exit 2 ;;
  esac
done

die() { echo "build.sh: error: $*" >&2; exit 1; }

cd "$ASSETS_DIR"

# 1. Install the exact versions pinned in package-lock.json. Optional
#    dependencies (sass's native file watcher) and install scripts are not
#    needed to compile, so they are skipped.
if [ "$skip_install" -eq 0 ]; then
  npm ci --omit=optional --ignore-scripts --no-audit --no-fund
fi
[ -d "$GOVUK_DIST" ] || die "govuk-frontend is not installed; run without --skip-install"

mkdir -p "$STATIC_DIR/css" "$STATIC_DIR/js" "$STATIC_DIR/images"

# 2. Sass -> compressed CSS, no source map.
"$ASSETS_DIR/node_modules/.bin/sass" \
  --no-source-map \
  --style=compressed \
  --load-path="$ASSETS_DIR/node_modules" \
  "$ASSETS_DIR/scss/app.scss" "$STATIC_DIR/css/app.css"

# 3. GOV.UK Frontend's ES module bundle. Its source map is not shipped, so drop
#    the trailing sourceMappingURL comment that would point browsers at it.
sed -e 's|//# sourceMappingURL=govuk-frontend\.min\.js\.map$||' \
  "$GOVUK_DIST/govuk-frontend.min.js" > "$STATIC_DIR/js/govuk-frontend.min.js"

# 4. Images. Every file GOV.UK Frontend 6 ships in dist/govuk/assets carries
#    GOV.UK branding, so none of it is copied:
#      images/favicon.ico, favicon.svg, govuk-icon-{180,192,512}.png,
#      govuk-icon-mask.svg  -> the crown
#      images/govuk-crest.svg -> the Royal Coat of Arms (Footer copyright logo;
#                                scss/_url-handlers.scss maps it to `none`)
#      images/govuk-opengraph-image.png -> GOV.UK logo
#      manifest.json -> only lists the crown icons above
#      fonts/* -> GDS Transport, licensed for GOV.UK only
#    Add a file name here only if a future version ships an unbranded image.
GOVUK_IMAGES_TO_COPY=()
for name in "${GOVUK_IMAGES_TO_COPY[@]+"${GOVUK_IMAGES_TO_COPY[@]}"}"; do
  cp "$GOVUK_DIST/assets/images/$name" "$STATIC_DIR/images/$name"
done
# Our own neutral (crown-free) favicon.
cp "$ASSETS_DIR/images/favicon.svg" "$STATIC_DIR/images/favicon.svg"

# 5. Sanity checks on what was written.
css="$STATIC_DIR/css/app.css"
js="$STATIC_DIR/js/govuk-frontend.min.js"
for f in "$css" "$js" "$STATIC_DIR/images/favicon.svg"; do
  [ -s "$f" ] || die "$f is missing or empty"
done
for selector in '.govuk-exit-this-page' '.govuk-header' '.govuk-generic-header' \
                '.govuk-footer' '.tmc-language-switch' 'var(--tmc-brand'; do
  grep -qF -- "$selector" "$css" || die "app.css lacks $selector"
done
if grep -qiF '@font-face' "$css"; then die "app.css contains an @font-face rule"; fi
if grep -qiF 'GDS Transport' "$css"; then die "app.css mentions GDS Transport"; fi
if grep -qF 'sourceMappingURL' "$css" "$js"; then die "a sourceMappingURL comment was left in"; fi
grep -qF 'initAll' "$js" || die "govuk-frontend.min.js does not export initAll"
# Every url() in the CSS must be a file we ship under /static/.
while IFS= read -r ref; do
  path="${ref#url(}"; path="${path%)}"; path="${path//\"/}"; path="${path//\'/}"
  case "$path" in
    data:*) continue ;;
    /static/*) [ -f "$STATIC_DIR/${path#/static/}" ] || die "app.css references missing $path" ;;
    *) die "app.css references $path, outside /static/" ;;
  esac
done < <(grep -o 'url([^)]*)' "$css" || true)
# No GOV.UK branded asset may end up in app/static/.
if find "$STATIC_DIR" \( -iname 'govuk-crest*' -o -iname 'govuk-icon*' -o -iname 'govuk-opengraph*' \
     -o -iname '*.woff' -o -iname '*.woff2' \) -print | grep -q .; then
  die "GOV.UK branded images or fonts found under app/static/"
fi

echo "build.sh: built:"
for f in "$css" "$js" "$STATIC_DIR/images/favicon.svg"; do
  printf '  %8d bytes  %s\n' "$(wc -c < "$f")" "${f#"$REPO_DIR"/}"
done
