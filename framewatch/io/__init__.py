"""framewatch.io: reading inputs, writing outputs, and the files that make a run resumable.

``records`` holds what every reader yields (:class:`~framewatch.io.records.Record`,
:class:`~framewatch.io.records.Problem`) and the read options; ``readers`` reads each input format; ``writers``
writes CSV and Parquet; ``state`` stages output and problems so a run is lossless and resumable; ``atomic`` is the
one atomic file writer. Import names from these modules: this package re-exports nothing.
"""
