#!/usr/bin/env bash
# Builds what TraceSpool deploys on AWS Lambda, into OUT:
#   OUT/extensions/tracespool-upload   the uploader (release, Swift standard library linked statically, stripped);
#                                      Lambda starts every file of /opt/extensions/ as an external extension
#                                      (https://docs.aws.amazon.com/lambda/latest/dg/packaging-layers.html and
#                                      https://docs.aws.amazon.com/lambda/latest/dg/lambda-extensions.html)
#   OUT/layer.zip                      extensions/tracespool-upload (mode 0755), and lib/ with the shared libraries
#                                      it needs that a Lambda runtime may lack (liblz4, libsqlite3, libz; glibc,
#                                      libstdc++ and libgcc_s are the runtime's own). Lambda puts /opt/lib on
#                                      LD_LIBRARY_PATH:
#                                      https://docs.aws.amazon.com/lambda/latest/dg/packaging-layers.html#packaging-layers-paths)
#   OUT/function/bootstrap             tracespool-lambda-demo, the same way: a custom runtime's entry point
#   OUT/function.zip                   bootstrap (mode 0755), and lib/ likewise (/var/task/lib is on LD_LIBRARY_PATH)
# and prints the sizes. Release builds go to .build-release (TRACESPOOL_LAYER_SCRATCH overrides it), apart from the
# debug build in .build.
#
# Usage: Tools/lambda-layer.sh OUT
#
# The binaries link glibc (and libstdc++, libgcc_s) dynamically: they run on a Lambda runtime whose glibc is at least
# the newest GLIBC_x.y version they or their bundled libraries reference, which the script prints, with a warning
# when it is newer than provided.al2023's glibc 2.34 (then build on Amazon Linux 2023, or fully static with the
# Static Linux SDK: swift build --swift-sdk x86_64-swift-linux-musl). Needs cc, strip, objdump, ldd and python3.
set -euo pipefail

if [ $# -ne 1 ] || [ -z "$1" ]; then
    echo "usage: Tools/lambda-layer.sh OUT" >&2
    exit 64
fi
out=$1
root=$(cd "$(dirname "$0")/.." && pwd)
scratch=${TRACESPOOL_LAYER_SCRATCH:-$root/.build-release}
mkdir -p "$out"
out=$(cd "$out" && pwd)

build=(swift build --package-path "$root" --scratch-path "$scratch" -c release --static-swift-stdlib)

# glibc 2.35 gave hypot and hypotf a new symbol version, which swift-numerics (under AsyncHTTPClient) references when
# built on a newer glibc: that alone would keep the binaries off provided.al2023 (glibc 2.34). The linker wraps both
# (--wrap), and the wrappers call the versions every x86_64 or aarch64 glibc has, looked up once with dlvsym (a
# scaled sqrt if that ever fails), so no reference to hypot@GLIBC_2.35 is left.
case "$(uname -m)" in
x86_64) base=GLIBC_2.2.5 ;;
aarch64) base=GLIBC_2.17 ;;
*) base= ;;
esac
if [ -n "$base" ]; then
    mkdir -p "$scratch/glibc-compat"
    sed "s/BASE_VERSION/$base/" >"$scratch/glibc-compat/hypot.c" <<'EOF'
#define _GNU_SOURCE
#include <dlfcn.h>
typedef double (*hypot_fn)(double, double);
typedef float (*hypotf_fn)(float, float);
static hypot_fn hypot_base;
static hypotf_fn hypotf_base;
static double scaled(double x, double y) {
    double a = __builtin_fabs(x), b = __builtin_fabs(y);
    if (__builtin_isinf(a) || __builtin_isinf(b)) return __builtin_inf();
    double m = a > b ? a : b, n = a > b ? b : a;
    if (m == 0 || n != n) return m + n;
    double r = n / m;
    return m * __builtin_sqrt(1 + r * r);
}
double __wrap_hypot(double x, double y) {
    hypot_fn f = __atomic_load_n(&hypot_base, __ATOMIC_ACQUIRE);
    if (!f) {
        f = (hypot_fn)dlvsym(RTLD_DEFAULT, "hypot", "BASE_VERSION");
        if (f) __atomic_store_n(&hypot_base, f, __ATOMIC_RELEASE);
    }
    return f ? f(x, y) : scaled(x, y);
}
float __wrap_hypotf(float x, float y) {
    hypotf_fn f = __atomic_load_n(&hypotf_base, __ATOMIC_ACQUIRE);
    if (!f) {
        f = (hypotf_fn)dlvsym(RTLD_DEFAULT, "hypotf", "BASE_VERSION");
        if (f) __atomic_store_n(&hypotf_base, f, __ATOMIC_RELEASE);
    }
    return f ? f(x, y) : (float)scaled(x, y);
}
EOF
    cc -O2 -fPIC -fno-math-errno -c "$scratch/glibc-compat/hypot.c" -o "$scratch/glibc-compat/hypot.o"
    build+=(-Xlinker --wrap=hypot -Xlinker --wrap=hypotf -Xlinker "$scratch/glibc-compat/hypot.o")
