"""The file store: files kept under FileSettings.Directory (the "local" driver)."""
import os


class FileStore:
    def __init__(self, directory):
        self.directory = os.path.abspath(directory)

    def path(self, relative):
        """The absolute path of a stored file; refuses paths that leave the store."""
        full = os.path.abspath(os.path.join(self.directory, relative))
        if os.path.commonpath([full, self.directory]) != self.directory:
            raise ValueError("path %r is outside the file store" % relative)
        return full

    def read(self, relative):
        """The file's bytes, or None when it does not exist."""
        try:
            with open(self.path(relative), "rb") as f:
                return f.read()
        except FileNotFoundError:
            return None

    def write(self, relative, data):
        full = self.path(relative)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "wb") as f:
            f.write(data)
