"""A minimal PEP 517 build backend for the cytostream hook (standard library only).

pip builds a project in an isolated environment into which it installs the backend's own
requirements from a package index; this backend has none, so `pip install ./ingest/python` works
on a machine without internet access. It builds a pure-Python wheel of the modules listed under
[tool.cytostream-build] in pyproject.toml, with the metadata of its [project] table.
"""
import base64
import hashlib
import io
import os
import tarfile
import zipfile

try:
    import tomllib
except ImportError:  # Python < 3.11
    tomllib = None

_HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _project():
    path = os.path.join(_HERE, "pyproject.toml")
    if tomllib is not None:
        with open(path, "rb") as f:
            data = tomllib.load(f)
        return data["project"], data["tool"]["cytostream-build"]["modules"]
    # Python 3.9/3.10 without tomllib: the few keys this file uses, read line by line.
    project, modules, section = {"dependencies": []}, [], None
    with open(path, encoding="utf-8") as f:
        for raw in f:
            line = raw.split("#", 1)[0].strip()
            if line.startswith("["):
                section = line.strip("[]")
                continue
            if "=" not in line:
                continue
            key, value = (part.strip() for part in line.split("=", 1))
            if section == "project" and value.startswith('"'):
                project[key] = value.strip('"')
            elif section == "project" and key == "dependencies":
                project[key] = [d.strip().strip('"') for d in value.strip("[]").split(",") if d.strip()]
            elif section == "tool.cytostream-build" and key == "modules":
                modules = [m.strip().strip('"') for m in value.strip("[]").split(",") if m.strip()]
    return project, modules


def _dist_name(project):
    return project["name"].replace("-", "_")


def _metadata(project):
    lines = [
        "Metadata-Version: 2.1",
        "Name: " + project["name"],
        "Version: " + project["version"],
        "Summary: " + project.get("description", ""),
        "Requires-Python: " + project.get("requires-python", ">=3"),
    ]
    lines += ["Requires-Dist: " + d for d in project.get("dependencies", [])]
    return "\n".join(lines) + "\n"


def _record_line(name, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return "%s,sha256=%s,%d" % (name, digest, len(data))


def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    project, _ = _project()
    info = "%s-%s.dist-info" % (_dist_name(project), project["version"])
    os.makedirs(os.path.join(metadata_directory, info), exist_ok=True)
    with open(os.path.join(metadata_directory, info, "METADATA"), "w", encoding="utf-8") as f:
        f.write(_metadata(project))
    return info


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    project, modules = _project()
    dist, version = _dist_name(project), project["version"]
    info = "%s-%s.dist-info" % (dist, version)
    files = []
    for module in modules:
        with open(os.path.join(_HERE, module + ".py"), "rb") as f:
            files.append((module + ".py", f.read()))
    files.append((info + "/METADATA", _metadata(project).encode("utf-8")))
    files.append((info + "/WHEEL", (
        "Wheel-Version: 1.0\nGenerator: cytostream_build\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    ).encode("utf-8")))
    record = [_record_line(n, d) for n, d in files] + [info + "/RECORD,,"]
    files.append((info + "/RECORD", ("\n".join(record) + "\n").encode("utf-8")))
    name = "%s-%s-py3-none-any.whl" % (dist, version)
    with zipfile.ZipFile(os.path.join(wheel_directory, name), "w", zipfile.ZIP_DEFLATED) as z:
        for n, d in files:
            z.writestr(zipfile.ZipInfo(n, date_time=(2026, 1, 1, 0, 0, 0)), d)
    return name


def build_sdist(sdist_directory, config_settings=None):
    project, modules = _project()
    base = "%s-%s" % (_dist_name(project), project["version"])
    name = base + ".tar.gz"
    with tarfile.open(os.path.join(sdist_directory, name), "w:gz") as tar:
        for rel in ["pyproject.toml", "_build/cytostream_build.py"] + [m + ".py" for m in modules]:
            tar.add(os.path.join(_HERE, rel), arcname=base + "/" + rel)
        pkg_info = _metadata(project).encode("utf-8")
        ti = tarfile.TarInfo(base + "/PKG-INFO")
        ti.size = len(pkg_info)
        tar.addfile(ti, io.BytesIO(pkg_info))
    return name