fi
bin=$("${build[@]}" --show-bin-path)
# SwiftPM does not see the wrapper object as an input: the executables go, so that they are linked with it.
rm -f "$bin/tracespool-upload" "$bin/tracespool-lambda-demo"
started=$(date +%s)
"${build[@]}" --product tracespool-upload
"${build[@]}" --product tracespool-lambda-demo
built=$(date +%s)

rm -rf "$out/extensions" "$out/function" "$out/layer" "$out/layer.zip" "$out/function.zip"
mkdir -p "$out/extensions" "$out/function"
install -m 0755 "$bin/tracespool-upload" "$out/extensions/tracespool-upload"
install -m 0755 "$bin/tracespool-lambda-demo" "$out/function/bootstrap"
strip "$out/extensions/tracespool-upload" "$out/function/bootstrap"

# Shared libraries other than glibc's own, the C++ runtime and the dynamic loader, copied next to the binary as lib/.
bundle() { # BINARY DIR
    local binary=$1 dir=$2
    ldd "$binary" | awk '$2 == "=>" && $3 ~ /^\// { print $1, $3 }' | while read -r name path; do
        case "$name" in
        libc.so.* | libm.so.* | libpthread.so.* | libdl.so.* | librt.so.* | libutil.so.* | ld-linux* | \
            libstdc++.so.* | libgcc_s.so.*) ;;
        *)
            mkdir -p "$dir/lib"
            install -m 0644 "$(readlink -f "$path")" "$dir/lib/$name"
            ;;
        esac
    done
}
mkdir -p "$out/layer/extensions"
cp -p "$out/extensions/tracespool-upload" "$out/layer/extensions/"
bundle "$out/extensions/tracespool-upload" "$out/layer"
bundle "$out/function/bootstrap" "$out/function"

# zip with each file's Unix mode kept (external_attr), deterministic order; Python's zipfile, as `zip` may be missing.
python3 - "$out/layer" "$out/layer.zip" "$out/function" "$out/function.zip" <<'EOF'
import os, sys, zipfile

def pack(source, target):
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for directory, subdirectories, files in sorted(os.walk(source)):
            subdirectories.sort()
            for name in sorted(files):
                path = os.path.join(directory, name)
                info = zipfile.ZipInfo(os.path.relpath(path, source), date_time=(2020, 1, 1, 0, 0, 0))
                info.external_attr = (os.stat(path).st_mode & 0o777 | 0o100000) << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                with open(path, "rb") as f:
                    archive.writestr(info, f.read())

pack(sys.argv[1], sys.argv[2])
pack(sys.argv[3], sys.argv[4])
EOF

size() { stat -c %s "$1"; }
tree_size() { du -sb --apparent-size "$1" | cut -f1; }
# The newest glibc symbol version the files under $1 reference.
glibc() { find "$1" -type f -exec objdump -T {} + 2>/dev/null | grep -o 'GLIBC_[0-9.]*' | sort -uV | tail -1; }
al2023=GLIBC_2.34
check_glibc() { # DIR NAME
    local needed
    needed=$(glibc "$1")
    echo "$2 needs $needed"
    if [ "$(printf '%s\n%s\n' "$needed" "$al2023" | sort -V | tail -1)" != "$al2023" ]; then
        echo "warning: $2 needs $needed, newer than provided.al2023's $al2023: it will not start there" >&2
    fi
}
echo "build: $((built - started)) s (release, --static-swift-stdlib, scratch $scratch)"
echo "extensions/tracespool-upload: $(size "$out/extensions/tracespool-upload") bytes (stripped)"
echo "layer unzipped: $(tree_size "$out/layer") bytes ($(cd "$out/layer" && find . -type f | sort | tr '\n' ' '))"
echo "layer.zip: $(size "$out/layer.zip") bytes"
echo "function/bootstrap: $(size "$out/function/bootstrap") bytes (stripped)"
echo "function unzipped: $(tree_size "$out/function") bytes ($(cd "$out/function" && find . -type f | sort | tr '\n' ' '))"
echo "function.zip: $(size "$out/function.zip") bytes"
check_glibc "$out/layer" "the layer"
check_glibc "$out/function" "the function"
