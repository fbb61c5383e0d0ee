#!/usr/bin/env python3
"""Generates the hostile scenario corpus (files/) and cli-invocations.txt. Deterministic: rerun
to regenerate (python3 generate.py from this directory). See README.md."""
import os, random, shutil

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "files")
M = "machine: {granule: 4K, kernel: mainline, ram: 4G@0x4000_0000}\n"
cases = {}

def add(name, text):
    assert name not in cases, name
    cases[name] = text if isinstance(text, bytes) else text.encode("utf-8")

def machine(body):
    add_name = None
    return "machine: {" + body + "}\nsteps:\n  - memremap: {id: a, start: 0x20_0000_0000, size: 1G}\n"

def step(body, m=M):
    return m + "steps:\n" + body

# --- machine-level ---------------------------------------------------------------------------
ram_bad = {
    "ram-unaligned-start": "4G@0x4000_0001", "ram-unaligned-size": "4097@0x4000_0000",
    "ram-zero-size": "0@0x4000_0000", "ram-16E": "16E@0x0", "ram-huge-hex-size": "0x1_0000_0000_0000_0000@0",
    "ram-wrap-2-64": "1M@0xffff_ffff_ffff_f000", "ram-beyond-physmem-bits": "1G@0x1_0000_0000_0000",
    "ram-negative-size": "-4G@0x4000_0000", "ram-negative-start": "4G@-0x1000", "ram-float-size": "1.5G@0x4000_0000",
    "ram-no-at": "4G", "ram-empty": "''", "ram-garbage": "lots", "ram-double-at": "4G@@0x4000_0000",
    "ram-bad-node": "4G@0x4000_0000:x", "ram-negative-node": "4G@0x4000_0000:-1", "ram-huge-node": "4G@0x4000_0000:99999999999",
    "ram-bad-suffix": "4Q@0x4000_0000", "ram-lowercase-junk": "4gig@0x4000_0000", "ram-hex-junk": "4G@0xZZ",
    "ram-size-overflow-suffix": "99999999999999999999G@0", "ram-null": "null", "ram-bool": "true", "ram-map-empty": "{}",
    "ram-list-empty": "[]", "ram-nested-list": "[[4G@0x4000_0000]]",
}
for n, v in ram_bad.items():
    add("machine-" + n + ".yaml", machine("granule: 4K, ram: " + v))
