"""The dataset builder's Qt .rcc reader, licence lookup and photo heuristic, and the committed list of
disco-lite's training photos.
Run: cd training && /usr/bin/python3 -m unittest discover -s tests -t . -v"""
import csv
import os
import struct
import unittest
import zlib

import numpy as np
from PIL import Image

from data.build_dataset import (is_photo, licence_for, normalise_licence, parse_copyright, parse_readme, read_rcc,
                                readme_licence)

TRAINING_PHOTOS = os.path.join(os.path.dirname(__file__), "..", "..", "models", "disco-lite",
                               "training-photos.tsv")


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


class ReadmeLicences(unittest.TestCase):
    README = ("Copyright: A\nLicense: CC-BY-SA 4.0\nFiles:\nkey.svg\ngermany/germany.svg\n\n"
              "Copyright: B\nLicense: Public Domain\nSource: https://example.org/File:X.jpg\nFiles:\n"
              "germany/audaPalatina.webp\n\n"
              "Copyright: C\nLicense: CC-BY 4.0\nEilan_0.webp\nEilan_background.webp\n\n"
              "Copyright: D\nSource: https://example.org/no-licence.jpg\nFiles: lost.webp\n")

    def test_blocks_with_and_without_a_files_header(self):
        self.assertEqual(parse_readme(self.README), [
            (["key.svg", "germany/germany.svg"], "CC-BY-SA 4.0"),
            (["germany/audaPalatina.webp"], "Public Domain"),
            (["Eilan_0.webp", "Eilan_background.webp"], "CC-BY 4.0")])

    def test_nearest_readme_by_stem_and_known_typo(self):
        readmes = {"src/activities/m/resource": parse_readme(self.README)}
        res = "src/activities/m/resource"
        self.assertEqual(readme_licence(readmes, f"{res}/Eilan_background.jpg"), ("CC-BY-4.0", res))
        self.assertEqual(readme_licence(readmes, f"{res}/germany/germany.png"), ("CC-BY-SA-4.0", res))
        self.assertEqual(readme_licence(readmes, f"{res}/lost.webp"), (None, None))
        self.assertEqual(readme_licence(readmes, "src/activities/other/x.webp"), (None, None))
        typo = "src/activities/explore_monuments/resource/germany/aulaPalatina.webp"
        readmes = {"src/activities/explore_monuments/resource": parse_readme(self.README)}
        self.assertEqual(readme_licence(readmes, typo)[0], "public-domain")

    def test_names_normalised_to_debian_spelling(self):
        self.assertEqual([normalise_licence(n) for n in ["CC-BY-SA 4.0", "Public domain", "GPLv3 or later",
                                                         "LGPLv3", "GPL-2+", "CC0-1.0"]],
                         ["CC-BY-SA-4.0", "public-domain", "GPL-3+", "LGPL-3", "GPL-2+", "CC0-1.0"])


class TrainingPhotos(unittest.TestCase):
    def test_every_training_photo_of_disco_lite_has_a_licence(self):
        with open(TRAINING_PHOTOS, newline="") as f:
            rows = list(csv.DictReader(f, delimiter="\t"))
        self.assertEqual(len(rows), 298)  # the set models/disco-lite was trained on
        self.assertEqual(len({r["file"] for r in rows}), len(rows))
        for r in rows:
            self.assertNotIn(r["license"], ("", "unknown"), r["file"])
            self.assertTrue(r["license_from"], r["file"])


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
