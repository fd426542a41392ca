"""Offline tooling the server never imports: building the FaceNet network from the
TensorFlow graph (and its int8 quantisation), accuracy and liveness evaluation, plots.

The composition root reaches the converter lazily, on the first start only (when the
ONNX file is not cached yet); the API, the pages and the services never import this
package, and the import contracts in ``pyproject.toml`` keep it that way.
"""
