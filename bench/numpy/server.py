"""The peers' side of `npm run bench`: a line-oriented JSON server the TypeScript harness (bench/run.ts) drives.

Each request {"id", "workload", "args"} runs one workload once and answers {"id", "wall", "cpu", "result"}
(wall: time.perf_counter, cpu: time.process_time, both in seconds, around the run() call only), so the harness
can interleave dlnv and NumPy repeats under the same machine load. The first line written is an "info" record.
The BLAS thread count is pinned by the environment the harness sets (OPENBLAS_NUM_THREADS etc.) and reported
as seen by OpenBLAS itself when it can be queried. PyTorch (the second peer, workloads "torch:…") is used when it
imports, with torch.set_num_threads set to the same count.
"""
import ctypes
import ctypes.util
import json
import os
import platform
import sys
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np  # noqa: E402

import gemm  # noqa: E402
import w1_gd  # noqa: E402
import w2_flow  # noqa: E402
import w3_taylor  # noqa: E402
import w4_sgd  # noqa: E402

WORKLOADS = {"gemm": gemm.run, "w1": w1_gd.run, "w2": w2_flow.run, "w3": w3_taylor.run, "w4": w4_sgd.run}

try:
    import torch  # noqa: E402

    import torch_gemm  # noqa: E402
    import torch_w1  # noqa: E402
    import torch_w2  # noqa: E402
    import torch_w3  # noqa: E402
    import torch_w4  # noqa: E402

    torch.set_num_threads(int(os.environ.get("OPENBLAS_NUM_THREADS", "1")))
    WORKLOADS.update(
        {
            "torch:gemm": torch_gemm.run,
            "torch:w1": torch_w1.run,
            "torch:w2": torch_w2.run,
            "torch:w3": torch_w3.run,
            "torch:w4": torch_w4.run,
        }
    )
except ImportError:
    torch = None


def blas_info():
    """The BLAS library NumPy links (resolved through Debian's alternatives) and its thread count."""
    info = {}
    # Only the file name is reported: where the library lives on this machine is not a result.
    for name in ("/usr/lib/x86_64-linux-gnu/libblas.so.3", "/usr/lib/aarch64-linux-gnu/libblas.so.3"):
        if os.path.exists(name):
            info["library"] = os.path.join(*os.path.realpath(name).split(os.sep)[-2:])
            try:
                lib = ctypes.CDLL(name)
                info["threads"] = int(lib.openblas_get_num_threads())
                lib.openblas_get_config.restype = ctypes.c_char_p
                info["config"] = lib.openblas_get_config().decode()
            except (AttributeError, OSError):
                pass
            break
    return info


def main():
    info = {
        "info": True,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "blas": blas_info(),
        "env": {k: os.environ.get(k) for k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")},
        "torch": None if torch is None else {"version": torch.__version__, "threads": torch.get_num_threads()},
        "workloads": sorted(WORKLOADS),
    }
    print(json.dumps(info), flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        try:
            fn = WORKLOADS[request["workload"]]
            wall0, cpu0 = time.perf_counter(), time.process_time()
            result = fn(request["args"])
            wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
            reply = {"id": request["id"], "wall": wall, "cpu": cpu, "result": result}
        except Exception:  # reported to the harness, which prints it
            reply = {"id": request["id"], "error": traceback.format_exc()}
        print(json.dumps(reply), flush=True)


if __name__ == "__main__":
    main()
