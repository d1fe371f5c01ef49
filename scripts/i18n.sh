#!/usr/bin/env bash
# The translation catalogs (see ogp/model/i18n.py):
#   scripts/i18n.sh           extract the marked strings into locale/messages.pot and merge them
#                             into locale/{es,fr}/LC_MESSAGES/messages.po (new entries are empty)
#   scripts/i18n.sh compile   compile the .po files into the committed .mo files
# tests/test_i18n.py fails while a string lacks a translation or a .mo is out of date.
set -euo pipefail
cd "$(dirname "$0")/.."
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
if [ "${1:-}" = "compile" ]; then
  # Babel reports "incompatible format for placeholder 1: 'o' and 'd'" for the six "(% of ...)"
  # labels in each language: it reads "% o" as a printf conversion from the text itself. Harmless:
  # the project formats with str.format ({name}) only, and the .mo files are written all the same.
  pybabel compile -d locale -D messages --statistics
  exit 0
fi
pybabel extract -F babel.cfg -o locale/messages.pot --sort-output --add-location=file \
  --project "OGP Progress Dashboard" --copyright-holder "OGP Progress Dashboard" \
  --add-comments=TRANSLATORS: .
# the translated languages: every one of ogp/model/i18n.py LANGUAGES but the default
for lang in $(python -c "from ogp.model import i18n; print(*(x for x in i18n.LANGUAGES if x != i18n.DEFAULT))"); do
  po="locale/$lang/LC_MESSAGES/messages.po"
  if [ -f "$po" ]; then
    pybabel update -i locale/messages.pot -d locale -D messages -l "$lang" --no-fuzzy-matching --ignore-obsolete
  else
    pybabel init -i locale/messages.pot -d locale -D messages -l "$lang"
  fi
done
