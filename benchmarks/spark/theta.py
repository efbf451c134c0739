"""What the Spark checks compare: the models (W.npy, B.npy) that train wrote in run directories, read without numpy.

    python3 benchmarks/spark/theta.py WHAT RUN REFERENCE [SAME]

prints the relative ||theta_RUN - theta_REFERENCE|| (exit 1 above 1e-12) and, with SAME, whether SAME's
model has RUN's bits (exit 1 if not). WHAT names the check in the output.
"""
import math
import struct
import sys


def npy(path):  # a float64 or float32 .npy
    raw = open(path, "rb").read()
    hlen = struct.unpack("<H", raw[8:10])[0]
    header = raw[10:10 + hlen].decode()
    code = "d" if "<f8" in header else "f"
    data = raw[10 + hlen:]
    return list(struct.unpack("<%d%s" % (len(data) // struct.calcsize(code), code), data))


def theta(run):
    return npy(f"{run}/model/W.npy") + npy(f"{run}/model/B.npy")


what, run, ref = sys.argv[1:4]
a, b = theta(run), theta(ref)
rel = math.sqrt(sum((x - y) ** 2 for x, y in zip(a, b))) / math.sqrt(sum(y * y for y in b))
print(f"{what}: relative ||dtheta|| = {rel:.3g} (bound 1e-12)")
ok = rel <= 1e-12
if len(sys.argv) > 4:
    same = theta(sys.argv[4]) == a
    print(f"{what}: {sys.argv[4].rsplit('/', 1)[-1]} equals {run.rsplit('/', 1)[-1]} bit for bit: {same}")
    ok = ok and same
sys.exit(0 if ok else 1)
