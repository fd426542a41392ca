"""Images, detection, alignment, embedding and matching.

Importing this package loads no model: heavy pieces are built by
:mod:`hadir.bootstrap` from settings.
"""
