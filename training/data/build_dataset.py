#!/usr/bin/python3
"""Build the DISCO-lite photo set from Debian packages (the data and its licences: models/README.md).

  /usr/bin/python3 training/data/build_dataset.py [--cache .cache/disco-data] [--only train|eval]

Downloads the packages with `apt-get download` into <cache>/debs, unpacks them, keeps natural colour
photos (heuristic below, minus the NOT_PHOTOS that pass it), and writes copies resized to short side
256 to <cache>/train and <cache>/eval plus <cache>/licenses.tsv (split, file, package, deb, path in
package, licence, where the licence is stated). Training packages and evaluation packages are
disjoint; the evaluation set is never trained on. A photo without a licence statement stops the build.

Where a licence comes from, first match wins:
- gcompris: the README beside the image inside its .rcc bundle (upstream's per-file credits; the
  package's debian/copyright still describes older images under the same names);
- plasma wallpapers: the wallpaper's metadata.json;
- otherwise the package's debian/copyright (DEP-5: the last matching Files stanza).
"""
import argparse
import fnmatch
import io
import json
import os
import re
import struct
import subprocess
import sys
import zlib

TRAIN_PACKAGES = ["gcompris-qt-data", "lomiri-wallpapers-16.04", "mate-backgrounds",
                  "plasma-workspace-wallpapers", "lomiri-wallpapers-20.04"]
EVAL_PACKAGES = ["opencv-doc", "python3-skimage", "palapeli-data"]
SHORT_SIDE = 256
MIN_SHORT_SIDE = 128
IMAGE_EXT = (".jpg", ".jpeg", ".png", ".webp")

# Images the photo heuristic lets through but that are not photographs (looked at one by one).
NOT_PHOTOS = {
    "opencv-doc": {"usr/share/doc/opencv-doc/examples/data/WindowsLogo.jpg": "a rendered logo",
                   "usr/share/doc/opencv-doc/examples/data/pic2.png": "coloured squares on noise",
                   "usr/share/doc/opencv-doc/examples/data/starry_night.jpg": "a painting (Van Gogh)"},
    "python3-skimage": {"usr/lib/python3/dist-packages/skimage/data/color.png": "a synthetic colour wheel"},
}

# gcompris READMEs that misspell a file name: path in bundle -> the name the README uses.
README_TYPOS = {"src/activities/explore_monuments/resource/germany/aulaPalatina.webp": "germany/audaPalatina.webp"}

# where each package keeps its photos (prefixes inside the unpacked package)
PHOTO_DIRS = {
    "gcompris-qt-data": ["usr/share/gcompris-qt/rcc/"],
    "lomiri-wallpapers-16.04": ["usr/share/backgrounds/"],
    "lomiri-wallpapers-20.04": ["usr/share/backgrounds/"],
    "mate-backgrounds": ["usr/share/backgrounds/"],
    "plasma-workspace-wallpapers": ["usr/share/wallpapers/"],
    "opencv-doc": ["usr/share/doc/opencv-doc/examples/data/"],
    "python3-skimage": ["usr/lib/python3/dist-packages/skimage/data/"],
    "palapeli-data": ["usr/share/palapeli/collection/"],
}


# ------------------------------------------------------------------ Qt resource (.rcc) bundles

def read_rcc(data):
    """Yield (path, bytes) for every file in a Qt .rcc bundle (format versions 1-3, zlib or raw)."""
    if data[:4] != b"qres":
        raise ValueError("not a Qt resource file (no 'qres' magic)")
    version, tree_off, data_off, names_off = struct.unpack(">IIII", data[4:20])
    node_size = 14 if version == 1 else 22

    def name_at(off):
        n = struct.unpack(">H", data[names_off + off: names_off + off + 2])[0]
        start = names_off + off + 6  # length (2), hash (4), then UTF-16BE
        return data[start: start + 2 * n].decode("utf-16-be")

    def walk(index, prefix):
        base = tree_off + index * node_size
        name_off, flags = struct.unpack(">IH", data[base: base + 6])
        name = name_at(name_off) if index else ""
        path = f"{prefix}/{name}" if name else prefix
        if flags & 0x02:  # directory
            count, first = struct.unpack(">II", data[base + 6: base + 14])
            for child in range(first, first + count):
                yield from walk(child, path)
            return
        off = struct.unpack(">I", data[base + 10: base + 14])[0]
        size = struct.unpack(">I", data[data_off + off: data_off + off + 4])[0]
        blob = data[data_off + off + 4: data_off + off + 4 + size]
        if flags & 0x01:  # zlib (qCompress: 4-byte big-endian length, then a zlib stream)
            blob = zlib.decompress(blob[4:])
        elif flags & 0x04:  # zstd: not used by the packages we read
            return
        yield path, blob

    yield from walk(0, "")


