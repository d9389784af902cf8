# The C unit tests (tests/unit.c), built by `make test` as $UNIT.
. tests/lib.sh
if [ -z "${UNIT:-}" ] || [ ! -x "$UNIT" ]; then
    fail "unit: binary" "UNIT is not set to the unit test binary; run through make test"; exit 0
fi
"$UNIT"
