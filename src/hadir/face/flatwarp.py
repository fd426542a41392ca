"""Synthetic presentation attacks: a photo seen as a flat sheet turned in front of a camera.

Used by ``hadir liveness-eval`` and the tests. A sheet turned by ``yaw`` degrees about
its vertical centre line (and ``pitch`` about the horizontal one) and seen through a
pinhole camera is a homography of the photo.
"""

from __future__ import annotations

import math

import cv2
import numpy as np
import numpy.typing as npt

from hadir.face.types import Image


def sheet_homography(
    width: int,
    height: int,
    *,
    yaw: float = 0.0,
    pitch: float = 0.0,
    distance: float = 1.0,
    zoom: float = 1.0,
) -> npt.NDArray[np.float64]:
    """The 3x3 map from a ``width`` x ``height`` photo to the camera frame (same size)
    when the photo, a sheet ``distance`` focal lengths away (the smaller, the stronger the
    perspective; the focal length is the frame's width), is turned by ``yaw`` and
    ``pitch`` degrees and enlarged ``zoom`` times."""
    focal = float(width)
    cx, cy = width / 2.0, height / 2.0
    a, b = math.radians(yaw), math.radians(pitch)
    rot_y = np.array([[math.cos(a), 0, math.sin(a)], [0, 1, 0], [-math.sin(a), 0, math.cos(a)]])
    rot_x = np.array([[1, 0, 0], [0, math.cos(b), -math.sin(b)], [0, math.sin(b), math.cos(b)]])
    rotation = rot_x @ rot_y
    depth = distance * focal
    corners = np.array([[0, 0], [width, 0], [width, height], [0, height]], dtype=np.float64)
    projected = []
    for x, y in corners:
        point = rotation @ np.array([x - cx, y - cy, 0.0]) + np.array([0.0, 0.0, depth])
        gain = zoom * depth / point[2]
        projected.append([cx + gain * point[0], cy + gain * point[1]])
    src = corners.astype(np.float32)
    dst = np.asarray(projected, dtype=np.float32)
    return np.asarray(cv2.getPerspectiveTransform(src, dst), dtype=np.float64)


def warp_sheet(
    image: Image,
    *,
    yaw: float = 0.0,
    pitch: float = 0.0,
    distance: float = 1.0,
    zoom: float = 1.0,
) -> Image:
    """``image`` as a flat sheet turned in front of the camera (grey around it)."""
    height, width = image.shape[:2]
    matrix = sheet_homography(width, height, yaw=yaw, pitch=pitch, distance=distance, zoom=zoom)
    warped = cv2.warpPerspective(
        image,
        matrix,
        (width, height),
        flags=cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=(128, 128, 128),
    )
    return np.ascontiguousarray(warped, dtype=np.uint8)


def zoom_crop(image: Image, zoom: float) -> Image:
    """The centre of ``image`` enlarged ``zoom`` times (a face brought closer, or a photo
    brought closer: the same frames)."""
    height, width = image.shape[:2]
    matrix = np.array(
        [[zoom, 0, width / 2 * (1 - zoom)], [0, zoom, height / 2 * (1 - zoom)]], dtype=np.float64
    )
    out = cv2.warpAffine(image, matrix, (width, height), flags=cv2.INTER_LINEAR)
    return np.ascontiguousarray(out, dtype=np.uint8)
