import os
import sys

HERE = list(sys.path)


def setup():
    os.environ["HOME"] = "/tmp"
    sys.path.append(HERE[0])  # bumpwise: allow sys-path-edit
