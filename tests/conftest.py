"""Root conftest: no test reads ``../shared``, the full data folder.

`tests.shared_guard` installs an audit hook that refuses opens under it and fails the test that
tried one, naming the path; tests read the committed slices through `tests.data_paths`.
"""

pytest_plugins = ("pytester", "tests.shared_guard")