add("machine-ram-overlap.yaml", machine("ram: [4G@0x4000_0000, 4G@0x8000_0000]"))
add("machine-ram-duplicate.yaml", machine("ram: [4G@0x4000_0000, 4G@0x4000_0000]"))
add("machine-ram-contained.yaml", machine("ram: [4G@0x4000_0000, 1G@0x8000_0000]"))
add("machine-pmem-overlap-ram.yaml", machine("ram: 4G@0x4000_0000, pmem: [4G@0x8000_0000]"))
add("machine-pmem-overlap-pmem.yaml", machine("ram: 4G@0x4000_0000, pmem: [4G@0x20_0000_0000, 4G@0x20_8000_0000]"))
add("machine-pmem-wrap.yaml", machine("ram: 4G@0x4000_0000, pmem: [1M@0xffff_ffff_ffff_f000]"))
add("machine-pmem-unaligned.yaml", machine("ram: 4G@0x4000_0000, pmem: [4G@0x20_0000_0001]"))
add("machine-pmem-zero.yaml", machine("ram: 4G@0x4000_0000, pmem: [0@0x20_0000_0000]"))
add("machine-pmem-16E.yaml", machine("ram: 4G@0x4000_0000, pmem: [16E@0x20_0000_0000]"))
add("machine-pmem-beyond-physmem.yaml", machine("ram: 4G@0x4000_0000, pmem: [1G@0x10_0000_0000_0000]"))
add("machine-pmem-string-number.yaml", machine("ram: 4G@0x4000_0000, pmem: [{size: lots, start: 0x20_0000_0000}]"))
add("machine-ram-map-unknown-key.yaml", machine("ram: [{size: 4G, start: 0x4000_0000, colour: red}]"))
add("machine-ram-map-missing-size.yaml", machine("ram: [{start: 0x4000_0000}]"))
add("machine-ram-map-bool-size.yaml", machine("ram: [{size: true, start: 0x4000_0000}]"))
add("machine-ram-map-float-start.yaml", machine("ram: [{size: 4G, start: 1.5e9}]"))
for n, v in {"granule-8K": "granule: 8K", "granule-0": "granule: 0", "granule-list": "granule: [4K]",
             "granule-bool": "granule: true", "granule-neg": "granule: -4K", "granule-2M": "granule: 2M",
             "kernel-4.19": "kernel: '4.19'", "kernel-list": "kernel: [mainline]",
             "kernel-empty": "kernel: ''", "kernel-map": "kernel: {v: 6.1}", "arch-sparc": "arch: sparc64",
             "arch-number": "arch: 64", "va-bits-99": "va_bits: 99", "va-bits-neg": "va_bits: -48",
             "va-bits-string": "va_bits: lots", "va-bits-float": "va_bits: 48.5", "va-bits-39-16k": "granule: 16K, va_bits: 39",
             "rodata-string": "rodata_full: maybe", "rodata-number": "rodata_full: 2",
             "mom-bad": "memmap_on_memory: sometimes", "mom-list": "memmap_on_memory: [Y]",
             "unknown-key": "colour: red", "unknown-key-typo": "granual: 4K", "null-value": "granule: null"}.items():
    add("machine-" + n + ".yaml", machine("ram: 4G@0x4000_0000, " + v))
add("machine-is-list.yaml", "machine: [4K, mainline]\nsteps: []\n")
add("machine-is-string.yaml", "machine: arm64\nsteps:\n  - memunmap: {id: a}\n")
add("machine-is-number.yaml", "machine: 42\nsteps:\n  - memunmap: {id: a}\n")

