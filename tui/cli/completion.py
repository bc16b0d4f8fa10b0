"""`llmtui completion bash|zsh|fish`: a shell completion script, built from the real parsers.

Subcommands, their flags and the fixed values of a flag (`spend --by`, `export --format`) are
read from argparse when the script is generated (so they never drift); model names are asked
for at completion time with `llmtui completion --models`, which prints the cached catalog (no
network, no keyring) so new models appear without regenerating the script.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass

SHELLS = ("bash", "zsh", "fish")
# Options whose values are asked of llmtui at completion time: option -> `llmtui completion` flag.
VALUE_SOURCES = {"-m": "--models", "--model": "--models", "--compare": "--models", "--preset": "--presets"}


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("shell", nargs="?", choices=SHELLS, help="the shell to print a script for")
    p.add_argument("--models", action="store_true", help="print known model refs, one a line")
    p.add_argument("--presets", action="store_true", help="print the [presets] names, one a line")


@dataclass(frozen=True, slots=True)
class Command:
    name: str
    help: str
    options: tuple[tuple[str, ...], ...]  # option strings of each flag, e.g. ("-m", "--model")
    actions: tuple[str, ...]  # sub-actions (`keys set|list|...`)
    choices: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = ()
    """Flags with fixed values: (option strings, values), e.g. (("--by",), ("provider", ...))."""


def _options(parser: argparse.ArgumentParser) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(a.option_strings) for a in parser._actions if a.option_strings)


def _choices(parser: argparse.ArgumentParser) -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
    return tuple((tuple(a.option_strings), tuple(str(c) for c in a.choices))
                 for a in parser._actions if a.option_strings and a.choices)


def commands() -> list[Command]:
    from llmtui.cli import COMMANDS, _command_parser, _tui_parser

    top = _tui_parser()
    found = [Command("", "", _options(top), tuple(COMMANDS), _choices(top))]
    for name, (_, help_text) in COMMANDS.items():
        parser, _module = _command_parser(name)
        actions: tuple[str, ...] = ()
        for action in parser._actions:
            if not action.option_strings and action.choices:  # sub-actions, shell names
                actions += tuple(action.choices)
        found.append(Command(name, help_text, _options(parser), actions, _choices(parser)))
    return found


def model_refs() -> list[str]:
    """Model refs from config, the built-in lists and the cached catalog; never the network."""
    from llmtui import paths
    from llmtui.core.catalog.build import cached_catalog
    from llmtui.core.catalog.discover import builtin_models
    from llmtui.core.config import ConfigError, load_config
    from llmtui.core.runtime import Runtime

    try:
        runtime = Runtime(load_config())
    except ConfigError:
        return []
    if not paths.store_file().exists():  # completing must not create the store
        return [f"{p}/{m}" for p in runtime.config.provider_ids() for m in builtin_models(runtime, p)]
    try:
        refs = [entry.ref for entry in cached_catalog(runtime)]
    finally:
        runtime.store.close()
    return list(dict.fromkeys(refs))


def preset_names() -> list[str]:
    from llmtui.core.config import ConfigError, load_config

    try:
        return list(load_config().presets)
    except ConfigError:
        return []


def _by_source() -> dict[str, list[str]]:
    """`llmtui completion` flag -> the options whose values it prints."""
    found: dict[str, list[str]] = {}
    for option, source in VALUE_SOURCES.items():
        found.setdefault(source, []).append(option)
    return found


def _words(cmd: Command) -> str:
    return " ".join([*cmd.actions, *(o for opts in cmd.options for o in opts)])


def _fixed_cases(cmds: list[Command], complete: str) -> str:
    """Shell `case` arms matching "SUBCOMMAND PREVIOUS-WORD" for flags with fixed values."""
    arms = []
    for c in cmds[1:]:
        for options, values in c.choices:
            pattern = "|".join(f'"{c.name} {o}"' for o in options)
            arms.append(f"        {pattern}) {complete.format(values=' '.join(values))}; return ;;")
    return "\n".join(arms)


def bash_script(cmds: list[Command]) -> str:
    top = cmds[0]
    fixed = _fixed_cases(cmds, 'COMPREPLY=($(compgen -W "{values}" -- "$cur"))')
    cases = "\n".join(f'        {c.name}) words="{_words(c)}" ;;' for c in cmds[1:])
    values = "\n".join(
        f"""        {"|".join(options)})
            local IFS=$'\\n'
            COMPREPLY=($(compgen -W "$(llmtui completion {source} 2>/dev/null)" -- "$cur"))
            declare -F __ltrim_colon_completions >/dev/null && __ltrim_colon_completions "$cur"
            return ;;""" for source, options in _by_source().items())
    return f"""# llmtui completion for bash: eval "$(llmtui completion bash)" in ~/.bashrc
