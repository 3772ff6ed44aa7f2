#!/usr/bin/env python3
"""Build the uuencoded and BinHex 4.0 test files (RFC 1741) from scratch,
independently of src/mail/decode.c: `make_encoded.py binhex NAME FILE`
prints FILE's BinHex text; `make_encoded.py uu NAME FILE` its uuencoded
block; `make_encoded.py png` / `bmp` write small images to stdout."""
import binascii
import struct
import sys
import zlib

ALPHA = b"!\"#$%&'()*+,-012345689@ABCDEFGHIJKLMNPQRSTUVXYZ[`abcdefhijklmpqr"


def rle(data):
    out, i = bytearray(), 0
    while i < len(data):
        b, j = data[i], i
        while j < len(data) and data[j] == b and j - i < 255:
            j += 1
        run = j - i
        if b == 0x90:
            out += b"\x90\x00"
            if run > 1:
                out += bytes([0x90, run])
        elif run >= 3:
            out += bytes([b, 0x90, run])
        else:
            out += bytes([b]) * run
        i = j
    return bytes(out)


def six(data):
    bits = nbits = 0
    out = bytearray()
    for b in data:
        bits, nbits = bits << 8 | b, nbits + 8
        while nbits >= 6:
            nbits -= 6
            out.append(ALPHA[bits >> nbits & 63])
    if nbits:
        out.append(ALPHA[bits << (6 - nbits) & 63])
    return bytes(out)


def crc(data):
    return struct.pack(">H", binascii.crc_hqx(data, 0))


def binhex(name, data, rsrc=b"", ftype=b"PNGf", creator=b"prvw"):
    hdr = bytes([len(name)]) + name + b"\0" + ftype + creator + b"\0\0"
    hdr += struct.pack(">II", len(data), len(rsrc))
    raw = hdr + crc(hdr) + data + crc(data) + rsrc + crc(rsrc)
    enc = six(rle(raw))
    lines = [enc[i:i + 64] for i in range(0, len(enc), 64)]
    body = b"\r\n".join(lines)
    return (b"(This file must be converted with BinHex 4.0)\r\n\r\n:" +
            body + b":\r\n")


def uu(name, data):
    out = b"begin 644 " + name + b"\r\n"
    for i in range(0, len(data), 45):
        out += binascii.b2a_uu(data[i:i + 45], backtick=True).rstrip(b"\n")
        out += b"\r\n"
    return out + b"`\r\nend\r\n"


def png():
    def chunk(t, d):
        return (struct.pack(">I", len(d)) + t + d +
                struct.pack(">I", zlib.crc32(t + d)))
    ihdr = struct.pack(">IIBBBBB", 4, 4, 8, 0, 0, 0, 0)
    pix = zlib.compress(b"\0\x90\x90\x90\x90" * 4)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) +
            chunk(b"IDAT", pix) + chunk(b"IEND", b""))


def bmp():
    pix = b"\0\0\xff\0" * 4
    head = struct.pack("<IiiHHIIiiII", 40, 2, 2, 1, 24, 0, len(pix),
                       2835, 2835, 0, 0)
    return (b"BM" + struct.pack("<IHHI", 14 + len(head) + len(pix), 0, 0,
                                14 + len(head)) + head + pix)


if __name__ == "__main__":
    what = sys.argv[1]
    if what in ("png", "bmp"):
        sys.stdout.buffer.write(png() if what == "png" else bmp())
    else:
        name = sys.argv[2].encode("mac_roman" if what == "binhex" else "utf-8")
        with open(sys.argv[3], "rb") as f:
            data = f.read()
        sys.stdout.buffer.write(binhex(name, data, b"\x90\x90rsrc" * 3)
                                if what == "binhex" else uu(name, data))