# ------------------------------------------------------------------ licences (DEP-5 copyright files)

def parse_copyright(path):
    """[(globs, licence)] in file order from a machine-readable debian/copyright."""
    stanzas, cur = [], {}
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    for block in re.split(r"\n\s*\n", text):
        files = re.search(r"^Files:\s*(.*(?:\n[ \t]+.*)*)", block, re.M)
        lic = re.search(r"^License:\s*(.*)", block, re.M)
        if files and lic:
            stanzas.append((files.group(1).split(), lic.group(1).strip()))
    del cur
    return stanzas


def licence_for(stanzas, source_path):
    """The last stanza whose glob matches the file (DEP-5 rule). Globs are relative to the source tree
    and may name the original extension (gcompris converts to WebP at build time), so a glob matches
    any path suffix, any extension of the same stem, and a wildcard-free glob matches by file name."""
    stem = os.path.splitext(source_path)[0]
    variants = {source_path} | {stem + e for e in (".jpg", ".jpeg", ".png", ".svg", ".webp")}
    names = {os.path.basename(v) for v in variants}
    found = None
    for globs, lic in stanzas:
        for g in globs:
            hit = g == "*" or any(fnmatch.fnmatch(v, g) or fnmatch.fnmatch(v, "*/" + g) for v in variants)
            if not hit and not any(c in g for c in "*?["):
                hit = os.path.basename(g) in names
            if hit:
                found = lic
    return found or "unknown"


def parse_readme(text):
    """[(file names, licence)] from a gcompris resource README: blocks separated by blank lines, each
    with a `License:` line and the files it covers (after `Files:`, or bare names on their own lines)."""
    stanzas = []
    for block in re.split(r"\n\s*\n", text.replace("\r", "")):
        lic, files = None, []
        for line in block.split("\n"):
            m = re.match(r"\s*Licen[cs]e\s*:\s*(.+)", line, re.I)
            if m:
                lic = m.group(1).strip()
            elif not re.match(r"\s*(Copyright|Source|Comments?|Author)\s*:", line, re.I):
                files += [w for w in re.split(r"[\s,]+", re.sub(r"^\s*Files?\s*:", "", line, flags=re.I))
                          if re.search(r"\.\w{3,4}$", w)]
        if lic and files:
            stanzas.append((files, lic))
    return stanzas


def normalise_licence(name):
    """Licence names as debian/copyright writes them: READMEs say "CC-BY-SA 4.0", "Public domain",
    "GPLv3 or later", plasma's metadata "LGPLv3"; here CC-BY-SA-4.0, public-domain, GPL-3+, LGPL-3."""
    gpl = re.match(r"^(L?GPL)v?(\d)(?:\.0)?( or later|\+)?$", name.strip(), re.I)
    if gpl:
        return f"{gpl.group(1)}-{gpl.group(2)}{'+' if gpl.group(3) else ''}"
    name = name.strip()
    name = re.sub(r"^(CC[- ]BY(?:[- ]SA)?)[- ](\d\.\d)$", r"\1-\2", name, flags=re.I)
    name = re.sub(r"^CC BY", "CC-BY", name, flags=re.I).replace("CC-BY SA", "CC-BY-SA")
    return "public-domain" if name.lower() == "public domain" else name


def readme_licence(readmes, source_path):
    """(licence, README folder) for a gcompris bundle path from the nearest README naming the file
    (by path relative to the README, or by stem: READMEs name the .webp, sources the original), else
    (None, None)."""
    folder = os.path.dirname(source_path)
    while folder:
        for names, lic in readmes.get(folder, []):
            rel = os.path.relpath(source_path, folder)
            wanted = {rel, README_TYPOS.get(source_path, rel)}
            stems = {os.path.splitext(w)[0] for w in wanted}
            if any(fnmatch.fnmatch(st, os.path.splitext(n)[0]) for n in names for st in stems):
                return normalise_licence(lic), folder
        folder = os.path.dirname(folder)
    return None, None


