"""The file store: files kept under FileSettings.Directory (the "local" driver)."""
import os
import tempfile


class FileStoreError(Exception):
    """A stored file could not be reached: a bad path, or the disk failed."""


class FileStore:
    def __init__(self, directory):
        self.directory = os.path.realpath(directory)

    def path(self, relative):
        """The real path of a stored file. Paths that leave the store, also
        through a symbolic link, and empty or NUL-bearing paths are refused."""
        if not relative or "\0" in relative:
            raise FileStoreError("invalid file path %r" % relative)
        full = os.path.realpath(os.path.join(self.directory, relative))
        if full == self.directory or os.path.commonpath([full, self.directory]) != self.directory:
            raise FileStoreError("path %r is outside the file store" % relative)
        return full

    def read(self, relative):
        """The file's bytes, or None when there is no such file."""
        path = self.path(relative)
        try:
            with open(path, "rb") as f:
                return f.read()
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            return None
        except OSError as e:
            raise FileStoreError("cannot read %r: %s" % (relative, e.strerror))

    def write(self, relative, data):
        """Write the whole file at once: readers see the old content or the new."""
        path = self.path(relative)
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            fd, temporary = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".tmp-")
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(data)
                os.replace(temporary, path)
            except BaseException:
                os.unlink(temporary)
                raise
        except OSError as e:
            raise FileStoreError("cannot write %r: %s" % (relative, e.strerror))

    def check(self):
        """True if a file can be written, read back and deleted, as Mattermost's
        file backend check does."""
        probe = ".filestore-check-%d" % os.getpid()
        try:
            self.write(probe, b"ok")
            good = self.read(probe) == b"ok"
            os.remove(self.path(probe))
            return good
        except (FileStoreError, OSError):
            return False