# --- top level -----------------------------------------------------------------------------------
add("empty.yaml", "")
add("only-comments.yaml", "# nothing here\n# at all\n")
add("only-whitespace.yaml", "   \n\n\t\n")
add("top-is-list.yaml", "- a\n- b\n")
add("top-is-scalar.yaml", "hello\n")
add("top-is-number.yaml", "42\n")
add("top-is-null.yaml", "~\n")
add("top-unknown-key.yaml", M + "steps:\n  - memunmap: {id: a}\nbogus: 1\n")
add("top-no-steps.yaml", M)
add("top-steps-is-map.yaml", M + "steps: {memunmap: {id: a}}\n")
add("top-steps-is-string.yaml", M + "steps: memunmap\n")
add("top-steps-is-number.yaml", M + "steps: 3\n")
add("top-name-is-list.yaml", "name: [a, b]\n" + M + "steps:\n  - memunmap: {id: a}\n")
add("top-name-is-map.yaml", "name: {a: b}\n" + M + "steps:\n  - memunmap: {id: a}\n")
add("top-description-is-list.yaml", "description: [a]\n" + M + "steps:\n  - memunmap: {id: a}\n")
add("top-runs-and-steps.yaml", M + "steps: []\nruns: []\n")
add("top-runs-empty.yaml", "runs: []\n")
add("top-runs-is-map.yaml", "runs: {a: b}\n")
add("top-runs-too-many.yaml", "runs:\n" + "".join("  - name: r%d\n    steps: [{memunmap: {id: a}}]\n" % i for i in range(17)))
add("top-runs-dup-name.yaml", "runs:\n  - {name: a, steps: [{memunmap: {id: a}}]}\n  - {name: a, steps: [{memunmap: {id: a}}]}\n")
add("top-runs-unknown-key.yaml", "runs:\n  - {name: a, colour: red, steps: [{memunmap: {id: a}}]}\n")
add("top-runs-item-is-string.yaml", "runs:\n  - a\n")
add("top-runs-missing-steps.yaml", "runs:\n  - {name: a}\n")
add("two-documents.yaml", M + "steps: [{memunmap: {id: a}}]\n---\n" + M + "steps: []\n")
add("duplicate-key-top.yaml", M + M + "steps: [{memunmap: {id: a}}]\n")
add("duplicate-key-machine.yaml", "machine: {granule: 4K, granule: 16K}\nsteps: [{memunmap: {id: a}}]\n")
add("duplicate-key-step.yaml", M + "steps:\n  - memremap: {id: a, id: b, start: 0x20_0000_0000, size: 1G}\n")
add("anchor-alias.yaml", "machine: &m {granule: 4K}\nsteps:\n  - memunmap: *m\n")
lol = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    "%s: &%s [%s]\n" % (c, c, ", ".join(["*" + p] * 10)) for p, c in zip("abcdefgh", "bcdefghi"))
add("alias-bomb.yaml", lol + M + "steps: []\n")
add("merge-key.yaml", "base: &b {granule: 4K}\nmachine:\n  <<: *b\nsteps: []\n")
add("explicit-tag.yaml", M + "steps: !!str hello\n")
add("java-tag.yaml", M + "steps: !!javax.script.ScriptEngineManager [x]\n")
add("complex-key.yaml", "? [a, b]\n: c\n" + M + "steps: []\n")
add("non-string-key-map.yaml", M + "steps:\n  - {? {a: b} : c}\n")
add("deep-lists-10000.yaml", "steps: " + "[" * 10000 + "]" * 10000 + "\n")
add("deep-maps-200.yaml", "steps: " + "{a: " * 200 + "1" + "}" * 200 + "\n")
add("deep-block-lists-40.yaml", M + "steps:\n" + "".join("  " * i + "- \n" for i in range(1, 40)) + "  " * 40 + "- x\n")
add("unclosed-flow.yaml", M + "steps: [{memunmap: {id: a}\n")
add("unclosed-quote.yaml", M + "steps:\n  - memunmap: {id: \"a}\n")
add("bad-indent.yaml", "machine:\n  granule: 4K\n kernel: mainline\nsteps: []\n")
add("tab-indent.yaml", "machine:\n\tgranule: 4K\nsteps: []\n")
add("huge-file.yaml", "# " + "x" * 1200 + "\n" * 1 + ("# padding line " + "y" * 100 + "\n") * 10000 + M + "steps: []\n")
add("huge-single-line.yaml", "name: " + "n" * (1 << 20) + "\n" + M + "steps: []\n")
add("too-many-nodes.yaml", M + "steps: [" + ", ".join(["1"] * 210000) + "]\n")
add("too-many-steps.yaml", M + "steps:\n" + "  - {memunmap: {id: a}}\n" * 10001)
add("nul-bytes.yaml", (M + "steps: []\n").encode() + b"\0\0\0")
add("nul-in-value.yaml", b"name: a\0b\n" + M.encode() + b"steps: []\n")
add("invalid-utf8.yaml", (M + "name: ").encode() + b"\xc3\x28\xff\xfe\n" + b"steps: []\n")
add("utf16-bom.yaml", "\ufeff".encode("utf-16-le") + (M + "steps: []\n").encode("utf-16-le"))
add("lone-surrogate.yaml", (M + "steps: []\nname: ").encode() + b"\xed\xa0\x80\n")
add("control-chars.yaml", M + "steps: []\nname: \x07\x08\x1b\n")
rng = random.Random(20261122)
for i in range(20):
    add("random-bytes-%02d.bin" % i, bytes(rng.randrange(256) for _ in range(rng.randrange(1, 4096))))