# ------------------------------------------------------------------ photo heuristic

def is_photo(img):
    """data.md's heuristic: opaque, colour, large enough, and the 8 most frequent 15-bit colours cover
    less than 35% of the pixels (drawings and flat graphics have few dominant colours)."""
    import numpy as np
    if min(img.size) < MIN_SHORT_SIDE:
        return False
    if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
        alpha = np.asarray(img.convert("RGBA"))[..., 3]
        if (alpha < 250).mean() > 0.01:
            return False
    rgb = img.convert("RGB")
    rgb.thumbnail((256, 256))
    a = np.asarray(rgb).astype(np.int32)
    chroma = (a.max(2) - a.min(2)).mean()
    if chroma < 6:  # grayscale or nearly so
        return False
    q = ((a[..., 0] >> 3) << 10) | ((a[..., 1] >> 3) << 5) | (a[..., 2] >> 3)
    counts = np.bincount(q.ravel(), minlength=1 << 15)
    top8 = np.sort(counts)[-8:].sum() / q.size
    return top8 < 0.35


# ------------------------------------------------------------------ package walking

def download_and_unpack(pkg, cache):
    debs = os.path.join(cache, "debs")
    os.makedirs(debs, exist_ok=True)
    have = [f for f in os.listdir(debs) if f.startswith(pkg + "_") and f.endswith(".deb")]
    if not have:
        r = subprocess.run(["apt-get", "download", pkg], cwd=debs, capture_output=True, text=True)
        if r.returncode != 0:
            raise RuntimeError(f"apt-get download {pkg} failed: {r.stderr.strip()}")
        have = [f for f in os.listdir(debs) if f.startswith(pkg + "_") and f.endswith(".deb")]
    out = os.path.join(cache, "unpacked", pkg)
    if not os.path.isdir(out):
        os.makedirs(out)
        subprocess.run(["dpkg-deb", "-x", os.path.join(debs, sorted(have)[-1]), out], check=True)
    return out, sorted(have)[-1]


def gcompris_readmes(root):
    """{folder in the source tree: README stanzas} from every .rcc bundle of gcompris-qt-data."""
    readmes = {}
    rcc_dir = os.path.join(root, PHOTO_DIRS["gcompris-qt-data"][0])
    for fn in sorted(os.listdir(rcc_dir)):
        if fn.endswith(".rcc"):
            with open(os.path.join(rcc_dir, fn), "rb") as f:
                for path, blob in read_rcc(f.read()):
                    if os.path.basename(path) == "README":
                        folder = os.path.dirname(path.split("/gcompris/", 1)[-1].lstrip("/"))
                        readmes[folder] = parse_readme(blob.decode("utf-8", "replace"))
    return readmes


def candidates(pkg, root):
    """Yield (path in package or bundle, source path for licence lookup, bytes)."""
    for prefix in PHOTO_DIRS[pkg]:
        top = os.path.join(root, prefix)
        for dirpath, _, files in sorted(os.walk(top)):
            for fn in sorted(files):
                full = os.path.join(dirpath, fn)
                rel = os.path.relpath(full, root)
                if pkg == "gcompris-qt-data" and fn.endswith(".rcc"):
                    with open(full, "rb") as f:
                        for path, blob in read_rcc(f.read()):
                            if path.lower().endswith(IMAGE_EXT):
                                # bundle paths look like /gcompris/src/activities/<name>/resource/...
                                src = path.split("/gcompris/", 1)[-1].lstrip("/")
                                yield f"{rel}:{path}", src, blob
                elif fn.lower().endswith(IMAGE_EXT):
                    with open(full, "rb") as f:
                        yield rel, rel, f.read()


def plasma_keep_largest(items):
    """Plasma wallpapers come in many resolutions; keep the largest file per wallpaper."""
    best = {}
    for rel, src, blob in items:
        m = re.search(r"wallpapers/([^/]+)/contents/images(?:_dark)?/(\d+)x(\d+)\.", rel)
        if not m:
            continue  # screenshots
        key, area = m.group(1) + ("_dark" if "images_dark" in rel else ""), int(m.group(2)) * int(m.group(3))
        if key not in best or area > best[key][0]:
            best[key] = (area, rel, src, blob)
    return [(rel, src, blob) for _, rel, src, blob in best.values()]


