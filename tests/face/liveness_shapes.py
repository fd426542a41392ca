"""Landmarks of a synthetic 3-D head and of a flat sheet printed with it (shared by the
liveness tests)."""

from __future__ import annotations

import math

import cv2
import numpy as np
import numpy.typing as npt

from hadir.face.flatwarp import sheet_homography

# a mean face in mm: x to the image's right, y down, z away from the camera
HEAD = np.array(
    [
        [-31.5, 0.0, 0.0],
        [31.5, 0.0, 0.0],
        [0.0, 35.0, -24.0],
        [-25.0, 70.0, -6.0],
        [25.0, 70.0, -6.0],
    ]
)
FOCAL = 800.0
DEPTH = 500.0
CENTRE = np.array([320.0, 240.0])


def head(yaw: float, *, depth: float = DEPTH, shift: float = 0.0) -> npt.NDArray[np.float32]:
    """Landmarks of the head turned ``yaw`` degrees to the person's left (nose towards the
    image's right: positive yaw in the quality module's convention)."""
    a = math.radians(-yaw)
    rot = np.array([[math.cos(a), 0, math.sin(a)], [0, 1, 0], [-math.sin(a), 0, math.cos(a)]])
    points = HEAD @ rot.T + np.array([shift, 0.0, depth])
    return (FOCAL * points[:, :2] / points[:, 2:] + CENTRE).astype(np.float32)


def sheet(yaw: float) -> npt.NDArray[np.float32]:
    """The frontal head's landmarks printed on a sheet turned ``yaw`` degrees."""
    flat = head(0.0).astype(np.float64)
    matrix = sheet_homography(640, 480, yaw=yaw, distance=1.0)
    return cv2.perspectiveTransform(flat[None], matrix)[0].astype(np.float32)
