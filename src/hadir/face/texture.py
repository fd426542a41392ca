"""Whether two frames show one flat texture bent by a smooth warp, or a head that turned.

Anything computed from five landmarks can be moved by a 2-D warp of a single photo (push
the nose sideways and yaw and nose parallax move as in a real turn). A warp, however
smooth or local, keeps every pixel's content: the second frame is the first one's texture
moved. A real head turning changes what is visible (the far cheek and ear shrink away,
the near ones and the side of the nose appear, the contour slides over the background,
shading shifts), and two photos of a person at different poses share no pixels at all.

:func:`texture_change` measures it on the faces aligned on their landmarks
(:func:`face_texture`, grey, with some context around): frame ``b`` is first bent onto
frame ``a`` by the thin-plate spline through their five landmarks, then by a dense
optical flow (OpenCV's DIS, fine patches, refined three times), and what is left, the
band-pass residual over the face, is compared with the texture's own band-pass energy.
This is done both ways and the smaller counts: a real turn hides texture in both
directions (the far cheek and ear go, the near ones come: occlusion and disocclusion),
while a warp of one photo that squeezes or folds a region loses detail one way only and
can be bent back the other way. A warped photo leaves mostly noise and resampling (dev
faces, half a: at most 0.28); different views leave structure (0.33 and up, median
0.62). Unrelated random textures give about 0.9.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt

from hadir.face.align import scaled_template, similarity_matrix
from hadir.face.types import Image

TEXTURE_SIDE = 128
"""Side of the grey aligned face compared between frames."""
TEXTURE_ZOOM = 0.7
"""Zoom of the ArcFace layout (below 1: cheeks, contour and some background around)."""
FLOW_PASSES = 3
"""DIS flow computations, each starting from the last (large bends need more than one)."""
FLOW_PATCH = 6
FLOW_STRIDE = 2
"""DIS patches of 6 pixels every 2, down to full resolution: fine enough to follow a
local squeeze or fold of a warped photo (the preset's 8 every 4 at half resolution left
the strongest bends unexplained, like an occlusion)."""
DETAIL_SIGMA = 2.0
"""Gaussian (pixels of the texture) that removes sensor noise and JPEG blocks first."""
SHADING_SIGMA = 8.0
"""Gaussian (pixels of the texture) whose blur is removed as shading (gain, lighting)."""

Grey = npt.NDArray[np.uint8]
Points = npt.NDArray[np.float32]


@dataclass(frozen=True)
class FaceTexture:
    """The face aligned on its landmarks, in grey, and where its landmarks fell."""

    grey: Grey
    landmarks: Points


def face_texture(image: Image, landmarks: npt.NDArray[np.floating]) -> FaceTexture:
    """``image``'s face (RGB) aligned by a similarity on its five ``landmarks`` into a
    :data:`TEXTURE_SIDE` square, grey."""
    points = np.asarray(landmarks, dtype=np.float64).reshape(5, 2)
    matrix = similarity_matrix(points, scaled_template(TEXTURE_SIDE, zoom=TEXTURE_ZOOM))
    aligned = cv2.warpAffine(
        image,
        matrix,
        (TEXTURE_SIDE, TEXTURE_SIDE),
        flags=cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_REPLICATE,
    )
    grey = cv2.cvtColor(aligned, cv2.COLOR_RGB2GRAY)
    placed = np.hstack([points, np.ones((5, 1))]) @ matrix.T
    return FaceTexture(np.ascontiguousarray(grey, np.uint8), placed.astype(np.float32))


def _tps_kernel(r2: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    with np.errstate(divide="ignore", invalid="ignore"):
        out = r2 * np.log(r2)
    return np.nan_to_num(out)


def tps_warp(image: npt.NDArray[np.uint8], source: Points, target: Points) -> npt.NDArray[np.uint8]:
    """``image`` (grey or RGB) bent by the thin-plate spline that carries ``source`` points
    onto ``target`` (the frame's corners and edge midpoints stay where they are)."""
    height, width = image.shape[:2]
    border = np.array(
        [
            [x, y]
            for x in (0.0, width / 2, width - 1.0)
            for y in (0.0, height / 2, height - 1.0)
            if (x, y) != (width / 2, height / 2)
        ]
    )
    dst = np.vstack([np.asarray(target, np.float64), border])
    src = np.vstack([np.asarray(source, np.float64), border])
    n = len(dst)
    affine_part = np.hstack([np.ones((n, 1)), dst])
    system = np.zeros((n + 3, n + 3))
    system[:n, :n] = _tps_kernel(((dst[:, None] - dst[None]) ** 2).sum(-1)) + 1e-6 * np.eye(n)
    system[:n, n:] = affine_part
    system[n:, :n] = affine_part.T
    rhs = np.zeros((n + 3, 2))
    rhs[:n] = src
    coef = np.linalg.solve(system, rhs)  # the backward map: target positions -> source
    step = 4  # evaluated on a coarse grid, then resized (the spline is smooth)
    gx, gy = np.meshgrid(np.arange(0, width + step, step), np.arange(0, height + step, step))
    grid = np.stack([gx.ravel(), gy.ravel()], axis=1).astype(np.float64)
    kernel = _tps_kernel(((grid[:, None] - dst[None]) ** 2).sum(-1))
    mapped = kernel @ coef[:n] + np.hstack([np.ones((len(grid), 1)), grid]) @ coef[n:]
    size = (gx.shape[1] * step, gx.shape[0] * step)
    map_x = cv2.resize(mapped[:, 0].reshape(gx.shape).astype(np.float32), size)[:height, :width]
    map_y = cv2.resize(mapped[:, 1].reshape(gx.shape).astype(np.float32), size)[:height, :width]
    out = cv2.remap(image, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)
    return np.ascontiguousarray(out, dtype=np.uint8)


def _face_mask(side: int) -> npt.NDArray[np.bool_]:
    mask = np.zeros((side, side), np.uint8)
    axes = (int(side * 0.30), int(side * 0.38))
    cv2.ellipse(mask, (side // 2, int(side * 0.55)), axes, 0.0, 0.0, 360.0, 1, -1)
    return mask.astype(bool)


def _band(grey: npt.NDArray[np.uint8]) -> npt.NDArray[np.float32]:
    smooth = cv2.GaussianBlur(grey.astype(np.float32), (0, 0), DETAIL_SIGMA)
    return np.asarray(smooth - cv2.GaussianBlur(smooth, (0, 0), SHADING_SIGMA), np.float32)


def texture_change(a: FaceTexture, b: FaceTexture) -> float:
    """How much of either face is not the other's texture moved (module doc): the smaller
    of the two one-way changes (:func:`one_way_change`). A real turn hides something in
    each direction (the far cheek going, the near one coming); a warp of one photo,
    however it squeezes or folds it, can be bent back at least one way."""
    return min(one_way_change(a, b), one_way_change(b, a))


def one_way_change(a: FaceTexture, b: FaceTexture) -> float:
    """How much of ``a``'s face is not ``b``'s texture moved: the mean band-pass residual
    over the face after bending ``b`` onto ``a`` by the best smooth warp, over the mean
    band-pass energy of the two faces. About 0 for one photo warped, about 0.9 for
    unrelated textures."""
    side = a.grey.shape[0]
    bent = tps_warp(b.grey, b.landmarks, a.landmarks)
    dis = cv2.DISOpticalFlow.create(cv2.DISOpticalFlow_PRESET_MEDIUM)
    dis.setPatchSize(FLOW_PATCH)
    dis.setPatchStride(FLOW_STRIDE)
    dis.setFinestScale(0)
    flow = np.zeros((side, side, 2), np.float32)
    for _ in range(FLOW_PASSES):
        flow = np.asarray(dis.calc(a.grey, bent, flow), np.float32)
    xs, ys = np.meshgrid(np.arange(side, dtype=np.float32), np.arange(side, dtype=np.float32))
    moved = cv2.remap(
        bent,
        xs + flow[..., 0],
        ys + flow[..., 1],
        cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_REPLICATE,
    )
    band_a, band_b = _band(a.grey), _band(np.asarray(moved, np.uint8))
    mask = _face_mask(side)
    residual = float(np.abs(band_a - band_b)[mask].mean())
    energy = 0.5 * float(np.abs(band_a)[mask].mean() + np.abs(band_b)[mask].mean())
    return residual / max(energy, 1e-6)
