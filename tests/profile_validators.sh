# tests/profile_validators.sh: sourced by the profile tests (after lib.sh).
# valid NAME KIND FILE [ARGS...]: the independent validator in tests/tools/
# for profile KIND (apple, autoconfig, thunderbird, outlook, windows)
# accepts FILE; exit 77 from a validator (an input it needs is missing) is
# a SKIP, never a PASS.
T=tests/tools
have_apple() { [ -f "$SHARED/schemas/apple/TopLevel.yaml" ]; }
have_rng() { [ -f "$SHARED/schemas/autoconfig/autoconfig.rng" ]; }

valid() {
    local name=$1 kind=$2 file=$3 out rc
    shift 3
    case $kind in
    apple)
        have_apple || { skip "$name" "no Apple schemas in $SHARED/schemas/apple"; return; }
        out=$(python3 $T/check_mobileconfig.py "$file" "$@" 2>&1) ;;
    autoconfig)
        local req=; have_rng && req=--require-schema
        out=$(python3 $T/check_autoconfig.py "$file" $req "$@" 2>&1) ;;
    thunderbird) out=$(bash $T/check_userjs.sh "$file" "$@" 2>&1) ;;
    outlook) out=$(bash $T/check_autodiscover.sh "$file" "$@" 2>&1) ;;
    windows) out=$(python3 $T/check_ps1.py "$file" "$@" 2>&1) ;;
    esac
    rc=$?
    case $rc in
    0) pass "$name" ;;
    77) skip "$name" "$(printf '%s' "$out" | tail -n 1)" ;;
    *) fail "$name" "$(printf '%s' "$out" | tail -n 15)" ;;
    esac
}