for i in range(10):
    s = M + "steps:\n  - memremap: {id: a, start: 0x20_0000_0000, size: 1G}\n"
    b = bytearray(s.encode())
    for _ in range(3):
        b[rng.randrange(len(b))] = rng.randrange(256)
    b[rng.randrange(len(b))] = 0xff  # always invalid UTF-8
    add("mutated-%02d.yaml" % i, bytes(b))

# --- steps -------------------------------------------------------------------------------------
def mr(extra):
    return step("  - memremap: {" + extra + "}\n")
for n, v in {
    "no-id": "start: 0x20_0000_0000, size: 1G", "no-start": "id: a, size: 1G", "no-size": "id: a, start: 0x20_0000_0000",
    "wrap": "id: a, start: 0xffff_ffff_ffff_f000, size: 1M", "size-16E": "id: a, start: 0x20_0000_0000, size: 16E",
    "size-2-64": "id: a, start: 0x20_0000_0000, size: 0x1_0000_0000_0000_0000",
    "start-2-64": "id: a, start: 0x1_0000_0000_0000_0000, size: 1G", "size-neg": "id: a, start: 0x20_0000_0000, size: -1G",
    "start-neg": "id: a, start: -4096, size: 1G", "size-float": "id: a, start: 0x20_0000_0000, size: 1.5",
    "start-float": "id: a, start: 1e12, size: 1G", "size-bool": "id: a, start: 0x20_0000_0000, size: true",
    "size-list": "id: a, start: 0x20_0000_0000, size: [1G]", "size-map": "id: a, start: 0x20_0000_0000, size: {g: 1}",
    "size-null": "id: a, start: 0x20_0000_0000, size: null", "size-word": "id: a, start: 0x20_0000_0000, size: big",
    "size-4X": "id: a, start: 0x20_0000_0000, size: 4X", "size-overflow-digits": "id: a, start: 0x20_0000_0000, size: 184467440737095516160",
    "size-overflow-G": "id: a, start: 0x20_0000_0000, size: 17179869184G", "start-hex-junk": "id: a, start: 0xg000, size: 1G",
    "start-empty": "id: a, start: '', size: 1G", "start-underscore-only": "id: a, start: _, size: 1G",
    "type-disk": "id: a, start: 0x20_0000_0000, size: 1G, type: disk", "type-number": "id: a, start: 0x20_0000_0000, size: 1G, type: 3",
    "type-list": "id: a, start: 0x20_0000_0000, size: 1G, type: [fsdax]", "unknown-key": "id: a, start: 0x20_0000_0000, size: 1G, colour: red",
    "id-list": "id: [a], start: 0x20_0000_0000, size: 1G", "id-map": "id: {a: 1}, start: 0x20_0000_0000, size: 1G",
    "id-null": "id: null, start: 0x20_0000_0000, size: 1G",
    "nid-neg": "id: a, start: 0x20_0000_0000, size: 1G, nid: -1", "nid-string": "id: a, start: 0x20_0000_0000, size: 1G, nid: zero",
    "nid-huge": "id: a, start: 0x20_0000_0000, size: 1G, nid: 99999999999999", "nid-float": "id: a, start: 0x20_0000_0000, size: 1G, nid: 0.5",
    "altmap-list": "id: a, start: 0x20_0000_0000, size: 1G, altmap: [2, 4606]", "altmap-string": "id: a, start: 0x20_0000_0000, size: 1G, altmap: yes",
    "altmap-unknown-key": "id: a, start: 0x20_0000_0000, size: 1G, altmap: {reserve: 2, free: 4606, base: 3}",
    "altmap-neg-reserve": "id: a, start: 0x20_0000_0000, size: 1G, altmap: {reserve: -2}",
    "altmap-neg-free": "id: a, start: 0x20_0000_0000, size: 1G, altmap: {free: -1}",
    "altmap-free-word": "id: a, start: 0x20_0000_0000, size: 1G, altmap: {free: plenty}",
    "altmap-free-float": "id: a, start: 0x20_0000_0000, size: 1G, altmap: {free: 4.5}",
    "altmap-huge-reserve": "id: a, start: 0x20_0000_0000, size: 1G, altmap: {reserve: 0x1_0000_0000_0000_0000}",
    }.items():
    add("memremap-" + n + ".yaml", mr(v))
