"""`sobc serve`: a live preview of the build, in a patient and a clinician perspective.

The static package is built with `sobc.package.build.build` into a temporary folder and
served as it is; the preview adds, per request, a perspective switch, a reload script and, under
the clinician prefix, the clinician's layer. Nothing here changes what `sobc build` writes.
"""

from .serve import PreviewServer, serve

__all__ = ["PreviewServer", "serve"]
