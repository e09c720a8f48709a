"""nbgrader's exchange collect for a hub, trusting the file system instead of folder names.

On a JupyterHub (deploy/), students submit into the exchange's ``inbound`` folder, which every
student can write to (nbgrader docs, "Using nbgrader with JupyterHub": mode 2733). Stock
nbgrader 0.9.6 (``nbgrader/exchange/default/collect.py``) then trusts two things a student
makes:

- the student id in the folder's name ``<student>+<assignment>+<timestamp>+<random>``: a
  student can create a folder in another student's name, and ``nbgrader collect`` takes it when
  it is the newest, with only a warning ("claims to be submitted by … but is owned by …;
  cheating attempt?", option ``check_owner``);
- the timestamp in that name (and the ``timestamp.txt`` inside), which decide the newest
  attempt and lateness: a student can rename their own late folder to an earlier time.

:class:`OwnerCheckedCollect` is the same collect with both closed: a folder whose owner (the
system user, from ``os.stat``) is not the student it names is never collected (it is reported
as forged), and every attempt's time is the folder's inode change time (``st_ctime``: set by
the kernel when the folder is made, renamed or changed, and no user can set it back), written
into the collected ``timestamp.txt`` so nbgrader's lateness uses it too. Select it with
``c.ExchangeFactory.collect = "welfaregrading.exchange.OwnerCheckedCollect"`` (nbgrader's
pluggable exchange, ``nbgrader/exchange/exchange_factory.py``).
"""

from __future__ import annotations

import datetime
import glob
import os
import pwd
from collections import defaultdict

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.exchange.default.collect import ExchangeCollect
from nbgrader.utils import check_mode

#: nbgrader's own timestamp text (nbgrader/exchange/default/exchange.py, timestamp_format
#: "%Y-%m-%d %H:%M:%S.%f %Z"), for a naive UTC time.
TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S.%f UTC"


def folder_owner(path: str) -> str:
    """The name of the system user owning ``path`` ("uid <n>" when no such user exists)."""
    uid = os.stat(path, follow_symlinks=False).st_uid
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid {uid}"


def trusted_time(path: str) -> datetime.datetime:
    """When ``path`` was last made, renamed or changed, from the kernel (``st_ctime``), as a
    naive UTC datetime like nbgrader's own (``nbgrader.utils.parse_utc``, gradebook due dates).
    """
    ctime = os.stat(path, follow_symlinks=False).st_ctime
    return datetime.datetime.fromtimestamp(ctime, tz=datetime.UTC).replace(tzinfo=None)


class OwnerCheckedCollect(ExchangeCollect):
    """``nbgrader collect`` that skips forged folders and times attempts by the file system.

    Attributes set by :meth:`init_src` (besides nbgrader's ``src_records``): ``forged``, a list
    of ``(folder name, the student it names, its real owner)`` never collected.
    """

    def _record(self, path: str) -> dict:
        record = self._path_to_record(path)  # nbgrader's parsing of the name (fails on junk)
        record["timestamp"] = trusted_time(path)
        record["owner"] = folder_owner(path)
        return record

    def init_src(self):
        if self.coursedir.course_id == "":
            self.fail("No course id specified. Re-run with --course flag.")
        self.course_path = os.path.join(self.root, self.coursedir.course_id)
        self.inbound_path = os.path.join(self.course_path, "inbound")
        if not os.path.isdir(self.inbound_path):
            self.fail(f"Course not found: {self.inbound_path}")
        if not check_mode(self.inbound_path, read=True, execute=True):
            self.fail(f"You don't have read permissions for the directory: {self.inbound_path}")
        student_id = self.coursedir.student_id or "*"
        pattern = os.path.join(self.inbound_path,
                               f"{glob.escape(student_id) if student_id != '*' else '*'}"
                               f"+{glob.escape(self.coursedir.assignment_id)}+*")
        groups, self.forged = defaultdict(list), []
        for path in glob.glob(pattern):
            if os.path.islink(path) or not os.path.isdir(path):
                self.log.error("Not collected: %s is not a folder a student submitted.", path)
                continue
            record = self._record(path)
            if record["owner"] != record["username"]:
                self.forged.append((record["filename"], record["username"], record["owner"]))
                self.log.error("Not collected: %s names student %s but was made by %s "
                               "(a forged submission).", record["filename"],
                               record["username"], record["owner"])
                continue
            groups[record["username"]].append(record)

        with Gradebook(self.coursedir.db_url, self.coursedir.course_id) as gb:
            try:
                self.duedate = gb.find_assignment(self.coursedir.assignment_id).duedate
            except MissingEntry:
                self.duedate = None
        self.src_records = []
        for records in groups.values():
            records = self._sort_by_timestamp(records)
            if self.duedate is not None and self.before_duedate:
                on_time = [r for r in records if r["timestamp"] <= self.duedate]
                records = on_time or records
            self.src_records.append(records[0])

    def do_copy(self, src, dest):
        """nbgrader's copy, then the collected ``timestamp.txt`` holds the trusted time."""
        super().do_copy(src, dest)
        stamp = trusted_time(src).strftime(TIMESTAMP_FORMAT)
        target = os.path.join(dest, "timestamp.txt")
        if os.path.islink(target):
            os.remove(target)
        with open(target, "w", encoding="utf-8") as f:
            f.write(stamp)