add("memremap-is-list.yaml", step("  - memremap: [a, 0x20_0000_0000, 1G]\n"))
add("memremap-is-string.yaml", step("  - memremap: a\n"))
add("memremap-is-null.yaml", step("  - memremap:\n"))
add("memunmap-no-id.yaml", step("  - memunmap: {}\n"))
add("memunmap-unknown-key.yaml", step("  - memunmap: {id: a, force: true}\n"))
add("memunmap-id-number-list.yaml", step("  - memunmap: {id: [1, 2]}\n"))
for n, v in {"wrap": "id: d, start: 0xffff_ffff_ffff_f000, size: 1M", "no-size": "id: d, start: 0x1_4000_0000",
             "size-16E": "id: d, start: 0x1_4000_0000, size: 16E", "neg-node": "id: d, start: 0x1_4000_0000, size: 1G, node: -1",
             "mom-string": "id: d, start: 0x1_4000_0000, size: 1G, memmap_on_memory: perhaps", "unknown-key": "id: d, start: 0x1_4000_0000, size: 1G, hot: true",
             "size-float": "id: d, start: 0x1_4000_0000, size: 0.5G", "no-id": "start: 0x1_4000_0000, size: 1G"}.items():
    add("add-memory-" + n + ".yaml", step("  - add_memory: {" + v + "}\n"))
add("remove-memory-unknown-key.yaml", step("  - remove_memory: {id: d, now: true}\n"))
add("remove-memory-wrap.yaml", step("  - remove_memory: {start: 0xffff_ffff_ffff_f000, size: 1M}\n"))
add("remove-memory-empty.yaml", step("  - remove_memory: {}\n"))
for n, v in {"zone-dma": "block: 40, zone: dma", "zone-number": "block: 40, zone: 1", "block-neg": "block: -1",
             "block-huge": "block: 0x1_0000_0000_0000_0000", "block-string": "block: forty", "block-and-id": "block: 40, id: d",
             "nothing": "", "unknown-key": "block: 40, when: now", "wrap": "start: 0xffff_ffff_ffff_f000, size: 1M",
             "block-float": "block: 40.5", "block-list": "block: [40, 41]"}.items():
    add("online-" + n + ".yaml", step("  - online: {" + v + "}\n"))
    add("offline-" + n + ".yaml", step("  - offline: {" + v + "}\n"))
for n, v in {"zone-dma": "id: dax0.0, start: 0x30_0000_0000, size: 4G, zone: dma", "no-id": "start: 0x30_0000_0000, size: 4G",
             "wrap": "id: dax0.0, start: 0xffff_ffff_ffff_f000, size: 1M", "node-string": "id: dax0.0, start: 0x30_0000_0000, size: 4G, node: one",
             "unknown-key": "id: dax0.0, start: 0x30_0000_0000, size: 4G, mode: devdax"}.items():
    add("dax-kmem-" + n + ".yaml", step("  - dax_kmem: {" + v + "}\n"))
add("dax-kmem-remove-no-id.yaml", step("  - dax_kmem_remove: {}\n"))
P = "machine: {granule: 4K, kernel: mainline, ram: 4G@0x4000_0000, pmem: [4G@0x20_0000_0000]}\n"
for n, v in {"mode-raw": "region: 0, size: 4G, mode: raw", "mode-number": "region: 0, size: 4G, mode: 1",
             "map-disk": "region: 0, size: 4G, map: disk", "no-size": "region: 0", "size-16E": "region: 0, size: 16E",
             "size-neg": "region: 0, size: -4G", "region-neg": "region: -1, size: 4G", "region-string": "region: zero, size: 4G",
             "align-word": "region: 0, size: 4G, align: wide",
             "unknown-key": "region: 0, size: 4G, sector_size: 512", "region-huge": "region: 0x1_0000_0000_0000_0000, size: 4G"}.items():
    add("ndctl-create-" + n + ".yaml", step("  - ndctl: {create-namespace: {" + v + "}}\n", P))
