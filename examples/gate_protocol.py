"""The implementation's side of the `dlnv gate` protocol (protocol 1, docs/PROTOCOL.md), shared by the adapters here.

    from gate_protocol import read_matrix, serve
    serve(handle)      # handle(request) -> answer dict; serve adds the id and writes one JSON line per request

Copy this file next to your adapter. Only protocol answers reach stdout: whatever `handle` prints goes to stderr.
"""
import base64
import contextlib
import json
import sys

import numpy as np


def read_matrix(m):
    """A matrix of a request ({shape, data} or {shape, dtype, base64}, row-major) as a float64 NumPy array."""
    if "base64" in m:
        a = np.frombuffer(base64.b64decode(m["base64"]), dtype="<f8" if m["dtype"] == "float64" else "<f4")
    else:
        a = np.array(m["data"], dtype=np.float64)
    return a.reshape(m["shape"]).astype(np.float64)


def serve(handle):
    """Answer every request on stdin, in order, until stdin closes; an exception becomes the request's error answer."""
    for line in sys.stdin:
        req = json.loads(line)
        try:
            with contextlib.redirect_stdout(sys.stderr):  # a print in the model must not reach the protocol stream
                answer = handle(req)
        except Exception as e:  # report, stay alive: the gate prints the message and stops
            answer = {"error": "%s: %s" % (type(e).__name__, e)}
        sys.stdout.write(json.dumps({"id": req["id"], **answer}) + "\n")
        sys.stdout.flush()