_llmtui() {{
    local cur="${{COMP_WORDS[COMP_CWORD]}}" prev="${{COMP_WORDS[COMP_CWORD-1]}}" words
    case "$prev" in
{values}
    esac
    case "${{COMP_WORDS[1]}} $prev" in
{fixed}
    esac
    if [ "$COMP_CWORD" -eq 1 ]; then
        COMPREPLY=($(compgen -W "{_words(top)}" -- "$cur"))
        return
    fi
    case "${{COMP_WORDS[1]}}" in
{cases}
        *) words="{" ".join(o for opts in top.options for o in opts)}" ;;
    esac
    COMPREPLY=($(compgen -W "$words" -- "$cur"))
}}
complete -o default -F _llmtui llmtui
"""


def zsh_script(cmds: list[Command]) -> str:
    top = cmds[0]
    fixed = _fixed_cases(cmds, "compadd -- {values}")
    cases = "\n".join(f"        {c.name}) compadd -- {_words(c)} ;;" for c in cmds[1:])
    values = "\n".join(
        f"""        {"|".join(options)})
            local -a refs
            refs=(${{(f)"$(llmtui completion {source} 2>/dev/null)"}})
            compadd -- $refs
            return ;;""" for source, options in _by_source().items())
    return f"""#compdef llmtui
# llmtui completion for zsh: put `source <(llmtui completion zsh)` in ~/.zshrc (after compinit),
# or save it as _llmtui in a directory on $fpath.
_llmtui() {{
    case "${{words[CURRENT-1]}}" in
{values}
    esac
    case "${{words[2]}} ${{words[CURRENT-1]}}" in
{fixed}
    esac
    if (( CURRENT == 2 )); then
        compadd -- {_words(top)}
        return
    fi
    case "${{words[2]}}" in
{cases}
        *) _files ;;
    esac
}}
if [[ "${{zsh_eval_context[-1]}}" == loadautofunc ]]; then
    _llmtui "$@"
else
    compdef _llmtui llmtui
fi
"""


def _fish_flag(opts: tuple[str, ...], fixed: tuple[str, ...] = ()) -> str:
    parts = []
    for o in opts:
        if o.startswith("--"):
            parts.append(f"-l {o[2:]}")
        elif len(o) == 2:
            parts.append(f"-s {o[1]}")
    source = next((VALUE_SOURCES[o] for o in opts if o in VALUE_SOURCES), None)
    values = f" -xa '(llmtui completion {source} 2>/dev/null)'" if source else ""
    if fixed:
        values = f" -xa '{' '.join(fixed)}'"
    return " ".join(parts) + values


def fish_script(cmds: list[Command]) -> str:
    top = cmds[0]
    lines = ["# llmtui completion for fish: llmtui completion fish > ~/.config/fish/completions/llmtui.fish",
             "complete -c llmtui -f"]
    for opts in top.options:
        lines.append(f"complete -c llmtui -n __fish_use_subcommand {_fish_flag(opts)}")
    for c in cmds[1:]:
        help_text = c.help.replace("'", "")
        lines.append(f"complete -c llmtui -n __fish_use_subcommand -a {c.name} -d '{help_text}'")
        seen = f"'__fish_seen_subcommand_from {c.name}'"
        if c.actions:
            lines.append(f"complete -c llmtui -n {seen} -a '{' '.join(c.actions)}'")
        fixed = dict(c.choices)
        for opts in c.options:
            lines.append(f"complete -c llmtui -n {seen} {_fish_flag(opts, fixed.get(opts, ()))}")
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace) -> int:
    if args.models or args.presets:
        for value in model_refs() if args.models else preset_names():
            print(value)
        return 0
    if args.shell is None:
        from llmtui.cli.common import fail

        fail("name a shell: llmtui completion bash|zsh|fish")
        return 2
    build = {"bash": bash_script, "zsh": zsh_script, "fish": fish_script}[args.shell]
    print(build(commands()), end="")
    return 0