add("ndctl-unknown-verb.yaml", step("  - ndctl: {disable-region: region0}\n", P))
add("ndctl-two-verbs.yaml", step("  - ndctl: {create-namespace: {size: 4G}, destroy-namespace: namespace0.0}\n", P))
add("ndctl-is-string.yaml", step("  - ndctl: create-namespace\n", P))
add("ndctl-destroy-list.yaml", step("  - ndctl: {destroy-namespace: [namespace0.0]}\n", P))
for n, v in {"nth-neg": "nth: -1", "nth-float": "nth: 1.5", "nth-string": "nth: first",
             "unknown-key": "nth: 1, rate: 0.5", "site-list": "site: [a]",
             "site-unknown": "site: vmemap_pte_populate", "site-typo-case": "site: VMEMMAP_PMD_POPULATE"}.items():
    add("fail-alloc-" + n + ".yaml", step("  - fail_alloc: {" + v + "}\n  - memremap: {id: a, start: 0x20_0000_0000, size: 1G}\n"))
for n, v in {"unknown-step": "  - memrmap: {id: a}\n", "unknown-step-number": "  - 42: {id: a}\n",
             "two-step-keys": "  - {memremap: {id: a, start: 0x20_0000_0000, size: 1G}, memunmap: {id: a}}\n",
             "only-label": "  - label: lonely\n", "label-list": "  - {label: [a], memunmap: {id: a}}\n",
             "step-is-string": "  - memunmap\n", "step-is-number": "  - 7\n", "step-is-null": "  - \n",
             "step-is-list": "  - [memunmap, {id: a}]\n", "step-empty-map": "  - {}\n",
             "step-bool": "  - true\n", "label-map": "  - {label: {a: b}, memunmap: {id: a}}\n"}.items():
    add("step-" + n + ".yaml", step(v))
# expect
EX = "  - memremap: {id: a, start: 0x20_0000_0000, size: 1G}\n  - expect: {%s}\n"
for n, v in {"bad-root": "nowhere.x: 1", "empty-path": "'': 1",
             "dots-only": "'...': 1", "trailing-dot": "'accounting.': 1", "value-list": "accounting.ram_free_bytes: [1]",
             }.items():
    add("expect-" + n + ".yaml", step(EX % v))
add("expect-is-list.yaml", step("  - memunmap: {id: a}\n  - expect: [result, ok]\n"))
add("expect-is-string.yaml", step("  - memunmap: {id: a}\n  - expect: ok\n"))
add("expect-empty.yaml", step("  - memunmap: {id: a}\n  - expect: {}\n"))

# --- write ---------------------------------------------------------------------------------------
if os.path.isdir(OUT):
    shutil.rmtree(OUT)
os.makedirs(OUT)
for n, b in sorted(cases.items()):
    with open(os.path.join(OUT, n), "wb") as f:
        f.write(b)
print(len(cases), "files")

