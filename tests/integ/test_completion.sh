#!/bin/sh
# initdata completion bash|zsh: the script, driven by bash's own completion
# machinery (COMP_WORDS/COMP_CWORD, the completion function, compgen).
#
# The oracle is the tool's --help, walked like tests/cli/test_help.py walks it:
# for every command in `initdata --help` (and every subcommand in a command's
# own Commands: section), completing `initdata CMD --` must offer exactly the
# long options of its Options: table.  Then: command names, subcommands,
# option keywords (--key, --platform), file names where a file goes, the
# --opt=value form, and the zsh script through zsh's bashcompinit (when zsh
# is installed; skipped with a note otherwise).
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

if ! command -v bash >/dev/null 2>&1; then
    echo "completion: skipped (bash is not installed)"
    exit 77
fi

run_tool completion bash
status "completion bash" 0
cp "$T/out" "$T/initdata.bash"
if bash -n "$T/initdata.bash" 2>"$T/err"; then ok; else bad "bash -n: $(cat "$T/err")"; fi
run_tool completion fish
status "completion fish" 2

# complete WORDS...: what bash offers for the last word (sorted, one line)
complete_words() {
    bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _initdata
             ((${#COMPREPLY[@]})) && printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " "' \
        complete "$T/initdata.bash" "$@" 2>"$T/cerr"
    if [ -s "$T/cerr" ]; then bad "completing '$*': stderr: $(cat "$T/cerr")"; fi
}

# the long options of a --help page's Options: table, sorted, one line
help_longs() {
    "$INITDATA" "$@" --help | awk '/^Options:/ {on = 1; next} on && /^$/ {on = 0}
        on { for (i = 1; i <= NF; i++) if ($i ~ /^--[a-z]/) { sub(/,$/, "", $i); print $i; break } }' |
        sort | tr '\n' ' '
}

commands_of() {
    "$INITDATA" "$@" --help | awk '/^Commands:/ {on = 1; next} on && /^$/ {on = 0}
        on && /^  [a-z]/ {print $1}'
}

checked=0
for cmd in $(commands_of); do
    subs=$(commands_of "$cmd")
    if [ -n "$subs" ]; then
        # shellcheck disable=SC2086  # subs: a list of words
        same "initdata $cmd <TAB>" "$(printf '%s\n' --help $subs | sort | tr '\n' ' ')" \
            "$(complete_words initdata "$cmd" "")"
        for sub in $subs; do
            same "initdata $cmd $sub --<TAB>" "$(help_longs "$cmd" "$sub")" \
                "$(complete_words initdata "$cmd" "$sub" --)"
            checked=$((checked + 1))
        done
        continue
    fi
    same "initdata $cmd --<TAB>" "$(help_longs "$cmd")" "$(complete_words initdata "$cmd" --)"
    checked=$((checked + 1))
done
if [ "$checked" -ge 15 ]; then ok; else bad "only $checked commands were walked"; fi

# command names
same "initdata dig<TAB>" "digest " "$(complete_words initdata dig)"
same "initdata k<TAB>" "kbs-request krm " "$(complete_words initdata k)"
same "initdata help ann<TAB>" "annotate " "$(complete_words initdata help ann)"
# keywords of an option's value, also after other options and arguments
same "annotate --key <TAB>" "both current legacy " "$(complete_words initdata annotate --key "")"
same "annotate -f doc.toml --key l<TAB>" "legacy " \
    "$(complete_words initdata annotate -f doc.toml --key l)"
same "annotate --key=<TAB>" "both current legacy " \
    "$(complete_words initdata annotate --key = "")"
same "apply --layout <TAB>" "kata peerpod " "$(complete_words initdata apply --layout "")"
same "completion <TAB>" "bash zsh " "$(complete_words initdata completion "")"
# the value of an option is not taken for the command's argument
same "annotate --select Pod --<TAB>" "$(help_longs annotate)" \
    "$(complete_words initdata annotate --select Pod --)"
# file names where a file goes; nothing where a number goes
mkdir "$T/d" && : >"$T/d/init.toml" && : >"$T/d/pod.yaml"
same "annotate --initdata DIR/i<TAB>" "$T/d/init.toml " \
    "$(complete_words initdata annotate --initdata "$T/d/i")"
same "digest DIR/p<TAB>" "$T/d/pod.yaml " "$(complete_words initdata digest "$T/d/p")"
same "image read DIR/<TAB>" "$T/d/init.toml $T/d/pod.yaml " \
    "$(complete_words initdata image read "$T/d/")"
same "decode --max-size <TAB>" "" "$(complete_words initdata decode --max-size "")"

# zsh: the same script through bashcompinit
if command -v zsh >/dev/null 2>&1; then
    run_tool completion zsh
    status "completion zsh" 0
    got=$(zsh -f -c 'autoload -U compinit && compinit -u -D; setopt ksharrays
        source "$1"; COMP_WORDS=(initdata annotate --key ""); COMP_CWORD=3; _initdata
        print -r -- "${COMPREPLY[@]}"' zsh "$T/out" 2>"$T/zerr")
    same "zsh: annotate --key <TAB>" "current legacy both" "$got"
    if [ -s "$T/zerr" ]; then bad "zsh: stderr: $(cat "$T/zerr")"; fi
else
    echo "completion: note: zsh is not installed: the zsh script is not run"
fi

echo "completion: $pass passed, $fail failed ($checked command tables compared with --help)"
[ "$fail" -eq 0 ]
