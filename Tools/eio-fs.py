#!/usr/bin/env python3
"""A pass-through FUSE file system whose fsync/fdatasync fail with EIO on demand (test tooling).

Usage: eio-fs.py BACKING_DIR MOUNTPOINT CONTROL_FILE
Every operation is passed through to BACKING_DIR. While CONTROL_FILE exists, fsync and fdatasync of files return
EIO, as a disk whose write-back failed would; writes still succeed (they reach the page cache). Runs in the
foreground until unmounted (umount MOUNTPOINT). Needs FUSE (/dev/fuse) and fusepy (Debian: python3-fusepy, module
`fusepy`; PyPI: fusepy, module `fuse`).
"""
import errno
import os
import sys
import threading

try:
    from fusepy import FUSE, FuseOSError, Operations
except ImportError:
    from fuse import FUSE, FuseOSError, Operations


class EIOFileSystem(Operations):
    def __init__(self, root, control):
        self.root = os.path.realpath(root)
        self.control = control
        self.lock = threading.Lock()

    def __call__(self, op, path, *args):
        return super().__call__(op, self.root + path, *args)

    def access(self, path, mode):
        if not os.access(path, mode):
            raise FuseOSError(errno.EACCES)

    chmod = os.chmod
    chown = os.chown
    mkdir = os.mkdir
    rmdir = os.rmdir
    unlink = os.unlink
    readlink = os.readlink
    utimens = os.utime

    def create(self, path, mode, fi=None):
        return os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, mode)

    def open(self, path, flags):
        return os.open(path, flags)

    def getattr(self, path, fh=None):
        st = os.lstat(path)
        keys = ('st_atime', 'st_ctime', 'st_gid', 'st_mode', 'st_mtime', 'st_nlink', 'st_size', 'st_uid', 'st_ino')
        return {key: getattr(st, key) for key in keys}

    def readdir(self, path, fh):
        return ['.', '..'] + os.listdir(path)

    def read(self, path, size, offset, fh):
        return os.pread(fh, size, offset)

    def write(self, path, data, offset, fh):
        return os.pwrite(fh, data, offset)

    def truncate(self, path, length, fh=None):
        if fh is not None:
            os.ftruncate(fh, length)
        else:
            os.truncate(path, length)

    def rename(self, old, new):
        os.rename(old, self.root + new)

    def link(self, target, source):
        os.link(self.root + source, target)

    def symlink(self, target, source):
        os.symlink(source, target)

    def fsync(self, path, datasync, fh):
        if os.path.exists(self.control):
            raise FuseOSError(errno.EIO)
        if datasync:
            os.fdatasync(fh)
        else:
            os.fsync(fh)

    def fsyncdir(self, path, datasync, fh):
        return 0

    def flush(self, path, fh):
        return 0

    def release(self, path, fh):
        os.close(fh)

    def statfs(self, path):
        st = os.statvfs(path)
        keys = ('f_bavail', 'f_bfree', 'f_blocks', 'f_bsize', 'f_favail', 'f_ffree', 'f_files', 'f_flag',
                'f_frsize', 'f_namemax')
        return {key: getattr(st, key) for key in keys}


if __name__ == '__main__':
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    backing, mountpoint, control = sys.argv[1:]
    FUSE(EIOFileSystem(backing, control), mountpoint, foreground=True, nothreads=False, use_ino=True)
