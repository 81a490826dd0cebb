"""The dataset builder's Qt .rcc reader, licence lookup and photo heuristic.
Run: cd training && /usr/bin/python3 -m unittest discover -s tests -t . -v"""
import struct
import unittest
import zlib

import numpy as np
from PIL import Image

from data.build_dataset import is_photo, licence_for, parse_copyright, read_rcc


def make_rcc(files):
    """A minimal version-3 .rcc bundle: root -> one directory 'res' -> files (name, bytes, compress)."""
    names, data = b"", b""
    name_off = {}
    for n in ["res"] + [f[0] for f in files]:
        name_off[n] = len(names)
        enc = n.encode("utf-16-be")
        names += struct.pack(">HI", len(n), 0) + enc
    nodes = [struct.pack(">IHII", 0, 0x02, 1, 1) + b"\0" * 8,  # root: 1 child at index 1
             struct.pack(">IHII", name_off["res"], 0x02, len(files), 2) + b"\0" * 8]
    for n, blob, compress in files:
        payload = struct.pack(">I", len(blob)) + zlib.compress(blob) if compress else blob
        nodes.append(struct.pack(">IHHHI", name_off[n], 0x01 if compress else 0, 0, 0, len(data)) + b"\0" * 8)
        data += struct.pack(">I", len(payload)) + payload
    tree = b"".join(nodes)
    header_len = 24
    data_off, names_off = header_len, header_len + len(data)
    tree_off = names_off + len(names)
    return b"qres" + struct.pack(">IIIII", 3, tree_off, data_off, names_off, 0) + data + names + tree


class Rcc(unittest.TestCase):
    def test_reads_raw_and_zlib_entries(self):
        rcc = make_rcc([("a.webp", b"hello", False), ("b.txt", b"x" * 100, True)])
        self.assertEqual(dict(read_rcc(rcc)), {"/res/a.webp": b"hello", "/res/b.txt": b"x" * 100})

    def test_rejects_other_files(self):
        with self.assertRaisesRegex(ValueError, "qres"):
            list(read_rcc(b"PK\x03\x04 not an rcc"))


class Licences(unittest.TestCase):
    def test_last_matching_stanza_wins_and_extension_may_differ(self):
        stanzas = [(["*"], "GPL-3+"), (["src/activities/x/resource/*"], "CC-BY-SA-4.0"),
                   (["src/activities/x/resource/fish1.jpg"], "public-domain"),
                   (["16.04/Bridge_by_S.jpg"], "CC-BY-4.0")]
        self.assertEqual(licence_for(stanzas, "src/activities/x/resource/fish1.webp"), "public-domain")
        self.assertEqual(licence_for(stanzas, "src/activities/x/resource/fish2.webp"), "CC-BY-SA-4.0")
        self.assertEqual(licence_for(stanzas, "src/core/y.webp"), "GPL-3+")
        self.assertEqual(licence_for(stanzas, "usr/share/backgrounds/Bridge_by_S.jpg"), "CC-BY-4.0")
        self.assertEqual(licence_for([], "a.jpg"), "unknown")

    def test_parse_copyright(self):
        import os
        import tempfile
        text = ("Format: x\n\nFiles: *\nCopyright: me\nLicense: GPL-2+\n\n"
                "Files: a/*.jpg\n b/c.png\nCopyright: you\nLicense: CC0-1.0\n\nLicense: GPL-2+\n text\n")
        with tempfile.NamedTemporaryFile("w", suffix="copyright", delete=False) as f:
            f.write(text)
        try:
            self.assertEqual(parse_copyright(f.name), [(["*"], "GPL-2+"), (["a/*.jpg", "b/c.png"], "CC0-1.0")])
        finally:
            os.unlink(f.name)


class PhotoHeuristic(unittest.TestCase):
    def test_noise_photo_kept_flat_drawing_and_gray_rejected(self):
        rng = np.random.default_rng(0)
        photo = Image.fromarray(rng.integers(0, 256, (200, 300, 3), dtype=np.uint8))
        flat = np.zeros((200, 300, 3), np.uint8)
        flat[:, :150] = (255, 0, 0)
        gray = Image.fromarray(np.repeat(rng.integers(0, 256, (200, 300, 1), dtype=np.uint8), 3, 2))
        self.assertTrue(is_photo(photo))
        self.assertFalse(is_photo(Image.fromarray(flat)))
        self.assertFalse(is_photo(gray))
        self.assertFalse(is_photo(photo.resize((100, 60))))  # too small


if __name__ == "__main__":
    unittest.main()
