#!/usr/bin/env bash
# Builds DJL 0.33.0's PyTorch JNI (libdjl_torch.so) against a PyTorch already on this machine (pip's
# torch, with its CUDA libraries), for a GPU machine that cannot fetch DJL's pytorch-native-cu124
# natives (offline, or a CUDA newer than 12.4). Prints the variables under which Netbook then runs
# on that PyTorch, for example `./netbook gpu-check`. This is how RESULTS.md's H200 run was made
# (PyTorch 2.11 with CUDA 13.0); DJL 0.33.0's JNI is written for PyTorch 2.5.1, so this is a check
# of Netbook's GPU path, not a supported build.
#
#   src/bench/gpu/djl-jni-for-local-torch.sh DJL_SOURCES [PYTHON]
#
# DJL_SOURCES: a copy of github.com/deepjavalibrary/djl at tag v0.33.0 (its api/ and engines/pytorch/).
# PYTHON: the python3 whose torch to use (default python3). Needs g++ and a JDK (javac, jni.h).
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 DJL_SOURCES [PYTHON]" >&2; exit 2; }
DJL="$(cd "$1" && pwd)"; PY="${2:-python3}"
NATIVE="$DJL/engines/pytorch/pytorch-native/src/main/native"
LIBRARY="$DJL/engines/pytorch/pytorch-engine/src/main/java/ai/djl/pytorch/jni/PyTorchLibrary.java"
for f in "$NATIVE" "$LIBRARY" "$DJL/api/src/main/native/djl/utils.h"; do
  [ -e "$f" ] || { echo "$0: $f is missing; DJL_SOURCES must be DJL's sources at v0.33.0" >&2; exit 2; }
done
JAVAC="$(command -v javac || true)"
[ -n "$JAVAC" ] || { echo "$0: no javac on the PATH (a JDK gives the JNI header and jni.h)" >&2; exit 2; }
JDK="$(dirname "$(dirname "$(readlink -f "$JAVAC")")")"
read -r TORCH VERSION ABI CUDA <<<"$("$PY" -c 'import torch; print(torch.__path__[0], torch.__version__.split("+")[0], int(torch._C._GLIBCXX_USE_CXX11_ABI), torch.version.cuda)')" \
  || { echo "$0: $PY cannot import torch" >&2; exit 2; }
FLAVOR=cpu; [ "$CUDA" = None ] || FLAVOR="cu${CUDA//./}"
CACHE="${DJL_CACHE_DIR:-$HOME/.djl.ai}"; DEST="$CACHE/pytorch/$VERSION-$FLAVOR-linux-x86_64"
WORK="$(mktemp -d)"; trap 'rm -rf "$WORK"' EXIT
echo "building DJL 0.33.0's JNI against PyTorch $VERSION ($FLAVOR) at $TORCH" >&2
"$JAVAC" -h "$WORK/include" -d "$WORK/classes" "$LIBRARY"
FLAGS="-O2 -fPIC -std=c++17 -w -D_GLIBCXX_USE_CXX11_ABI=$ABI -I$WORK/include -I$DJL/api/src/main/native -I$TORCH/include
  -I$TORCH/include/torch/csrc/api/include -I$JDK/include -I$JDK/include/linux"
mkdir -p "$WORK/obj" "$DEST"
export FLAGS WORK
ls "$NATIVE"/*.cc | xargs -P "$(nproc)" -I{} sh -c 'g++ $FLAGS -c "{}" -o "$WORK/obj/$(basename "{}" .cc).o"'
LIBS=(-ltorch -ltorch_cpu -lc10); [ "$FLAVOR" = cpu ] || LIBS+=(-ltorch_cuda -lc10_cuda)
g++ -shared -o "$DEST/0.33.0-libdjl_torch.so.tmp" "$WORK"/obj/*.o -L"$TORCH/lib" -Wl,--no-as-needed "${LIBS[@]}" -Wl,--as-needed -Wl,-rpath,"$TORCH/lib"
mv "$DEST/0.33.0-libdjl_torch.so.tmp" "$DEST/0.33.0-libdjl_torch.so"
# DJL loads every library in torch/lib; the Python bindings and test libraries of a wheel must stay out.
EXCLUDE="$(cd "$TORCH/lib" && ls | grep -E 'torch_python|test|aoti_custom|backend_with_compiler' | paste -sd, -)" || EXCLUDE=""
# A CUDA wheel's own libraries (cuDNN, cuBLAS) lie beside torch under nvidia/; a CPU build has none.
NVIDIA="$(ls -d "$(dirname "$TORCH")"/nvidia/*/lib 2>/dev/null | paste -sd: -)" || NVIDIA=""
echo "built $DEST/0.33.0-libdjl_torch.so; run Netbook with:" >&2
echo "export PYTORCH_LIBRARY_PATH=$TORCH/lib PYTORCH_VERSION=$VERSION PYTORCH_FLAVOR=$FLAVOR DJL_CACHE_DIR=$CACHE PYTORCH_LIBRARY_EXCLUSION=$EXCLUDE${NVIDIA:+ LD_LIBRARY_PATH=$NVIDIA}"
[ "$FLAVOR" = cpu ] || echo "export NETBOOK_JAVA_OPTS='-Xmx16g -Djna.library.path=/usr/local/cuda/lib64'   # where libcudart.so is: DJL finds the GPU through it"
