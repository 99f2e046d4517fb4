"""The provers a process offers, by name: `tidy` always; `reprover` and `tidy+reprover` when a
ReProver model is configured. One engine per prover, all on the same Lean pool."""

from __future__ import annotations

from service.config import Settings
from service.equivalence.engine import MATHLIB_HEADER, EquivalenceEngine, warm_up_chunks
from service.equivalence.prelude import prelude_library
from service.lean.backend import make_backend
from service.lean.library import LeanLibrary
from service.lean.pool import LeanPool, auto_pool_size
from service.prover.reprover import ReProver

PROVER_NAMES = ("tidy", "reprover", "tidy+reprover")


def session_libraries(settings: Settings) -> tuple[LeanLibrary, ...]:
    """The libraries every session imports: on the embedded Lean, unless a header is configured,
    the Mathlib-compatibility prelude."""
    if settings.lean_header or settings.backend != "embedded" or not settings.compat_prelude:
        return ()
    return (prelude_library(),)


def session_header(settings: Settings) -> str:
    """What every document starts with: the configured header (`import Mathlib` for a native
    Mathlib project), else the imports of the session's libraries."""
    if libraries := session_libraries(settings):
        return "\n".join(library.import_line for library in libraries)
    return settings.lean_header


def engine_pool(settings: Settings, size: int | None = None, warm_up: bool | None = None) -> LeanPool:
    """The Lean pool the engines run on, as the settings say. Its sessions start warmed up with
    the portfolio unless `settings.warm_up` is off (a server's first checks are then as fast as
    its later ones); a one-shot check passes `warm_up=False`, so that it pays only for the
    scripts its pair needs."""
    warm_up = settings.warm_up if warm_up is None else warm_up
    header = session_header(settings)
    return LeanPool(
        make_backend(settings),
        size=size or settings.pool_size or auto_pool_size(settings.session_memory_mb),
        header=header,
        libraries=session_libraries(settings),
        job_timeout_s=settings.job_timeout_s,
        memory_limit_mb=settings.session_memory_limit_mb,
        start_timeout_s=settings.start_timeout_s,
        warm_up=warm_up_chunks(mathlib=MATHLIB_HEADER.search(header) is not None) if warm_up else None,
        recycle_after_runs=settings.session_recycle_runs,
        recycle_above_mb=settings.session_recycle_mb,
    )


def load_reprover(settings: Settings) -> ReProver | None:
    """The configured ReProver (its model loaded now), or None when none is configured."""
    if settings.reprover_model is None:
        return None
    from service.prover.generator import ByT5TacticGenerator
    from service.prover.search import SearchConfig

    generator = ByT5TacticGenerator(
        settings.reprover_model,
        device=settings.reprover_device,
        dtype=settings.reprover_dtype,
        decoding=settings.reprover_decoding,
    )
    config = SearchConfig(k=settings.reprover_k, max_expansions=settings.reprover_expansions)
    return ReProver(generator, config)


def engines(pool: LeanPool, reprover: ReProver | None) -> dict[str, EquivalenceEngine]:
    offered = {"tidy": EquivalenceEngine(pool)}
    if reprover is not None:
        for name, tidy in (("reprover", False), ("tidy+reprover", True)):
            offered[name] = EquivalenceEngine(pool, reprover=reprover, tidy=tidy)
    return offered
