#!/usr/bin/python3
"""Independent safetensors reader (standard library only: json + struct).

Usage: read_safetensors.py FILE
Prints {"metadata": {...}, "tensors": {name: {"dtype", "shape", "data_offsets", "values"}}}
as JSON on stdout, values flattened in row-major order. Exits 1 with a message on stderr if
the file breaks the format (header bounds, offsets, sizes). Used by the modelfile tests to
check that what zhsenti writes is what the specification says, without zhsenti's own code.
"""
import json
import struct
import sys

FORMATS = {"F64": "d", "F32": "f", "F16": "e", "I64": "q", "U64": "Q", "I32": "i", "U32": "I",
           "I16": "h", "U16": "H", "I8": "b", "U8": "B", "BOOL": "?"}
SIZES = {"F64": 8, "F32": 4, "F16": 2, "BF16": 2, "I64": 8, "U64": 8, "I32": 4, "U32": 4,
         "I16": 2, "U16": 2, "I8": 1, "U8": 1, "BOOL": 1}


def fail(msg):
    sys.stderr.write("read_safetensors: %s\n" % msg)
    sys.exit(1)


def main(path):
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 8:
        fail("file shorter than 8 bytes")
    (n,) = struct.unpack("<Q", data[:8])
    if 8 + n > len(data):
        fail("header length %d beyond end of file" % n)
    if (8 + n) % 8 != 0:
        fail("header not padded to 8-byte alignment (8 + %d)" % n)
    header_bytes = data[8:8 + n]
    if header_bytes.rstrip(b" ") != header_bytes.rstrip():
        fail("header padded with something other than spaces")
    header = json.loads(header_bytes.decode("utf-8"))
    buf = data[8 + n:]
    metadata = header.pop("__metadata__", {})
    spans = []
    out = {}
    for name, info in header.items():
        dtype, shape, (begin, end) = info["dtype"], info["shape"], info["data_offsets"]
        count = 1
        for d in shape:
            count *= d
        if count * SIZES[dtype] != end - begin:
            fail("%s: size mismatch" % name)
        raw = buf[begin:end]
        if dtype == "BF16":
            values = [struct.unpack("<f", b"\x00\x00" + raw[i:i + 2])[0] for i in range(0, len(raw), 2)]
        else:
            values = list(struct.unpack("<%d%s" % (count, FORMATS[dtype]), raw))
        out[name] = {"dtype": dtype, "shape": shape, "data_offsets": [begin, end], "values": values}
        spans.append((begin, end))
    spans.sort()
    pos = 0
    for begin, end in spans:
        if begin != pos:
            fail("tensors not contiguous at offset %d" % begin)
        pos = end
    if pos != len(buf):
        fail("buffer is %d bytes, tensors cover %d" % (len(buf), pos))
    json.dump({"metadata": metadata, "tensors": out}, sys.stdout)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        fail("usage: read_safetensors.py FILE")
    main(sys.argv[1])