# --- CLI invocations -------------------------------------------------------------------------------
MACH = ["--granule=8K", "--granule=0", "--granule=", "--granule=-4K", "--granule=2M", "--kernel=4.19", "--kernel=",
        "--arch=sparc64", "--arch=", "--va-bits=99", "--va-bits=-1", "--va-bits=lots", "--va-bits=48.5",
        "--ram=4G@0x4000_0001", "--ram=0@0x4000_0000", "--ram=16E@0", "--ram=1M@0xffff_ffff_ffff_f000",
        "--ram=0x1_0000_0000_0000_0000@0", "--ram=1G@0x1_0000_0000_0000", "--ram=-4G@0", "--ram=4X@0", "--ram=4G",
        "--ram=4G@0x4000_0000 --ram=4G@0x8000_0000", "--ram=4G@0x4000_0000:-1", "--ram=4G@0x4000_0000:x",
        "--pmem=4G@0x8000_0000", "--pmem=1M@0xffff_ffff_ffff_f000", "--pmem=4G@0x20_0000_0001",
        "--memmap-on-memory=sometimes", "--rodata-full=maybe", "--granule 4K --granule 16K --granule=bogus"]
lines = ["# One vmemsim invocation per line (words split on blanks); each must exit 2. Generated by generate.py."]
for cmd in ["boot", "plan", "ndctl create-namespace --size=4G", "fuzz --ops=1"]:
    lines += [cmd + " " + m for m in MACH]
lines += ["boot --bogus", "boot extra-arg", "boot --json=yes", "boot --debug=1",
          "bogus-command", "", "--bogus", "-x",
          "plan --device=4X", "plan --device=0", "plan --device=16E", "plan --device=-1G", "plan --device=1G@0x4000_0000", "plan --device=1G@0x20_0000_0001", "plan --map=disk", "plan --mode=raw",
          "plan --align=wide", "plan --compare=granule=8K", "plan --compare=colour=red",
          "plan --compare=", "plan --compare=granule", "plan --json --csv", "plan --device",
          "ndctl", "ndctl create-namespace", "ndctl create-namespace --size=", "ndctl create-namespace --size=16E",
          "ndctl create-namespace --size=-4G", "ndctl create-namespace --size=4X", "ndctl create-namespace --size=0",
          "ndctl create-namespace --size=1.5G", "ndctl create-namespace --size=0x1_0000_0000_0000_0000",
          "ndctl create-namespace --size=4G --mode=raw", "ndctl create-namespace --size=4G --map=disk",
          "ndctl create-namespace --size=4G --align=8K", "ndctl create-namespace --size=4G --align=3M",
          "ndctl create-namespace --size=4G --bogus", "ndctl destroy-everything",
          "run /nonexistent/hostile.yaml", "run /", "run --view=bogus", "run --view=", "run --print-default some.yaml",
          "run a.yaml b.yaml", "run --json=maybe", "run --bogus",
          "report", "report --html=", "report --html=/etc/hostname/x/out.html", "report --html=/", "report --html=out.html /nonexistent/hostile.yaml",
          "report --html=out.html a.yaml b.yaml", "report --html",
          "fuzz --ops=-1", "fuzz --ops=lots", "fuzz --ops=1.5", "fuzz --ops=99999999999999999999", "fuzz --seed=abc",
          "fuzz --fail-rate=2", "fuzz --fail-rate=-0.1", "fuzz --fail-rate=NaN", "fuzz --fail-rate=lots",
          "fuzz --full-every=-1", "fuzz --full-every=x", "fuzz --ops",
          "sweep --sizes=", "sweep --sizes=4X", "sweep --sizes=16E", "sweep --sizes=-1G", "sweep --sizes=4G..1G",
          "sweep --sizes=1G..", "sweep --granules=8K", "sweep --granules=", "sweep --maps=disk", "sweep --kernels=4.19",
          "sweep --rodata-full=maybe", "sweep --va-bits=99", "sweep --modes=raw", "sweep --ram=4X", "sweep --max-pte-tables=-1", "sweep --threads=0", "sweep --threads=-4", "sweep --threads=lots",
          "sweep --csv --json", "sweep --no-charts", "sweep --out=", "sweep --bogus", "sweep extra-arg"]
with open(os.path.join(HERE, "cli-invocations.txt"), "w") as f:
    f.write("\n".join(l for l in lines if l != "") + "\n")
print(len([l for l in lines if l and not l.startswith("#")]), "invocations")