def plasma_licence(root, rel):
    m = re.search(r"usr/share/wallpapers/([^/]+)/", rel)
    meta = os.path.join(root, "usr/share/wallpapers", m.group(1), "metadata.json") if m else ""
    if os.path.isfile(meta):
        with open(meta) as f:
            lic = json.load(f).get("KPlugin", {}).get("License")
        if lic:
            return normalise_licence(lic)
    return None


def save_resized(img, path):
    from PIL import Image
    img = img.convert("RGB")
    w, h = img.size
    s = SHORT_SIDE / min(w, h)
    img = img.resize((max(SHORT_SIDE, round(w * s)), max(SHORT_SIDE, round(h * s))), Image.LANCZOS)
    img.save(path, quality=95)


def build(cache, only=None):
    from PIL import Image, features
    if not features.check("webp"):
        raise RuntimeError("Pillow lacks WebP support (needed for gcompris photos): apt-get install python3-pil")
    rows = []
    for split, packages in (("train", TRAIN_PACKAGES), ("eval", EVAL_PACKAGES)):
        if only and split != only:
            continue
        out_dir = os.path.join(cache, split)
        os.makedirs(out_dir, exist_ok=True)
        for pkg in packages:
            root, deb = download_and_unpack(pkg, cache)
            cfile = os.path.join(root, "usr/share/doc", pkg, "copyright")
            stanzas = parse_copyright(cfile) if os.path.isfile(cfile) else []
            readmes = gcompris_readmes(root) if pkg == "gcompris-qt-data" else {}
            items = [it for it in candidates(pkg, root) if it[0] not in NOT_PHOTOS.get(pkg, {})]
            if pkg == "plasma-workspace-wallpapers":
                items = plasma_keep_largest(items)
            kept = 0
            for rel, src, blob in items:
                try:
                    img = Image.open(io.BytesIO(blob))
                    img.load()
                except Exception:
                    continue
                if not is_photo(img):
                    continue
                name = re.sub(r"[^A-Za-z0-9._-]+", "_", f"{pkg}__{rel.split(':')[-1].strip('/')}")
                name = os.path.splitext(name)[0] + ".jpg"
                save_resized(img, os.path.join(out_dir, name))
                lic, where = readme_licence(readmes, src)
                where = where and f"README in {where}"
                if not lic and pkg == "plasma-workspace-wallpapers":
                    lic, where = plasma_licence(root, rel), "metadata.json"
                if not lic:
                    lic, where = licence_for(stanzas, src), "debian/copyright"
                    if licence_for([s for s in stanzas if s[0] != ["*"]], src) == "unknown":
                        where += " (Files: *)"  # only the package-wide statement covers it
                rows.append((split, name, pkg, deb, rel, lic, where))
                kept += 1
            print(f"build_dataset: {split}: {pkg}: kept {kept} of {len(items)} images", flush=True)
    unknown = [r[1] for r in rows if r[5] == "unknown"]
    if unknown:
        raise RuntimeError(f"no licence found for {len(unknown)} photos: {', '.join(unknown)}")
    # one split alone gets its own list, so it does not replace the full one
    with open(os.path.join(cache, f"licenses-{only}.tsv" if only else "licenses.tsv"), "w") as f:
        f.write("split\tfile\tpackage\tdeb\tpath_in_package\tlicense\tlicense_from\n")
        for r in rows:
            f.write("\t".join(r) + "\n")
    n_train = sum(1 for r in rows if r[0] == "train")
    print(f"build_dataset: {n_train} train and {len(rows) - n_train} eval photos in {cache}")


def main(argv=None):
    p = argparse.ArgumentParser(description="Build the DISCO-lite train/eval photo sets from Debian packages.")
    p.add_argument("--cache", default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                  "..", "..", ".cache", "disco-data"))
    p.add_argument("--only", choices=["train", "eval"],
                   help="build one split (e.g. eval for `npm run bench`'s batch photos); its licences go to licenses-<split>.tsv")
    args = p.parse_args(argv)
    try:
        import numpy  # noqa: F401
        import PIL  # noqa: F401
    except ImportError as e:
        print(f"build_dataset: {e.name} is missing: run \"sudo apt-get install python3-pil python3-numpy\"",
              file=sys.stderr)
        return 2
    try:
        build(os.path.abspath(args.cache), args.only)
    except (RuntimeError, ValueError) as e:
        print(f"build_dataset: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
